import { isDeepStrictEqual } from "node:util";
import { InvalidArgumentError } from "../errors/domainErrors.js";
import { catalogKinds, kindNames, withoutServerTimes, type CatalogResources, type KindName } from "./catalogKinds.js";
import { parseCatalogFile, type CatalogContents } from "./catalogFile.js";
import type { CatalogStore } from "./catalogStore.js";
import type { CatalogReferences } from "./catalogValidation.js";

export interface ImportOptions {
  /** Also delete what the store holds and the file does not ("sync"); otherwise such resources are kept. */
  prune?: boolean;
  /** Work out and return the changes without writing them. */
  dryRun?: boolean;
}

export interface CatalogChange {
  kind: KindName;
  action: "create" | "update" | "delete";
  id: string;
}

type ById<K extends KindName> = Map<string, CatalogResources[K]>;
type CatalogById = { [K in KindName]: ById<K> };

function byId<K extends KindName>(kind: K, resources: readonly CatalogResources[K][]): ById<K> {
  const type = catalogKinds[kind];
  const map: ById<K> = new Map();
  for (const resource of resources) {
    const id = type.id(resource);
    if (map.has(id)) throw new InvalidArgumentError(`${kind}[${id}].${type.idField}`, "listed twice");
    map.set(id, resource);
  }
  return map;
}

const mapKinds = <R>(make: <K extends KindName>(kind: K) => R) =>
  Object.fromEntries(kindNames.map((kind) => [kind, make(kind)])) as { [K in KindName]: R };

const sameContent = <K extends KindName>(kind: K, a: CatalogResources[K], b: CatalogResources[K]): boolean => {
  const toJson = catalogKinds[kind].message.toJSON;
  return isDeepStrictEqual(toJson(withoutServerTimes(a)), toJson(withoutServerTimes(b)));
};

/**
 * Makes the game's catalog match the file: every resource of the catalog that would result
 * (the file alone with `prune`, else the stored catalog overlaid with the file) is validated
 * first, with references resolved inside it, then all changes are written in one transaction.
 * Unchanged resources are not written, so their update times stay.
 */
export function importCatalog(
  store: CatalogStore,
  gameId: string,
  contents: CatalogContents,
  options: ImportOptions = {},
  now: () => Date = () => new Date(),
): CatalogChange[] {
  const incoming = mapKinds((kind) => byId(kind, contents[kind].map((resource) => catalogKinds[kind].withDefaults(withoutServerTimes(resource as never)))));
  return store.transaction(() => {
    const stored = mapKinds((kind) => byId(kind, store.list(kind, gameId, {}))) as CatalogById;
    const target = mapKinds((kind) => new Map([...(options.prune ? [] : stored[kind]), ...(incoming as CatalogById)[kind]])) as CatalogById;

    const references: CatalogReferences = { scene: (id) => target.scenes.get(id), item: (id) => target.items.get(id) };
    for (const kind of kindNames) {
      for (const [id, resource] of target[kind]) catalogKinds[kind].validate(resource as never, references, `${kind}[${id}]`);
    }

    const changes: CatalogChange[] = [];
    for (const kind of kindNames) {
      for (const [id, resource] of (incoming as CatalogById)[kind]) {
        const existing = stored[kind].get(id);
        if (!existing) changes.push({ kind, action: "create", id });
        else if (!sameContent(kind, existing as never, resource as never)) changes.push({ kind, action: "update", id });
      }
      if (options.prune) {
        for (const id of stored[kind].keys()) if (!target[kind].has(id)) changes.push({ kind, action: "delete", id });
      }
    }
    if (options.dryRun) return changes;

    const time = now();
    // Writes go in dependency order (what is referred to first), deletes in reverse, so that
    // the foreign keys hold at every step.
    for (const change of changes) {
      if (change.action === "delete") continue;
      const resource = target[change.kind].get(change.id)!;
      const createTime = stored[change.kind].get(change.id)?.createTime ?? time;
      store.put(change.kind, gameId, { ...resource, createTime, updateTime: time } as never);
    }
    for (const change of [...changes].reverse()) {
      if (change.action === "delete") store.delete(change.kind, gameId, change.id);
    }
    return changes;
  });
}

/** Parses a catalog file's text and imports it: the one path the CLI and the demo seeding share. */
export function importCatalogFile(store: CatalogStore, gameId: string, text: string, options: ImportOptions = {}): CatalogChange[] {
  return importCatalog(store, gameId, parseCatalogFile(text), options);
}

/** One line per change, then a count per kind, or "no changes". */
export function describeChanges(changes: readonly CatalogChange[]): string {
  if (changes.length === 0) return "no changes";
  const symbols = { create: "+", update: "~", delete: "-" };
  const lines = changes.map((change) => `${symbols[change.action]} ${catalogKinds[change.kind].singular} ${change.id}`);
  for (const kind of kindNames) {
    const count = (action: CatalogChange["action"]) => changes.filter((c) => c.kind === kind && c.action === action).length;
    if (changes.some((c) => c.kind === kind)) lines.push(`${kind}: ${count("create")} created, ${count("update")} updated, ${count("delete")} deleted`);
  }
  return lines.join("\n");
}
