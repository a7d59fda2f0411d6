import type { Candidate, EngagementModel, ModelStatus, ScoringContext, TrainingExample } from "../../../src/model/engagementModel.js";

/**
 * A deterministic EngagementModel for testing the policy: scores come from a table keyed by
 * "item/creative" or "item" (else `fallback`), and every call and example is recorded.
 */
export class LookupTableModel implements EngagementModel {
  readonly table = new Map<string, number>();
  readonly scored: { scoring: ScoringContext; candidates: readonly Candidate[] }[] = [];
  readonly learned: TrainingExample[] = [];
  fallback = 0.5;
  private trainingSteps = 0;

  constructor(scores: Record<string, number> = {}) {
    for (const [key, score] of Object.entries(scores)) this.table.set(key, score);
  }

  get version(): string {
    return `table-${this.trainingSteps}`;
  }

  async score(scoring: ScoringContext, candidates: readonly Candidate[]): Promise<Float64Array> {
    this.scored.push({ scoring, candidates });
    return Float64Array.from(
      candidates.map((c) => this.table.get(`${c.item.itemId}/${c.creative?.creativeId ?? ""}`) ?? this.table.get(c.item.itemId) ?? this.fallback),
    );
  }

  learn(example: TrainingExample): void {
    this.learned.push(example);
    this.trainingSteps += 1;
  }

  status(): ModelStatus {
    return {
      backend: "table",
      version: this.version,
      examplesSeen: this.learned.length,
      pendingExamples: 0,
      progressiveLogLoss: 0,
      progressiveAuc: 0,
      calibration: [],
    };
  }
}
