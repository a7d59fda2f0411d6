import { InvalidArgumentError } from "../errors/domainErrors.js";
import type { NestedMessage } from "./catalogKinds.js";
import { camelCase, snakeCase } from "./protoFieldNames.js";

type Fields = Record<string, unknown>;

const serverSetFields = ["create_time", "update_time"];

/** The ts-proto names of a path's segments, checked against the message; INVALID_ARGUMENT on "update_mask" otherwise. */
function resolvePath(path: string, root: NestedMessage, immutable: readonly string[]): string[] {
  const segments = path.split(".");
  if (immutable.includes(path)) throw new InvalidArgumentError("update_mask", `"${path}" cannot be changed`);
  let shape: NestedMessage | undefined = root;
  return segments.map((segment, index) => {
    const name = camelCase(segment);
    if (!shape || segment !== snakeCase(name) || !(name in shape.message.create())) {
      throw new InvalidArgumentError("update_mask", `unknown field "${path}"`);
    }
    shape = index < segments.length - 1 ? shape.nested?.[name] : undefined;
    return name;
  });
}

function setPath(target: Fields, source: Fields | undefined, segments: readonly string[], shape: NestedMessage): void {
  const [name, ...rest] = segments as [string, ...string[]];
  if (rest.length === 0) {
    // A parent message the caller left unset means every field under it takes its default.
    target[name] = source === undefined ? (shape.message.create() as Fields)[name] : source[name];
    return;
  }
  const child = shape.nested![name]!;
  const copy: Fields = { ...((target[name] as Fields | undefined) ?? (child.message.create() as Fields)) };
  setPath(copy, source?.[name] as Fields | undefined, rest, child);
  target[name] = copy;
}

/**
 * The stored resource with the fields named by `paths` (proto names, nested with dots, e.g.
 * "exploration.epsilon") taken from `patch`. An empty mask, or "*" alone (AIP-134), means every
 * field but the id and the server-set times.
 */
export function applyFieldMask<T extends object>(stored: T, patch: T, paths: readonly string[], shape: NestedMessage, idField: string): T {
  const immutable = [idField, ...serverSetFields];
  const everything = paths.length === 0 || (paths.length === 1 && paths[0] === "*");
  if (!everything && paths.includes("*")) throw new InvalidArgumentError("update_mask", `"*" must be the only path`);
  const effective = !everything ? paths : Object.keys(shape.message.create()).map(snakeCase).filter((field) => !immutable.includes(field));
  const resolved = effective.map((path) => resolvePath(path, shape, immutable));
  const result: Fields = { ...(stored as Fields) };
  for (const segments of resolved) setPath(result, patch as Fields, segments, shape);
  return result as T;
}
