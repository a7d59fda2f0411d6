import { InvalidArgumentError } from "../errors/domainErrors.js";
import {
  ControlPolicy,
  ExplorationStrategy,
  PriceTier,
  Status,
  type Campaign,
  type Creative,
  type Item,
  type Placement,
  type Scene,
} from "../gen/vitrine/v1/catalog.js";
import { AgeBand, PlacementFormat, Platform, type Bounds, type Vector3 } from "../gen/vitrine/v1/common.js";
import { snakeCase } from "./protoFieldNames.js";

/** What a resource may refer to, looked up in the store (RPCs) or in the catalog being imported. */
export interface CatalogReferences {
  scene(sceneId: string): Scene | undefined;
  item(itemId: string): Item | undefined;
}

const catalogIdPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const colorPattern = /^#[0-9A-Fa-f]{6}$/;
const localePattern = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const regionPattern = /^[A-Z]{2}$/;

function fail(field: string, reason: string): never {
  throw new InvalidArgumentError(field, reason);
}

export function checkCatalogId(id: string, field: string): void {
  if (!catalogIdPattern.test(id)) fail(field, "expected 1..64 characters from [a-z0-9._-], starting with a letter or digit");
}

function checkLength(value: string, min: number, max: number, field: string): void {
  // Code points, not UTF-16 units, so the limit means what a designer counts.
  const length = [...value].length;
  if (length < min || length > max) fail(field, min === 0 ? `at most ${max} characters` : `expected ${min}..${max} characters`);
}

function checkNumber(value: number, min: number, max: number, field: string): void {
  if (!Number.isFinite(value) || value < min || value > max) fail(field, `expected a number in ${min}..${max}`);
}

function checkInteger(value: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < min || value > max) fail(field, `expected a whole number in ${min}..${max}`);
}

/** Enum values are checked by name because a client may send a number no name has. */
function checkEnum(value: number, values: object, field: string, options: { required: boolean }): void {
  const known = typeof (values as Record<number, unknown>)[value] === "string" && value >= 0;
  if (!known) fail(field, "unknown value");
  if (options.required && value === 0) fail(field, "required");
}

function checkVector(vector: Vector3 | undefined, field: string, options: { required: boolean }): void {
  if (vector === undefined) {
    if (options.required) fail(field, "required");
    return;
  }
  for (const axis of ["x", "y", "z"] as const) {
    if (!Number.isFinite(vector[axis])) fail(`${field}.${axis}`, "must be finite");
  }
}

function checkBounds(bounds: Bounds | undefined, field: string): void {
  if (bounds === undefined) return;
  checkVector(bounds.min, `${field}.min`, { required: true });
  checkVector(bounds.max, `${field}.max`, { required: true });
  for (const axis of ["x", "y", "z"] as const) {
    if (bounds.max![axis] < bounds.min![axis]) fail(`${field}.max.${axis}`, "must be >= min");
  }
}

function isInside(point: Vector3, bounds: Bounds): boolean {
  return (["x", "y", "z"] as const).every((axis) => point[axis] >= bounds.min![axis] && point[axis] <= bounds.max![axis]);
}

function checkLabels(labels: readonly string[], maxCount: number, field: string): void {
  if (labels.length > maxCount) fail(field, `at most ${maxCount} entries`);
  labels.forEach((label, index) => checkLength(label, 1, 64, `${field}[${index}]`));
}

function checkDate(date: Date | undefined, field: string): Date {
  if (date === undefined) fail(field, "required");
  if (Number.isNaN(date.getTime())) fail(field, "not a valid time (use RFC 3339, e.g. 2026-06-01T00:00:00Z)");
  return date;
}

function checkItemReference(itemId: string, references: CatalogReferences, field: string): Item {
  checkCatalogId(itemId, field);
  return references.item(itemId) ?? fail(field, `no item "${itemId}"`);
}

/** `path` is where the resource sits in the request or file, e.g. "scene" or "scenes[downtown-plaza]". */
export function validateScene(scene: Scene, path: string): void {
  checkCatalogId(scene.sceneId, `${path}.scene_id`);
  checkLength(scene.displayName, 0, 128, `${path}.display_name`);
  checkLength(scene.description, 0, 1024, `${path}.description`);
  checkBounds(scene.bounds, `${path}.bounds`);
}

// As the contract states; it keeps a placement's row small.
const maxEligibleLabels = 64;

export function validatePlacement(placement: Placement, references: CatalogReferences, path: string): void {
  checkCatalogId(placement.placementId, `${path}.placement_id`);
  checkCatalogId(placement.sceneId, `${path}.scene_id`);
  const scene = references.scene(placement.sceneId) ?? fail(`${path}.scene_id`, `no scene "${placement.sceneId}"`);
  checkLength(placement.displayName, 0, 128, `${path}.display_name`);
  checkLength(placement.zoneId, 0, 64, `${path}.zone_id`);
  checkVector(placement.position, `${path}.position`, { required: true });
  if (scene.bounds && !isInside(placement.position!, scene.bounds)) fail(`${path}.position`, `outside the bounds of scene "${scene.sceneId}"`);
  checkVector(placement.facing, `${path}.facing`, { required: false });
  checkEnum(placement.format, PlacementFormat, `${path}.format`, { required: true });
  checkNumber(placement.widthM, 0, 1000, `${path}.width_m`);
  checkNumber(placement.heightM, 0, 1000, `${path}.height_m`);
  checkLabels(placement.eligibleCategories, maxEligibleLabels, `${path}.eligible_categories`);
  checkLabels(placement.eligibleTags, maxEligibleLabels, `${path}.eligible_tags`);
  checkEnum(placement.status, Status, `${path}.status`, { required: false });

  const exploration = placement.exploration;
  if (exploration) {
    const field = `${path}.exploration`;
    checkEnum(exploration.strategy, ExplorationStrategy, `${field}.strategy`, { required: false });
    const softmax = exploration.strategy === ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX;
    if (exploration.epsilon !== undefined) {
      if (softmax) fail(`${field}.epsilon`, "only for epsilon-greedy exploration");
      checkNumber(exploration.epsilon, 0, 1, `${field}.epsilon`);
    }
    if (exploration.temperature !== undefined) {
      if (!softmax) fail(`${field}.temperature`, "only for softmax exploration");
      if (!(exploration.temperature > 0)) fail(`${field}.temperature`, "must be > 0");
      checkNumber(exploration.temperature, 0, 100, `${field}.temperature`);
    }
  }
  if (placement.frequencyCap) {
    checkInteger(placement.frequencyCap.perSession, 0, 1000, `${path}.frequency_cap.per_session`);
    checkInteger(placement.frequencyCap.perDay, 0, 10_000, `${path}.frequency_cap.per_day`);
  }
  if (placement.rewardWeights) {
    for (const [name, weight] of Object.entries(placement.rewardWeights)) {
      if (weight !== undefined) checkNumber(weight, 0, 1000, `${path}.reward_weights.${snakeCase(name)}`);
    }
  }
  if (placement.pinnedItemId !== "") {
    const item = checkItemReference(placement.pinnedItemId, references, `${path}.pinned_item_id`);
    if (!item.formats.includes(placement.format)) {
      fail(`${path}.pinned_item_id`, `item "${item.itemId}" does not support the placement's format ${PlacementFormat[placement.format]}`);
    }
  }
  const split = placement.abSplit;
  if (split) {
    const field = `${path}.ab_split`;
    checkNumber(split.controlShare, 0, 1, `${field}.control_share`);
    checkEnum(split.controlPolicy, ControlPolicy, `${field}.control_policy`, { required: false });
    if (split.controlPolicy === ControlPolicy.CONTROL_POLICY_PINNED && placement.pinnedItemId === "") {
      fail(`${field}.control_policy`, "the pinned control policy needs a pinned_item_id");
    }
    if (split.controlPolicy === ControlPolicy.CONTROL_POLICY_FIXED_PRIORITY && split.priorityItemIds.length === 0) {
      fail(`${field}.priority_item_ids`, "the fixed-priority control policy needs at least one item");
    }
    if (split.priorityItemIds.length > maxEligibleLabels) fail(`${field}.priority_item_ids`, `at most ${maxEligibleLabels} entries`);
    split.priorityItemIds.forEach((itemId, index) => checkItemReference(itemId, references, `${field}.priority_item_ids[${index}]`));
  }
  if (placement.rewardWindowMs !== 0) checkInteger(placement.rewardWindowMs, 1000, 604_800_000, `${path}.reward_window_ms`);
  checkNumber(placement.defaultReward, -1, 1, `${path}.default_reward`);
}

export function validateItem(item: Item, path: string): void {
  checkCatalogId(item.itemId, `${path}.item_id`);
  checkLength(item.displayName, 0, 128, `${path}.display_name`);
  checkLength(item.brand, 1, 64, `${path}.brand`);
  checkLength(item.category, 1, 64, `${path}.category`);
  checkLabels(item.tags, 32, `${path}.tags`);
  if (item.formats.length === 0) fail(`${path}.formats`, "at least one format");
  item.formats.forEach((format, index) => checkEnum(format, PlacementFormat, `${path}.formats[${index}]`, { required: true }));
  checkEnum(item.priceTier, PriceTier, `${path}.price_tier`, { required: false });
  const features = Object.entries(item.features);
  if (features.length > 32) fail(`${path}.features`, "at most 32 entries");
  for (const [key, value] of features) {
    checkLength(key, 1, 64, `${path}.features`);
    if (!Number.isFinite(value)) fail(`${path}.features[${key}]`, "must be finite");
  }
  checkEnum(item.status, Status, `${path}.status`, { required: false });
}

export function validateCreative(creative: Creative, references: CatalogReferences, path: string): void {
  checkCatalogId(creative.creativeId, `${path}.creative_id`);
  checkItemReference(creative.itemId, references, `${path}.item_id`);
  checkLength(creative.headlineTemplate, 0, 256, `${path}.headline_template`);
  if (creative.color !== "" && !colorPattern.test(creative.color)) fail(`${path}.color`, 'expected "#RRGGBB"');
  checkLength(creative.assetUri, 0, 1024, `${path}.asset_uri`);
  if (creative.locale !== "" && !localePattern.test(creative.locale)) fail(`${path}.locale`, 'expected a BCP 47 tag such as "en-US"');
  checkEnum(creative.status, Status, `${path}.status`, { required: false });
}

export function validateCampaign(campaign: Campaign, references: CatalogReferences, path: string): void {
  checkCatalogId(campaign.campaignId, `${path}.campaign_id`);
  checkLength(campaign.displayName, 0, 128, `${path}.display_name`);
  checkLength(campaign.brand, 1, 64, `${path}.brand`);
  if (campaign.itemIds.length === 0) fail(`${path}.item_ids`, "at least one item");
  const seen = new Set<string>();
  campaign.itemIds.forEach((itemId, index) => {
    const field = `${path}.item_ids[${index}]`;
    const item = checkItemReference(itemId, references, field);
    if (item.brand !== campaign.brand) fail(field, `item "${itemId}" is of brand "${item.brand}", not "${campaign.brand}"`);
    if (seen.has(itemId)) fail(field, `"${itemId}" is listed twice`);
    seen.add(itemId);
  });
  const start = checkDate(campaign.startTime, `${path}.start_time`);
  const end = checkDate(campaign.endTime, `${path}.end_time`);
  if (end <= start) fail(`${path}.end_time`, "must be after start_time");
  checkInteger(campaign.priority, 0, 100, `${path}.priority`);
  const targeting = campaign.targeting;
  if (targeting) {
    targeting.platforms.forEach((platform, index) => checkEnum(platform, Platform, `${path}.targeting.platforms[${index}]`, { required: true }));
    targeting.regions.forEach((region, index) => {
      if (!regionPattern.test(region)) fail(`${path}.targeting.regions[${index}]`, 'expected an ISO 3166-1 alpha-2 code such as "FR"');
    });
    targeting.ageBands.forEach((band, index) => checkEnum(band, AgeBand, `${path}.targeting.age_bands[${index}]`, { required: true }));
  }
  if (campaign.caps) {
    checkInteger(campaign.caps.totalImpressions, 0, Number.MAX_SAFE_INTEGER, `${path}.caps.total_impressions`);
    checkInteger(campaign.caps.impressionsPerPlayerPerDay, 0, 2 ** 32 - 1, `${path}.caps.impressions_per_player_per_day`);
  }
  checkEnum(campaign.status, Status, `${path}.status`, { required: false });
}
