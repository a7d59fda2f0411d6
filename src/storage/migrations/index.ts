import { foundation } from "./001_foundation.js";
import { catalog } from "./002_catalog.js";
import { telemetry } from "./003_telemetry.js";
import { decisions } from "./004_decisions.js";
import { model } from "./005_model.js";
import { rewardIds } from "./006_reward_ids.js";
import type { Migration } from "./migration.js";

export const migrations: readonly Migration[] = [foundation, catalog, telemetry, decisions, model, rewardIds];
