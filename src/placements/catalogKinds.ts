import {
  AbSplit,
  Campaign,
  CampaignCaps,
  Creative,
  Exploration,
  FrequencyCap,
  Item,
  Placement,
  RewardWeights,
  Scene,
  Status,
  Targeting,
} from "../gen/vitrine/v1/catalog.js";
import { Bounds, Vector3 } from "../gen/vitrine/v1/common.js";
import {
  validateCampaign,
  validateCreative,
  validateItem,
  validatePlacement,
  validateScene,
  type CatalogReferences,
} from "./catalogValidation.js";

/** The generated functions of a protobuf message that the catalog code needs. */
export interface ProtoMessage<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
  create(): T;
}

/** A message-typed field's message, and its own message-typed fields, for nested field-mask paths. */
export interface NestedMessage {
  message: ProtoMessage<object>;
  nested?: Record<string, NestedMessage>;
}

export interface CatalogResources {
  scenes: Scene;
  items: Item;
  creatives: Creative;
  placements: Placement;
  campaigns: Campaign;
}
export type KindName = keyof CatalogResources;

/** The ids a resource refers to, by the kind they name. */
export interface References {
  scenes: string[];
  items: string[];
}

/** Everything the generic catalog code needs to know about one kind of resource. */
export interface CatalogKind<T> {
  /** The request field holding one, and the root of its error paths, e.g. "scene". */
  singular: string;
  plural: KindName;
  /** Its id's proto field name, e.g. "scene_id". */
  idField: string;
  id(resource: T): string;
  message: ProtoMessage<T>;
  /** Message-typed fields (by ts-proto name), so field masks can reach inside them. */
  nested: Record<string, NestedMessage>;
  validate(resource: T, references: CatalogReferences, path: string): void;
  references(resource: T): References;
  /** Fills in the defaults the contract documents for unset values ("unspecified status is active"). */
  withDefaults(resource: T): T;
}

const vector: NestedMessage = { message: Vector3 };
const noReferences = (): References => ({ scenes: [], items: [] });
const activeIfUnspecified = <T extends { status: Status }>(resource: T): T =>
  resource.status === Status.STATUS_UNSPECIFIED ? { ...resource, status: Status.STATUS_ACTIVE } : resource;

export const catalogKinds: { [K in KindName]: CatalogKind<CatalogResources[K]> } = {
  scenes: {
    singular: "scene",
    plural: "scenes",
    idField: "scene_id",
    id: (scene) => scene.sceneId,
    message: Scene,
    nested: { bounds: { message: Bounds, nested: { min: vector, max: vector } } },
    validate: (scene, _references, path) => validateScene(scene, path),
    references: noReferences,
    withDefaults: (scene) => scene,
  },
  items: {
    singular: "item",
    plural: "items",
    idField: "item_id",
    id: (item) => item.itemId,
    message: Item,
    nested: {},
    validate: (item, _references, path) => validateItem(item, path),
    references: noReferences,
    withDefaults: activeIfUnspecified,
  },
  creatives: {
    singular: "creative",
    plural: "creatives",
    idField: "creative_id",
    id: (creative) => creative.creativeId,
    message: Creative,
    nested: {},
    validate: validateCreative,
    references: (creative) => ({ scenes: [], items: [creative.itemId] }),
    withDefaults: activeIfUnspecified,
  },
  placements: {
    singular: "placement",
    plural: "placements",
    idField: "placement_id",
    id: (placement) => placement.placementId,
    message: Placement,
    nested: {
      position: vector,
      facing: vector,
      exploration: { message: Exploration },
      frequencyCap: { message: FrequencyCap },
      rewardWeights: { message: RewardWeights },
      abSplit: { message: AbSplit },
    },
    validate: validatePlacement,
    references: (placement) => ({
      scenes: [placement.sceneId],
      items: [...(placement.pinnedItemId ? [placement.pinnedItemId] : []), ...(placement.abSplit?.priorityItemIds ?? [])],
    }),
    withDefaults: activeIfUnspecified,
  },
  campaigns: {
    singular: "campaign",
    plural: "campaigns",
    idField: "campaign_id",
    id: (campaign) => campaign.campaignId,
    message: Campaign,
    nested: { targeting: { message: Targeting }, caps: { message: CampaignCaps } },
    validate: validateCampaign,
    references: (campaign) => ({ scenes: [], items: campaign.itemIds }),
    withDefaults: activeIfUnspecified,
  },
};

/** Kinds in the order a whole catalog is written: everything a resource refers to comes before it. */
export const kindNames: readonly KindName[] = ["scenes", "items", "creatives", "placements", "campaigns"];

/** A resource without its server-set times, as designers write it and as imports compare it. */
export function withoutServerTimes<T extends { createTime?: Date; updateTime?: Date }>(resource: T): T {
  return { ...resource, createTime: undefined, updateTime: undefined };
}
