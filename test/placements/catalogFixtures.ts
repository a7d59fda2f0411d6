import { status as grpcStatus, type ServiceError } from "@grpc/grpc-js";
import assert from "node:assert/strict";
import { Campaign, ControlPolicy, Creative, Item, Placement, Scene, Status } from "../../src/gen/vitrine/v1/catalog.js";
import { PlacementFormat } from "../../src/gen/vitrine/v1/common.js";
import { invalidFieldTrailer } from "../../src/server/toServiceError.js";

/** A valid resource of each kind, referring to each other: tests change one field at a time. */
export const scene = (overrides: Partial<Scene> = {}): Scene =>
  Scene.fromPartial({
    sceneId: "plaza",
    displayName: "Plaza",
    bounds: { min: { x: -100, y: 0, z: -100 }, max: { x: 100, y: 40, z: 100 } },
    ...overrides,
  });

export const item = (overrides: Partial<Item> = {}): Item =>
  Item.fromPartial({
    itemId: "shoe-1",
    displayName: "Shoe",
    brand: "Stride",
    category: "sneakers",
    tags: ["sport"],
    formats: [PlacementFormat.PLACEMENT_FORMAT_BILLBOARD, PlacementFormat.PLACEMENT_FORMAT_PRODUCT_STAND],
    features: { weight: 0.3 },
    ...overrides,
  });

export const creative = (overrides: Partial<Creative> = {}): Creative =>
  Creative.fromPartial({ creativeId: "shoe-1-v1", itemId: "shoe-1", headlineTemplate: "Meet the {item}", color: "#112233", locale: "en-US", ...overrides });

export const placement = (overrides: Partial<Placement> = {}): Placement =>
  Placement.fromPartial({
    placementId: "board-1",
    sceneId: "plaza",
    displayName: "Board",
    position: { x: 1, y: 2, z: 3 },
    facing: { x: 0, y: 0, z: 1 },
    format: PlacementFormat.PLACEMENT_FORMAT_BILLBOARD,
    widthM: 6,
    heightM: 3,
    exploration: { epsilon: 0.1 },
    frequencyCap: { perSession: 3, perDay: 10 },
    rewardWeights: { interaction: 2 },
    abSplit: { controlShare: 0.2, controlPolicy: ControlPolicy.CONTROL_POLICY_RANDOM },
    ...overrides,
  });

export const campaign = (overrides: Partial<Campaign> = {}): Campaign =>
  Campaign.fromPartial({
    campaignId: "summer",
    displayName: "Summer",
    brand: "Stride",
    itemIds: ["shoe-1"],
    startTime: new Date("2026-06-01T00:00:00Z"),
    endTime: new Date("2026-09-01T00:00:00Z"),
    priority: 50,
    status: Status.STATUS_ACTIVE,
    ...overrides,
  });

/** The error a call failed with, after checking its status code. */
export async function expectCode(promise: Promise<unknown>, code: grpcStatus): Promise<ServiceError> {
  const error = await promise.then(
    () => assert.fail(`expected status ${grpcStatus[code]}`),
    (e: ServiceError) => e,
  );
  assert.equal(error.code, code, `got ${grpcStatus[error.code]}: ${error.details}`);
  return error;
}

/** Checks a call fails with INVALID_ARGUMENT naming `field`. */
export async function expectInvalidField(promise: Promise<unknown>, field: string): Promise<void> {
  const error = await expectCode(promise, grpcStatus.INVALID_ARGUMENT);
  assert.equal(error.metadata.get(invalidFieldTrailer)[0], field, error.details);
}
