import { ExplorationStrategy, type Placement } from "../gen/vitrine/v1/catalog.js";

export interface Exploration {
  strategy: ExplorationStrategy.EXPLORATION_STRATEGY_EPSILON_GREEDY | ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX;
  epsilon: number;
  temperature: number;
}

export const defaultEpsilon = 0.05;
export const defaultTemperature = 1;

/** The placement's exploration settings with the documented defaults filled in. */
export function explorationOf(placement: Placement): Exploration {
  const settings = placement.exploration;
  const epsilon = settings?.epsilon ?? defaultEpsilon;
  const temperature = settings?.temperature ?? defaultTemperature;
  return {
    strategy:
      settings?.strategy === ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX
        ? ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX
        : ExplorationStrategy.EXPLORATION_STRATEGY_EPSILON_GREEDY,
    epsilon: Math.min(1, Math.max(0, epsilon)),
    temperature: temperature > 0 ? temperature : defaultTemperature,
  };
}

const logit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/**
 * The probability of each candidate being picked first, for candidates given best first.
 * Epsilon-greedy: the best gets 1 − ε + ε/n, every other ε/n. Softmax: proportional to
 * exp(logit(score) / temperature).
 */
export function firstPickProbabilities(exploration: Exploration, rankedScores: ArrayLike<number>): Float64Array {
  const n = rankedScores.length;
  const probabilities = new Float64Array(n);
  if (n === 0) return probabilities;
  if (exploration.strategy === ExplorationStrategy.EXPLORATION_STRATEGY_EPSILON_GREEDY) {
    probabilities.fill(exploration.epsilon / n);
    probabilities[0] = 1 - exploration.epsilon + exploration.epsilon / n;
    return probabilities;
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logit(rankedScores[i]!) / exploration.temperature);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    probabilities[i] = Math.exp(logit(rankedScores[i]!) / exploration.temperature - max);
    sum += probabilities[i]!;
  }
  for (let i = 0; i < n; i++) probabilities[i]! /= sum;
  return probabilities;
}

/**
 * The probability of each rank's item being there, when the first is drawn from `first` and
 * the rest follow in ranked order. Position p ≥ 1 holds ranked item p − 1 when the draw was
 * beyond it and item p otherwise, so its probability is a tail or a head sum of `first`.
 */
export function rankProbabilities(first: ArrayLike<number>, chosen: number, count: number): number[] {
  const probabilities = [first[chosen]!];
  let head = 0;
  for (let p = 1; p < Math.min(count, first.length); p++) {
    head += first[p - 1]!;
    probabilities.push(chosen >= p ? 1 - head : head);
  }
  return probabilities;
}
