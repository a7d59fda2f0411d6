import type { DecisionStore, Impression } from "./loggedDecision.js";

const dayMs = 86_400_000;
export const utcDay = (time: number) => Math.floor(time / dayMs);

/** A player's key as a map key. */
export const playerTag = (playerKey: Buffer) => playerKey.toString("base64");

const join = (...parts: string[]) => parts.join("\u0000");

/**
 * How often each item was shown, kept in memory for the frequency and campaign caps and
 * rebuilt from the logged decisions at start-up. Counts are bucketed by UTC day; a session's
 * count spans today and yesterday so that a session crossing midnight keeps its count.
 */
export class ImpressionCounts {
  private readonly byDay = new Map<number, Map<string, number>>();
  private readonly campaignTotals = new Map<string, number>();
  private newestDay = 0;

  /** Counts rebuilt from the store: the last two days of impressions and every campaign's total. */
  static rebuild(store: DecisionStore, now: number): ImpressionCounts {
    const counts = new ImpressionCounts();
    for (const impression of store.impressionsSince((utcDay(now) - 1) * dayMs)) counts.countDaily(impression);
    for (const { gameId, campaignId, count } of store.campaignImpressions()) counts.campaignTotals.set(join(gameId, campaignId), count);
    return counts;
  }

  record(impression: Impression): void {
    this.countDaily(impression);
    if (impression.campaignId) {
      const key = join(impression.gameId, impression.campaignId);
      this.campaignTotals.set(key, (this.campaignTotals.get(key) ?? 0) + 1);
    }
  }

  /** Times the item was shown at the placement in this session. */
  perSession(gameId: string, placementId: string, sessionId: string, itemId: string, now: number): number {
    const key = join("s", gameId, placementId, sessionId, itemId);
    return this.count(utcDay(now), key) + this.count(utcDay(now) - 1, key);
  }

  /** Times the item was shown at the placement to the player today (UTC). */
  perDay(gameId: string, placementId: string, player: string, itemId: string, now: number): number {
    return this.count(utcDay(now), join("d", gameId, placementId, player, itemId));
  }

  /** Impressions of the campaign for the player today (UTC). */
  campaignPerPlayerDay(gameId: string, campaignId: string, player: string, now: number): number {
    return this.count(utcDay(now), join("c", gameId, campaignId, player));
  }

  campaignTotal(gameId: string, campaignId: string): number {
    return this.campaignTotals.get(join(gameId, campaignId)) ?? 0;
  }

  private count(day: number, key: string): number {
    return this.byDay.get(day)?.get(key) ?? 0;
  }

  private countDaily(impression: Impression): void {
    const day = utcDay(impression.time);
    if (day > this.newestDay) {
      this.newestDay = day;
      for (const old of this.byDay.keys()) if (old < day - 1) this.byDay.delete(old);
    }
    if (day < this.newestDay - 1) return;
    let bucket = this.byDay.get(day);
    if (!bucket) this.byDay.set(day, (bucket = new Map()));
    const { gameId, placementId, itemId } = impression;
    const player = playerTag(impression.playerKey);
    const keys = [join("s", gameId, placementId, impression.sessionId, itemId), join("d", gameId, placementId, player, itemId)];
    if (impression.campaignId) keys.push(join("c", gameId, impression.campaignId, player));
    for (const key of keys) bucket.set(key, (bucket.get(key) ?? 0) + 1);
  }
}
