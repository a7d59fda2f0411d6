import type { Campaign, Placement } from "../gen/vitrine/v1/catalog.js";
import type { PlayerContext } from "../gen/vitrine/v1/common.js";
import { EmptyReason } from "../gen/vitrine/v1/recommendation_service.js";
import { isActive, type PoolEntry } from "./candidatePool.js";
import type { ImpressionCounts } from "./impressionCounts.js";

/** A candidate that may be shown now, with the campaign it would be delivered for. */
export interface Deliverable {
  entry: PoolEntry;
  campaign?: Campaign;
}

/** Who is being served, and when, as the rules see it. */
export interface Audience {
  gameId: string;
  /** The player's key as playerTag() gives it. */
  player: string;
  sessionId: string;
  context: PlayerContext;
  time: number;
}

const running = (campaign: Campaign, time: number) =>
  isActive(campaign.status) &&
  (campaign.startTime === undefined || campaign.startTime.getTime() <= time) &&
  (campaign.endTime === undefined || time < campaign.endTime.getTime());

function targets(campaign: Campaign, context: PlayerContext): boolean {
  const targeting = campaign.targeting;
  if (!targeting) return true;
  return (
    (targeting.platforms.length === 0 || targeting.platforms.includes(context.platform)) &&
    (targeting.regions.length === 0 || targeting.regions.some((r) => r.toUpperCase() === context.region.toUpperCase())) &&
    (targeting.ageBands.length === 0 || targeting.ageBands.includes(context.ageBand))
  );
}

function underCaps(campaign: Campaign, audience: Audience, counts: ImpressionCounts): boolean {
  const caps = campaign.caps;
  if (!caps) return true;
  if (caps.totalImpressions > 0 && counts.campaignTotal(audience.gameId, campaign.campaignId) >= caps.totalImpressions) return false;
  const perPlayer = caps.impressionsPerPlayerPerDay;
  return perPlayer === 0 || counts.campaignPerPlayerDay(audience.gameId, campaign.campaignId, audience.player, audience.time) < perPlayer;
}

function underFrequencyCap(placement: Placement, itemId: string, audience: Audience, counts: ImpressionCounts): boolean {
  const cap = placement.frequencyCap;
  if (!cap) return true;
  const { gameId, sessionId, player, time } = audience;
  if (cap.perSession > 0 && counts.perSession(gameId, placement.placementId, sessionId, itemId, time) >= cap.perSession) return false;
  return cap.perDay === 0 || counts.perDay(gameId, placement.placementId, player, itemId, time) < cap.perDay;
}

/**
 * The pool's candidates that may be shown to this audience now: an item promoted by campaigns
 * needs one that is running, targets the player and is under its caps (the highest-priority
 * such campaign is the one it is delivered for); every item must be under the placement's
 * frequency caps. When nothing is left, says why.
 */
export function deliverable(
  placement: Placement,
  pool: readonly PoolEntry[],
  audience: Audience,
  counts: ImpressionCounts,
): { deliverable: Deliverable[]; emptyReason: EmptyReason } {
  const result: Deliverable[] = [];
  let capped = false;
  for (const entry of pool) {
    let campaign: Campaign | undefined;
    if (entry.campaigns.length > 0) {
      const targeted = entry.campaigns.filter((c) => running(c, audience.time) && targets(c, audience.context));
      campaign = targeted.find((c) => underCaps(c, audience, counts));
      if (!campaign) {
        capped ||= targeted.length > 0;
        continue;
      }
    }
    if (!underFrequencyCap(placement, entry.item.itemId, audience, counts)) {
      capped = true;
      continue;
    }
    result.push({ entry, campaign });
  }
  const emptyReason =
    result.length > 0 ? EmptyReason.EMPTY_REASON_UNSPECIFIED : capped ? EmptyReason.EMPTY_REASON_CAPPED : EmptyReason.EMPTY_REASON_NO_ELIGIBLE_ITEMS;
  return { deliverable: result, emptyReason };
}
