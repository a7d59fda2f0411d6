import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { InvalidArgumentError } from "../errors/domainErrors.js";
import { catalogKinds, kindNames, withoutServerTimes, type CatalogResources, type KindName } from "./catalogKinds.js";
import { camelCase, snakeCase } from "./protoFieldNames.js";

/** A game's whole catalog, as a catalog file holds it. */
export type CatalogContents = { [K in KindName]: CatalogResources[K][] };

export type CatalogFileFormat = "yaml" | "json";

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * ts-proto's fromJSON drops fields it does not know and turns a scalar where a list belongs
 * into an empty list; in a hand-written file both are typos, so they are refused here.
 */
function checkShape(input: unknown, parsed: unknown, path: string): void {
  if (!isMapping(input) || !isMapping(parsed)) return;
  for (const [key, value] of Object.entries(input)) {
    const name: string = key in parsed ? key : camelCase(key);
    const field = `${path}.${snakeCase(key)}`;
    if (!(name in parsed)) throw new InvalidArgumentError(field, "unknown field");
    if (value !== null && Array.isArray(value) !== Array.isArray(parsed[name])) {
      throw new InvalidArgumentError(field, Array.isArray(value) ? "expected a single value, not a list" : "expected a list");
    }
    checkShape(value, parsed[name], field);
  }
}

/** Reads a catalog file (YAML, or JSON, which is YAML too): proto3 JSON field names, enums by name, times in RFC 3339. */
export function parseCatalogFile(text: string): CatalogContents {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new InvalidArgumentError("file", error instanceof Error ? error.message : String(error));
  }
  document ??= {};
  if (!isMapping(document)) throw new InvalidArgumentError("file", `expected a mapping with the sections ${kindNames.join(", ")}`);
  for (const section of Object.keys(document)) {
    if (!kindNames.includes(section as KindName)) throw new InvalidArgumentError(section, `unknown section; expected ${kindNames.join(", ")}`);
  }
  const parseSection = <K extends KindName>(kind: K): CatalogResources[K][] => {
    const entries = document[kind] ?? [];
    if (!Array.isArray(entries)) throw new InvalidArgumentError(kind, "expected a list");
    return entries.map((entry: unknown, index) => {
      const path = `${kind}[#${index}]`;
      if (!isMapping(entry)) throw new InvalidArgumentError(path, "expected a mapping");
      const resource = catalogKinds[kind].message.fromJSON(entry);
      checkShape(entry, resource, path);
      return resource;
    });
  };
  return {
    scenes: parseSection("scenes"),
    items: parseSection("items"),
    creatives: parseSection("creatives"),
    placements: parseSection("placements"),
    campaigns: parseSection("campaigns"),
  };
}

/** Writes a catalog file; server-set times are left out so the file diffs only on what designers change. */
export function formatCatalogFile(contents: CatalogContents, format: CatalogFileFormat): string {
  const document = Object.fromEntries(
    kindNames.map((kind) => [kind, (contents[kind] as object[]).map((resource) => (catalogKinds[kind].message.toJSON as (r: object) => unknown)(withoutServerTimes(resource)))]),
  );
  return format === "json" ? JSON.stringify(document, null, 2) + "\n" : stringifyYaml(document);
}
