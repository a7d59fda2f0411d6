import type { Scope } from "../auth/scopes.js";
import { PlacementServiceService, type PlacementServiceServer } from "../gen/vitrine/v1/placement_service.js";
import type { AppDeps, Capability } from "../server/capability.js";
import { unary, type CallContext } from "../server/handlers.js";
import { createSqliteCatalogStore } from "../storage/sqliteCatalogStore.js";
import type { KindName } from "./catalogKinds.js";
import { createCatalogService, type ListRequest } from "./catalogService.js";

// Game code may read what it renders; campaigns (budgets, targeting) stay with designers.
const catalogReaders: readonly Scope[] = ["client", "designer", "admin"];
const designers: readonly Scope[] = ["designer", "admin"];

const gameOf = (context: CallContext) => context.caller.game.gameId;

/** PlacementService: each RPC decoded, handed to the catalog service, and its result encoded. */
export function createPlacementCapability(deps: AppDeps): Capability {
  const catalog = createCatalogService(createSqliteCatalogStore(deps.db));
  const page = <K extends KindName>(kind: K, context: CallContext, request: ListRequest<K>) => catalog.list(kind, gameOf(context), request);

  const implementation: PlacementServiceServer = {
    createScene: unary(deps, designers, (request, context) => ({ scene: catalog.create("scenes", gameOf(context), request.scene) })),
    getScene: unary(deps, catalogReaders, (request, context) => ({ scene: catalog.get("scenes", gameOf(context), request.sceneId) })),
    listScenes: unary(deps, catalogReaders, ({ pageSize, pageToken, displayNamePrefix }, context) => {
      const { resources, nextPageToken } = page("scenes", context, { pageSize, pageToken, filter: { displayNamePrefix } });
      return { scenes: resources, nextPageToken };
    }),
    updateScene: unary(deps, designers, (request, context) => ({
      scene: catalog.update("scenes", gameOf(context), request.scene, request.updateMask ?? []),
    })),
    deleteScene: unary(deps, designers, (request, context) => {
      catalog.delete("scenes", gameOf(context), request.sceneId, { cascade: request.cascade });
      return {};
    }),

    createPlacement: unary(deps, designers, (request, context) => ({
      placement: catalog.create("placements", gameOf(context), request.placement),
    })),
    getPlacement: unary(deps, catalogReaders, (request, context) => ({
      placement: catalog.get("placements", gameOf(context), request.placementId),
    })),
    listPlacements: unary(deps, catalogReaders, ({ pageSize, pageToken, sceneId, status, format }, context) => {
      const { resources, nextPageToken } = page("placements", context, { pageSize, pageToken, filter: { sceneId, status, format } });
      return { placements: resources, nextPageToken };
    }),
    updatePlacement: unary(deps, designers, (request, context) => ({
      placement: catalog.update("placements", gameOf(context), request.placement, request.updateMask ?? []),
    })),
    deletePlacement: unary(deps, designers, (request, context) => {
      catalog.delete("placements", gameOf(context), request.placementId);
      return {};
    }),

    createItem: unary(deps, designers, (request, context) => ({ item: catalog.create("items", gameOf(context), request.item) })),
    getItem: unary(deps, catalogReaders, (request, context) => ({ item: catalog.get("items", gameOf(context), request.itemId) })),
    listItems: unary(deps, catalogReaders, ({ pageSize, pageToken, brand, category, status }, context) => {
      const { resources, nextPageToken } = page("items", context, { pageSize, pageToken, filter: { brand, category, status } });
      return { items: resources, nextPageToken };
    }),
    updateItem: unary(deps, designers, (request, context) => ({
      item: catalog.update("items", gameOf(context), request.item, request.updateMask ?? []),
    })),
    deleteItem: unary(deps, designers, (request, context) => {
      catalog.delete("items", gameOf(context), request.itemId);
      return {};
    }),

    createCreative: unary(deps, designers, (request, context) => ({
      creative: catalog.create("creatives", gameOf(context), request.creative),
    })),
    getCreative: unary(deps, catalogReaders, (request, context) => ({
      creative: catalog.get("creatives", gameOf(context), request.creativeId),
    })),
    listCreatives: unary(deps, catalogReaders, ({ pageSize, pageToken, itemId }, context) => {
      const { resources, nextPageToken } = page("creatives", context, { pageSize, pageToken, filter: { itemId } });
      return { creatives: resources, nextPageToken };
    }),
    updateCreative: unary(deps, designers, (request, context) => ({
      creative: catalog.update("creatives", gameOf(context), request.creative, request.updateMask ?? []),
    })),
    deleteCreative: unary(deps, designers, (request, context) => {
      catalog.delete("creatives", gameOf(context), request.creativeId);
      return {};
    }),

    createCampaign: unary(deps, designers, (request, context) => ({
      campaign: catalog.create("campaigns", gameOf(context), request.campaign),
    })),
    getCampaign: unary(deps, designers, (request, context) => ({
      campaign: catalog.get("campaigns", gameOf(context), request.campaignId),
    })),
    listCampaigns: unary(deps, designers, ({ pageSize, pageToken, brand, status }, context) => {
      const { resources, nextPageToken } = page("campaigns", context, { pageSize, pageToken, filter: { brand, status } });
      return { campaigns: resources, nextPageToken };
    }),
    updateCampaign: unary(deps, designers, (request, context) => ({
      campaign: catalog.update("campaigns", gameOf(context), request.campaign, request.updateMask ?? []),
    })),
    deleteCampaign: unary(deps, designers, (request, context) => {
      catalog.delete("campaigns", gameOf(context), request.campaignId);
      return {};
    }),
  };
  return { services: [{ name: "vitrine.v1.PlacementService", definition: PlacementServiceService, implementation }] };
}
