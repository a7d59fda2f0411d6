import { RecommendationServiceService } from "../gen/vitrine/v1/recommendation_service.js";
import type { EngagementModel } from "../model/engagementModel.js";
import type { AppDeps, Capability } from "../server/capability.js";
import { openDatabase } from "../storage/database.js";
import { createSqliteDecisionStore } from "../storage/sqliteDecisionStore.js";
import { createSqlitePlayerProfiles } from "../storage/sqlitePlayerProfiles.js";
import { createSqlitePlayerSessions } from "../storage/sqlitePlayerSessions.js";
import type { CommittedEventsListener } from "../telemetry/committedEvents.js";
import type { PlayerProfiles } from "../telemetry/playerProfiles.js";
import { createImplicitRewardsListener } from "./implicitRewards.js";
import { ImpressionCounts } from "./impressionCounts.js";
import { PlacementDecider } from "./placementDecider.js";
import type { PlayerSessions } from "./playerSessions.js";
import type { Random } from "./random.js";
import { recommendHandlers } from "./recommendHandlers.js";
import { Recommendations } from "./recommendations.js";
import { RewardLedger } from "./rewardLedger.js";

/** What tests (and benchmarks) may replace; production uses the defaults. */
export interface RecommendOptions {
  /** Draws exploration; Math.random by default, seeded in tests. */
  random?: Random;
  /** The clock, ms since the epoch. */
  now?: () => number;
  /** Where consent and session context come from; the sessions table by default. */
  sessions?: PlayerSessions;
  /** Player profiles for scoring and training; the players tables by default. */
  profiles?: PlayerProfiles;
}

export interface RecommendCapability extends Capability {
  /** Turns committed telemetry carrying a decision_id into rewards; telemetry calls it after each commit. */
  listener: CommittedEventsListener;
}

/** RecommendationService: decisions with exploration, logged with their propensities, and the rewards that train the model. */
export function createRecommendCapability(deps: AppDeps, model: EngagementModel, options: RecommendOptions = {}): RecommendCapability {
  const { config } = deps;
  const now = options.now ?? Date.now;
  const profiles = options.profiles ?? createSqlitePlayerProfiles(deps.db);
  // Decisions are written on their own connection with synchronous=NORMAL: a commit then costs
  // no fsync, at the price of losing the last moments of decisions on a power cut (never on a
  // process crash), which their rewards and evaluation can afford.
  const decisionsDb = openDatabase(config.databasePath, { busyTimeoutMs: config.databaseBusyTimeoutMs });
  decisionsDb.pragma("synchronous = NORMAL");
  const store = createSqliteDecisionStore(decisionsDb, {
    flushIntervalMs: config.decisionFlushIntervalMs,
    flushRows: config.decisionFlushRows,
    cachedDecisions: config.decisionCacheSize,
    log: deps.log,
  });
  const counts = ImpressionCounts.rebuild(store, now());
  const decider = new PlacementDecider({ model, counts, store, random: options.random ?? Math.random });
  const ledger = new RewardLedger({ store, model, catalog: deps.catalog, profiles, maxImportanceWeight: config.maxImportanceWeight, now });
  const recommendations = new Recommendations({
    catalog: deps.catalog,
    sessions: options.sessions ?? createSqlitePlayerSessions(deps.db),
    profiles,
    decider,
    ledger,
    now,
  });

  const sweeper = setInterval(() => {
    try {
      ledger.settleDue();
    } catch (error) {
      deps.log.error("reward settlement failed", { error });
    }
  }, config.rewardSweepIntervalMs);
  sweeper.unref();

  return {
    services: [{ name: "vitrine.v1.RecommendationService", definition: RecommendationServiceService, implementation: recommendHandlers(deps, recommendations) }],
    listener: createImplicitRewardsListener(ledger, deps.catalog, deps.log),
    async close() {
      clearInterval(sweeper);
      store.close();
      decisionsDb.close();
    },
  };
}
