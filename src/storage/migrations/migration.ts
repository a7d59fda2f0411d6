import type { Db } from "../database.js";

/** One step of the schema; versions are applied in order and never edited once released. */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}
