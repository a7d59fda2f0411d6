import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError, NotFoundError } from "../errors/domainErrors.js";
import { catalogKinds, withoutServerTimes, type CatalogResources, type KindName } from "./catalogKinds.js";
import type { CatalogFilters, CatalogStore } from "./catalogStore.js";
import { checkCatalogId, type CatalogReferences } from "./catalogValidation.js";
import { applyFieldMask } from "./fieldMask.js";
import { checkPageSize, decodePageToken, encodePageToken } from "./pageToken.js";

export interface ListRequest<K extends KindName> {
  pageSize: number;
  pageToken: string;
  filter: CatalogFilters[K];
}

export interface Page<T> {
  resources: T[];
  nextPageToken: string;
}

/** Create, get, list, update and delete of every catalog kind, for one game at a time. */
export interface CatalogService {
  create<K extends KindName>(kind: K, gameId: string, resource: CatalogResources[K] | undefined): CatalogResources[K];
  get<K extends KindName>(kind: K, gameId: string, id: string): CatalogResources[K];
  list<K extends KindName>(kind: K, gameId: string, request: ListRequest<K>): Page<CatalogResources[K]>;
  update<K extends KindName>(kind: K, gameId: string, patch: CatalogResources[K] | undefined, updateMask: readonly string[]): CatalogResources[K];
  /**
   * Deleting is refused with FAILED_PRECONDITION while something depends on the resource, or
   * cascades where nothing of value is lost: a scene with placements is refused unless
   * `cascade`, which deletes them too; an item is refused while a placement pins it or lists it
   * in its A/B priority list, or a campaign lists it, and its creatives go with it; placements,
   * creatives and campaigns have no dependents.
   */
  delete(kind: KindName, gameId: string, id: string, options?: { cascade?: boolean }): void;
}

/** References resolved against what is stored. */
function storedReferences(store: CatalogStore, gameId: string): CatalogReferences {
  return {
    scene: (sceneId) => store.get("scenes", gameId, sceneId),
    item: (itemId) => store.get("items", gameId, itemId),
  };
}

/** The stored resources that refer to the scene or item with this id, by kind. */
function dependentsOf(store: CatalogStore, gameId: string, kind: "scenes" | "items", id: string) {
  const referring = <K extends KindName>(dependentKind: K): CatalogResources[K][] =>
    store.list(dependentKind, gameId, {}).filter((resource) => catalogKinds[dependentKind].references(resource)[kind].includes(id));
  return { creatives: referring("creatives"), placements: referring("placements"), campaigns: referring("campaigns") };
}

export function createCatalogService(store: CatalogStore, now: () => Date = () => new Date()): CatalogService {
  const requireResource = (kind: KindName, resource: unknown): void => {
    if (resource === undefined) throw new InvalidArgumentError(catalogKinds[kind].singular, "required");
  };
  const findExisting = <K extends KindName>(kind: K, gameId: string, id: string, field: string): CatalogResources[K] => {
    checkCatalogId(id, field);
    const resource = store.get(kind, gameId, id);
    if (!resource) throw new NotFoundError(`no ${catalogKinds[kind].singular} "${id}"`);
    return resource;
  };

  /**
   * A changed scene or item must still suit what refers to it (a pinning placement's format,
   * a campaign's brand, a placement's position inside the scene's bounds).
   */
  const checkDependentsStillValid = (kind: KindName, gameId: string, changed: CatalogResources["scenes" | "items"]): void => {
    if (kind !== "scenes" && kind !== "items") return;
    const id = catalogKinds[kind].id(changed as never);
    const stored = storedReferences(store, gameId);
    const references: CatalogReferences = {
      scene: (sceneId) => (kind === "scenes" && sceneId === id ? (changed as CatalogResources["scenes"]) : stored.scene(sceneId)),
      item: (itemId) => (kind === "items" && itemId === id ? (changed as CatalogResources["items"]) : stored.item(itemId)),
    };
    const dependents = dependentsOf(store, gameId, kind, id);
    for (const dependentKind of ["placements", "campaigns"] as const) {
      const dependentType = catalogKinds[dependentKind];
      for (const dependent of dependents[dependentKind]) {
        try {
          dependentType.validate(dependent as never, references, `${dependentKind}[${dependentType.id(dependent as never)}]`);
        } catch (error) {
          if (error instanceof InvalidArgumentError) throw new FailedPreconditionError(`the change would break ${error.message}`);
          throw error;
        }
      }
    }
  };

  return {
    create(kind, gameId, resource) {
      requireResource(kind, resource);
      const type = catalogKinds[kind];
      return store.transaction(() => {
        const time = now();
        const created = { ...type.withDefaults(withoutServerTimes(resource!)), createTime: time, updateTime: time };
        type.validate(created, storedReferences(store, gameId), type.singular);
        if (store.get(kind, gameId, type.id(created))) throw new AlreadyExistsError(`${type.singular} "${type.id(created)}" already exists`);
        store.put(kind, gameId, created);
        return created;
      });
    },

    get(kind, gameId, id) {
      return findExisting(kind, gameId, id, catalogKinds[kind].idField);
    },

    list(kind, gameId, request) {
      const limit = checkPageSize(request.pageSize);
      const afterId = decodePageToken(request.pageToken, request.filter);
      // One extra row says whether another page follows without a second query.
      const rows = store.list(kind, gameId, request.filter, { afterId, limit: limit + 1 });
      const resources = rows.slice(0, limit);
      const last = resources.at(-1);
      const nextPageToken = rows.length > limit && last ? encodePageToken(catalogKinds[kind].id(last), request.filter) : "";
      return { resources, nextPageToken };
    },

    update(kind, gameId, patch, updateMask) {
      requireResource(kind, patch);
      const type = catalogKinds[kind];
      return store.transaction(() => {
        const stored = findExisting(kind, gameId, type.id(patch!), `${type.singular}.${type.idField}`);
        const merged = applyFieldMask(stored, patch!, updateMask, type, type.idField);
        const updated = { ...type.withDefaults(merged), createTime: stored.createTime, updateTime: now() };
        type.validate(updated, storedReferences(store, gameId), type.singular);
        checkDependentsStillValid(kind, gameId, updated as CatalogResources["scenes" | "items"]);
        store.put(kind, gameId, updated);
        return updated;
      });
    },

    delete(kind, gameId, id, options = {}) {
      store.transaction(() => {
        findExisting(kind, gameId, id, catalogKinds[kind].idField);
        if (kind === "scenes") {
          const { placements } = dependentsOf(store, gameId, "scenes", id);
          if (placements.length > 0 && !options.cascade) {
            throw new FailedPreconditionError(`scene "${id}" has ${placements.length} placements; delete them first or set cascade`);
          }
          for (const placement of placements) store.delete("placements", gameId, placement.placementId);
        }
        if (kind === "items") {
          const { creatives, placements, campaigns } = dependentsOf(store, gameId, "items", id);
          const users = [...placements.map((p) => `placement "${p.placementId}"`), ...campaigns.map((c) => `campaign "${c.campaignId}"`)];
          if (users.length > 0) throw new FailedPreconditionError(`item "${id}" is used by ${users.join(", ")}`);
          for (const creative of creatives) store.delete("creatives", gameId, creative.creativeId);
        }
        store.delete(kind, gameId, id);
      });
    },
  };
}
