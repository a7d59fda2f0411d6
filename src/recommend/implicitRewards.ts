import type { RewardWeights } from "../gen/vitrine/v1/catalog.js";
import { Sentiment, type Event, type Feedback } from "../gen/vitrine/v1/events.js";
import { DomainError } from "../errors/domainErrors.js";
import type { Logger } from "../log/logger.js";
import type { CatalogSnapshots } from "../placements/catalogSnapshot.js";
import type { CommittedEvent, CommittedEventsListener } from "../telemetry/committedEvents.js";
import { isViewable } from "../telemetry/viewability.js";
import type { RewardLedger } from "./rewardLedger.js";

/** The reward weights of a placement, with the documented defaults for those it leaves unset. */
export function rewardWeightsOf(weights: RewardWeights | undefined): Required<RewardWeights> {
  return {
    viewableExposure: weights?.viewableExposure ?? 0.1,
    interaction: weights?.interaction ?? 1,
    conversion: weights?.conversion ?? 5,
    feedback: weights?.feedback ?? 1,
  };
}

/** What an event says about a decision: which item and which outcome, in units of the placement's weights. */
interface Outcome {
  decisionId: string;
  itemId: string;
  value: (weights: Required<RewardWeights>) => number;
}

function feedbackSign(signal: Feedback["signal"]): number {
  if (signal?.$case === "sentiment") return signal.value === Sentiment.SENTIMENT_LIKE ? 1 : signal.value === Sentiment.SENTIMENT_DISLIKE ? -1 : 0;
  if (signal?.$case === "rating") return signal.value >= 4 ? 1 : signal.value <= 2 ? -1 : 0;
  return 0;
}

/** The outcome an event reports for a decision, if it carries a decision_id and counts as one. */
export function outcomeOf(event: Event): Outcome | undefined {
  const payload = event.payload;
  switch (payload?.$case) {
    case "exposure": {
      const exposure = payload.value;
      if (!exposure.decisionId || !isViewable(exposure)) return undefined;
      return { decisionId: exposure.decisionId, itemId: exposure.itemId, value: (w) => w.viewableExposure };
    }
    case "interaction":
      return payload.value.decisionId ? { decisionId: payload.value.decisionId, itemId: payload.value.itemId, value: (w) => w.interaction } : undefined;
    case "conversion":
      return payload.value.decisionId ? { decisionId: payload.value.decisionId, itemId: payload.value.itemId, value: (w) => w.conversion } : undefined;
    case "feedback": {
      const sign = feedbackSign(payload.value.signal);
      if (!payload.value.decisionId || sign === 0) return undefined;
      return { decisionId: payload.value.decisionId, itemId: payload.value.itemId, value: (w) => sign * w.feedback };
    }
    default:
      return undefined;
  }
}

/**
 * Turns committed telemetry that carries a decision_id into rewards, weighted by the decision's
 * placement. Events for unknown or expired decisions, for items the decision did not rank, or
 * from another player than the decision's are ignored: telemetry is not the place to refuse them.
 */
export function createImplicitRewardsListener(ledger: RewardLedger, catalog: CatalogSnapshots, log: Logger): CommittedEventsListener {
  const apply = (committed: CommittedEvent) => {
    const outcome = outcomeOf(committed.event);
    if (!outcome) return;
    const tracked = ledger.openDecision(committed.gameId, outcome.decisionId);
    const { decision } = tracked;
    if (!decision.playerKey.equals(committed.playerKey)) return;
    const entry = outcome.itemId ? decision.ranked.find((e) => e.itemId === outcome.itemId) : decision.ranked[0];
    if (!entry) return;
    const placement = catalog.get(decision.gameId).placements.get(decision.placementId);
    ledger.add(tracked, entry, outcome.value(rewardWeightsOf(placement?.rewardWeights)));
  };
  return {
    onCommitted(events) {
      for (const committed of events) {
        try {
          apply(committed);
        } catch (error) {
          if (!(error instanceof DomainError)) log.error("implicit reward failed", { error });
        }
      }
    },
  };
}
