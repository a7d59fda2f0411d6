import { InvalidArgumentError } from "../errors/domainErrors.js";

const defaultPageSize = 100;
const maxPageSize = 1000;

/** The filters of a list request, in a fixed key order so equal filters give equal text. */
function filterKey(filter: object): string {
  return JSON.stringify(Object.entries(filter).filter(([, value]) => value !== undefined && value !== "" && value !== 0).sort());
}

/**
 * An opaque token naming where the next page starts. It carries the request's filters so a
 * token cannot be replayed against a different list, which would skip or repeat resources.
 */
export function encodePageToken(lastId: string, filter: object): string {
  return Buffer.from(JSON.stringify({ after: lastId, filter: filterKey(filter) })).toString("base64url");
}

/** The id the page starts after ("" for the first page); INVALID_ARGUMENT on a token not made for these filters. */
export function decodePageToken(token: string, filter: object): string {
  if (token === "") return "";
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidArgumentError("page_token", "not a token this server made");
  }
  const { after, filter: boundFilter } = (decoded ?? {}) as { after?: unknown; filter?: unknown };
  if (typeof after !== "string" || typeof boundFilter !== "string") throw new InvalidArgumentError("page_token", "not a token this server made");
  if (boundFilter !== filterKey(filter)) throw new InvalidArgumentError("page_token", "made for other filters; start again without a token");
  return after;
}

/** The page size asked for, with 0 meaning the default. */
export function checkPageSize(pageSize: number): number {
  if (pageSize === 0) return defaultPageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    throw new InvalidArgumentError("page_size", `expected 1..${maxPageSize}, or 0 for ${defaultPageSize}`);
  }
  return pageSize;
}
