import { PlayerContext } from "../gen/vitrine/v1/common.js";
import type {
  DecisionStore,
  Impression,
  ItemReward,
  LoggedCandidates,
  LoggedDecision,
  RankedEntry,
  TrackedDecision,
} from "../recommend/loggedDecision.js";
import type { Logger } from "../log/logger.js";
import { writeTransaction, type Db } from "./database.js";

export interface DecisionStoreOptions {
  /** How long a write may wait in the buffer, in ms. */
  flushIntervalMs: number;
  /** Flush at once when this many writes wait. */
  flushRows: number;
  /** Decisions kept in memory after their writes reached the disk, for fast rewards. */
  cachedDecisions: number;
  log: Logger;
}

/** How long a failed flush waits before trying again, so a locked database is not hammered. */
const flushRetryMs = 100;

interface DecisionRow {
  game_id: string;
  decision_id: string;
  placement_id: string;
  scene_id: string;
  player_key: Buffer;
  session_id: string;
  personalized: number;
  policy: number;
  empty_reason: number;
  model_version: string;
  decision_time: number;
  reward_deadline: number;
  default_reward: number;
  context: Buffer;
  ranked: string;
  settle_time: number | null;
}

const keyOf = (gameId: string, decisionId: string) => gameId + "\u0000" + decisionId;

/**
 * Decisions in SQLite, written in batches: each write is buffered and the buffer is flushed in
 * one transaction every few milliseconds (or sooner when it fills), which keeps the synchronous
 * commit off the per-call path. Decisions with buffered writes are always in the in-memory
 * cache, so readers never see the store behind what was appended.
 */
export function createSqliteDecisionStore(db: Db, options: DecisionStoreOptions): DecisionStore {
  const insertDecision = db.prepare(`
    INSERT INTO decisions (game_id, decision_id, placement_id, scene_id, player_key, session_id, personalized, policy,
      empty_reason, model_version, decision_time, reward_deadline, default_reward, context, item_id, creative_id,
      campaign_id, propensity, creative_propensity, ranked, candidates, settle_time)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const upsertReward = db.prepare(`
    INSERT INTO decision_rewards (game_id, decision_id, item_id, total, signals, trained_label) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (game_id, decision_id, item_id) DO UPDATE SET total = excluded.total, signals = excluded.signals, trained_label = excluded.trained_label`);
  const insertRewardId = db.prepare("INSERT INTO decision_reward_ids (game_id, decision_id, reward_id) VALUES (?, ?, ?)");
  const selectRewardIds = db.prepare<[string, string], string>("SELECT reward_id FROM decision_reward_ids WHERE game_id = ? AND decision_id = ?").pluck();
  const updateSettled = db.prepare("UPDATE decisions SET reward = ?, settle_time = ? WHERE game_id = ? AND decision_id = ?");
  const selectDecision = db.prepare<[string, string], DecisionRow>("SELECT * FROM decisions WHERE game_id = ? AND decision_id = ?");
  const selectRewards = db.prepare<[string, string], { item_id: string; total: number; signals: number; trained_label: number }>(
    "SELECT item_id, total, signals, trained_label FROM decision_rewards WHERE game_id = ? AND decision_id = ?",
  );
  const selectDue = db.prepare<[number, number], { game_id: string; decision_id: string }>(
    "SELECT game_id, decision_id FROM decisions WHERE settle_time IS NULL AND reward_deadline <= ? ORDER BY reward_deadline LIMIT ?",
  );
  const selectImpressions = db.prepare<
    [number],
    { game_id: string; placement_id: string; player_key: Buffer; session_id: string; item_id: string; campaign_id: string | null; decision_time: number }
  >(
    "SELECT game_id, placement_id, player_key, session_id, item_id, campaign_id, decision_time FROM decisions WHERE decision_time >= ? AND item_id IS NOT NULL",
  );
  const selectCampaignTotals = db.prepare<[], { game_id: string; campaign_id: string; count: number }>(
    "SELECT game_id, campaign_id, count(*) AS count FROM decisions WHERE campaign_id IS NOT NULL GROUP BY game_id, campaign_id",
  );

  const cache = new Map<string, TrackedDecision>();
  let pending: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** The last flush failed and a retry is scheduled: until it succeeds, only the timer flushes. */
  let retrying = false;

  const writeAll = writeTransaction(db, (writes: (() => void)[]) => {
    for (const write of writes) write();
  });

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const writes = pending;
    pending = [];
    try {
      writeAll(writes);
      retrying = false;
    } catch (error) {
      // The transaction rolled back: keep its writes, in order, for the next attempt. Their
      // decisions stay cached meanwhile, so rewards and settlement still find them.
      pending = writes.concat(pending);
      retrying = true;
      timer = setTimeout(flush, flushRetryMs);
      options.log.error("decision log write failed; retrying", { error, writes: pending.length });
      return;
    }
    // Only now may decisions leave the cache: none of them has a write waiting.
    for (const key of cache.keys()) {
      if (cache.size <= options.cachedDecisions) break;
      cache.delete(key);
    }
  };

  const enqueue = (write: () => void) => {
    pending.push(write);
    if (pending.length >= options.flushRows && !retrying) flush();
    else timer ??= setTimeout(flush, options.flushIntervalMs);
  };

  const load = (gameId: string, decisionId: string): TrackedDecision | undefined => {
    const row = selectDecision.get(gameId, decisionId);
    if (!row) return undefined;
    const rewards = new Map<string, ItemReward>(
      selectRewards.all(gameId, decisionId).map((r) => [r.item_id, { total: r.total, signals: r.signals, trainedLabel: r.trained_label }]),
    );
    return {
      decision: {
        gameId: row.game_id,
        decisionId: row.decision_id,
        placementId: row.placement_id,
        sceneId: row.scene_id,
        playerKey: row.player_key,
        sessionId: row.session_id,
        personalized: row.personalized === 1,
        policy: row.policy,
        emptyReason: row.empty_reason,
        modelVersion: row.model_version,
        time: row.decision_time,
        rewardDeadline: row.reward_deadline,
        defaultReward: row.default_reward,
        context: PlayerContext.decode(row.context),
        ranked: JSON.parse(row.ranked) as RankedEntry[],
      },
      rewards,
      rewardIds: new Set(selectRewardIds.all(gameId, decisionId)),
      settled: row.settle_time !== null,
    };
  };

  const find = (gameId: string, decisionId: string): TrackedDecision | undefined => {
    const key = keyOf(gameId, decisionId);
    const cached = cache.get(key);
    if (cached) return cached;
    const loaded = load(gameId, decisionId);
    if (loaded) cache.set(key, loaded);
    return loaded;
  };

  return {
    append(decision: LoggedDecision, candidates: LoggedCandidates) {
      const first = decision.ranked[0];
      const empty = first === undefined;
      cache.set(keyOf(decision.gameId, decision.decisionId), { decision, rewards: new Map(), rewardIds: new Set(), settled: empty });
      const context = Buffer.from(PlayerContext.encode(decision.context).finish());
      enqueue(() =>
        insertDecision.run(
          decision.gameId,
          decision.decisionId,
          decision.placementId,
          decision.sceneId,
          decision.playerKey,
          decision.sessionId,
          decision.personalized ? 1 : 0,
          decision.policy,
          decision.emptyReason,
          decision.modelVersion,
          decision.time,
          decision.rewardDeadline,
          decision.defaultReward,
          context,
          first?.itemId ?? null,
          first?.creativeId ?? null,
          first?.campaignId ?? null,
          first?.probability ?? null,
          first?.creativeProbability ?? null,
          JSON.stringify(decision.ranked),
          JSON.stringify(candidates),
          // An empty decision has nothing to reward: it is settled when made.
          empty ? decision.time : null,
        ),
      );
    },
    find,
    saveReward(tracked, itemId, rewardId) {
      const { gameId, decisionId } = tracked.decision;
      const reward = tracked.rewards.get(itemId)!;
      const { total, signals, trainedLabel } = reward;
      enqueue(() => {
        upsertReward.run(gameId, decisionId, itemId, total, signals, trainedLabel);
        if (rewardId) insertRewardId.run(gameId, decisionId, rewardId);
      });
    },
    settle(tracked, reward, time) {
      tracked.settled = true;
      const { gameId, decisionId } = tracked.decision;
      enqueue(() => updateSettled.run(reward, time, gameId, decisionId));
    },
    dueForSettlement(time, limit) {
      if (!retrying) flush();
      return selectDue
        .all(time, limit)
        .map((row) => find(row.game_id, row.decision_id)!)
        .filter((tracked) => !tracked.settled);
    },
    impressionsSince(time): Impression[] {
      return selectImpressions.all(time).map((row) => ({
        gameId: row.game_id,
        placementId: row.placement_id,
        playerKey: row.player_key,
        sessionId: row.session_id,
        itemId: row.item_id,
        campaignId: row.campaign_id ?? undefined,
        time: row.decision_time,
      }));
    },
    campaignImpressions() {
      return selectCampaignTotals.all().map((row) => ({ gameId: row.game_id, campaignId: row.campaign_id, count: row.count }));
    },
    flush,
    close() {
      flush();
      // A flush that failed now has nobody to retry it.
      clearTimeout(timer);
      if (pending.length > 0) options.log.error("decision log writes lost at close", { writes: pending.length });
    },
  };
}
