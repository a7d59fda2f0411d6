import { Placement, Status } from "../gen/vitrine/v1/catalog.js";
import { PlayerContext } from "../gen/vitrine/v1/common.js";
import type { Event } from "../gen/vitrine/v1/events.js";
import type { CatalogSnapshot, CatalogSnapshots } from "../placements/catalogSnapshot.js";
import type { CommittedEvent, CommittedEventsListener } from "../telemetry/committedEvents.js";
import type { PlayerProfiles } from "../telemetry/playerProfiles.js";
import { Sentiment } from "../gen/vitrine/v1/events.js";
import type { FeatureEncoder, FeatureSide } from "./featureEncoder.js";
import type { ModelStore } from "./modelStore.js";
import type { OnlineTrainer } from "./onlineTrainer.js";

/** What an event says about a player and an item. */
interface Engagement {
  itemId: string;
  placementId: string;
  creativeId: string;
  /** 1 for engagement; 0 for explicit dislike. */
  label: number;
}

export interface OrganicExamplesDeps {
  catalog: CatalogSnapshots;
  profiles?: PlayerProfiles;
  store: Pick<ModelStore, "sessionContext">;
  encoder: FeatureEncoder;
  trainer: OnlineTrainer;
  negativesPerPositive: number;
  random: () => number;
}

/** Sessions whose context is remembered, so a burst of a session's events reads the store once. */
const sessionCacheSize = 10_000;

/**
 * Turns committed telemetry into training examples: interactions, conversions and likes (or
 * ratings of 4 and 5) are positives, each with negatives drawn from the game's active items;
 * dislikes (and ratings of 1 and 2) are negatives. Events of players without consent are
 * skipped, and so are events that carry a decision_id: the recommend module turns those into
 * bandit feedback, and training on them twice would count them twice.
 */
export class OrganicExamples implements CommittedEventsListener {
  /** The highest seq handed to this listener: every event up to it is queued or trained. */
  lastSeq = 0;
  private readonly sessions = new Map<string, PlayerContext>();
  /** The feature sides of each catalog version's active items, negatives are drawn from. */
  private readonly negativePools = new WeakMap<CatalogSnapshot, FeatureSide[]>();

  constructor(private readonly deps: OrganicExamplesDeps) {}

  onCommitted(events: readonly CommittedEvent[]): void {
    // One catalog look-up per game per commit, not one per event.
    const snapshots = new Map<string, CatalogSnapshot>();
    for (const committed of events) {
      this.lastSeq = Math.max(this.lastSeq, committed.seq);
      if (!committed.consent) continue;
      let snapshot = snapshots.get(committed.gameId);
      if (!snapshot) snapshots.set(committed.gameId, (snapshot = this.deps.catalog.get(committed.gameId)));
      this.learnFrom(committed, snapshot);
    }
  }

  private learnFrom(committed: CommittedEvent, snapshot: CatalogSnapshot): void {
    const engagement = engagementOf(committed.event);
    if (!engagement) return;
    const { profiles, encoder, trainer } = this.deps;
    const { gameId, playerKey, event } = committed;
    const item = snapshot.items.get(engagement.itemId);
    if (!item) return;
    const placement = snapshot.placements.get(engagement.placementId) ?? Placement.fromPartial({ placementId: engagement.placementId, sceneId: event.sceneId });
    const player = encoder.playerSide({
      gameId,
      playerKey,
      profile: profiles?.get(gameId, playerKey),
      context: this.sessionContext(gameId, event.sessionId),
      sceneId: event.sceneId || placement.sceneId,
      placement,
      time: event.clientTime?.getTime() ?? committed.serverTime,
    });
    const positive = encoder.itemSide({ item, creative: snapshot.creatives.get(engagement.creativeId) });
    trainer.enqueue({ player, item: positive, label: engagement.label, weight: 1 });
    if (engagement.label === 0) return;
    for (const negative of this.sampleNegatives(snapshot, this.deps.negativesPerPositive, positive)) trainer.enqueue({ player, item: negative, label: 0, weight: 1 });
    // Replays draw fresh negatives from the catalog as it is then.
    trainer.keepForReplay({ player, item: positive, negatives: { sample: (count, side) => this.sampleNegatives(this.deps.catalog.get(gameId), count, side) } });
  }

  private sampleNegatives(snapshot: CatalogSnapshot, count: number, positive: FeatureSide): FeatureSide[] {
    let pool = this.negativePools.get(snapshot);
    if (!pool) {
      pool = [...snapshot.items.values()].filter((item) => item.status !== Status.STATUS_PAUSED).map((item) => this.deps.encoder.itemSide({ item }));
      this.negativePools.set(snapshot, pool);
    }
    const drawn: FeatureSide[] = [];
    // Bounded tries: a catalog of one item has no negative to give.
    for (let tries = 0; drawn.length < count && tries < count * 4 && pool.length > 1; tries++) {
      const side = pool[Math.floor(this.deps.random() * pool.length)]!;
      if (side.hashes[0] !== positive.hashes[0]) drawn.push(side);
    }
    return drawn;
  }

  private sessionContext(gameId: string, sessionId: string): PlayerContext {
    const key = `${gameId}\u0000${sessionId}`;
    let context = this.sessions.get(key);
    if (!context) {
      context = this.deps.store.sessionContext(gameId, sessionId) ?? PlayerContext.fromPartial({});
      if (this.sessions.size >= sessionCacheSize) this.sessions.clear();
      this.sessions.set(key, context);
    }
    return context;
  }
}

function engagementOf(event: Event): Engagement | undefined {
  const payload = event.payload;
  switch (payload?.$case) {
    case "interaction":
    case "conversion": {
      const { itemId, placementId, decisionId } = payload.value;
      const creativeId = payload.$case === "interaction" ? payload.value.creativeId : "";
      return itemId && !decisionId ? { itemId, placementId, creativeId, label: 1 } : undefined;
    }
    case "feedback": {
      const { itemId, placementId, decisionId, signal } = payload.value;
      if (!itemId || decisionId || !signal) return undefined;
      const label =
        signal.$case === "rating"
          ? signal.value >= 4 ? 1 : signal.value <= 2 ? 0 : undefined
          : signal.value === Sentiment.SENTIMENT_LIKE ? 1 : signal.value === Sentiment.SENTIMENT_DISLIKE ? 0 : undefined;
      return label === undefined ? undefined : { itemId, placementId, creativeId: "", label };
    }
    default:
      return undefined;
  }
}
