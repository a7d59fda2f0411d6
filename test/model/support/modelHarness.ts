import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey } from "../../../src/auth/apiKeys.js";
import { loadConfig, type Config } from "../../../src/config/config.js";
import { PlayerContext } from "../../../src/gen/vitrine/v1/common.js";
import { Event, InteractionKind } from "../../../src/gen/vitrine/v1/events.js";
import { createLogger } from "../../../src/log/logger.js";
import { createEngagementModel, type EngagementModelOptions, type EngagementModelRuntime } from "../../../src/model/createEngagementModel.js";
import type { ScoringContext } from "../../../src/model/engagementModel.js";
import type { AppDeps } from "../../../src/server/capability.js";
import { openDatabase, type Db } from "../../../src/storage/database.js";
import { createSqliteCatalogSnapshots } from "../../../src/storage/sqliteCatalogSnapshots.js";
import { createSqliteKeyStore } from "../../../src/storage/sqliteKeyStore.js";
import type { CommittedEvent } from "../../../src/telemetry/committedEvents.js";
import { seedCatalog } from "../../support/catalogFixture.js";

export const gameId = "model-game";
export const categories = ["sneakers", "drinks", "phones"];
/** Four items in each of three categories. */
export const itemIds = categories.flatMap((category) => [0, 1, 2, 3].map((i) => `${category}-${i}`));

/** A small model on a temp SQLite file; the trainer and snapshot timers never fire on their own. */
export class ModelHarness {
  readonly config: Config;
  readonly db: Db;
  readonly deps: AppDeps;
  private nextSeq = 1;

  /** Without a dir, a fresh database with the test catalog; with one, the database a previous harness left there. */
  constructor(
    private readonly overrides: Partial<Config> = {},
    readonly dir = mkdtempSync(join(tmpdir(), "vitrine-model-")),
  ) {
    const fresh = !existsSync(join(dir, "vitrine.db"));
    this.config = loadConfig({
      overrides: {
        databasePath: join(this.dir, "vitrine.db"),
        logLevel: "silent",
        modelBackend: "cpu",
        modelHashBits: 12,
        modelEmbeddingHashBits: 10,
        modelEmbeddingDim: 8,
        modelBatchSize: 64,
        trainIntervalMs: 1e9,
        snapshotIntervalMs: 1e9,
        ...overrides,
      },
    });
    this.db = openDatabase(this.config.databasePath);
    const keys = createSqliteKeyStore(this.db);
    if (fresh) createApiKey(keys, gameId, ["client"]);
    if (fresh) seedCatalog(this.db, gameId, {
      scenes: [{ sceneId: "plaza", displayName: "Plaza" }],
      placements: [{ placementId: "board", sceneId: "plaza" }],
      items: itemIds.map((itemId) => ({ itemId, brand: `brand-${itemId.split("-")[0]}`, category: itemId.split("-")[0] })),
    });
    this.deps = { config: this.config, db: this.db, log: createLogger("silent"), keys, catalog: createSqliteCatalogSnapshots(this.db) };
  }

  start(options: EngagementModelOptions = {}): Promise<EngagementModelRuntime> {
    return createEngagementModel(this.deps, options);
  }

  /** A second connection to the same file, as a restarted server would open. */
  reopen(): ModelHarness {
    const harness = new ModelHarness(this.overrides, this.dir);
    harness.nextSeq = this.nextSeq;
    return harness;
  }

  scoring(player: string, region: string): ScoringContext {
    const snapshot = this.deps.catalog.get(gameId);
    return {
      gameId,
      playerKey: Buffer.from(player),
      context: PlayerContext.fromPartial({ region }),
      sceneId: "plaza",
      placement: snapshot.placements.get("board")!,
      time: Date.UTC(2026, 0, 1, 12),
    };
  }

  candidates() {
    const snapshot = this.deps.catalog.get(gameId);
    return itemIds.map((itemId) => ({ item: snapshot.items.get(itemId)! }));
  }

  /** Stores interaction events (and their players' sessions) as telemetry would, returning them as committed. */
  storeInteractions(interactions: { player: string; region: string; itemId: string; consent?: boolean }[]): CommittedEvent[] {
    const insertSession = this.db.prepare("INSERT OR IGNORE INTO sessions VALUES (?, ?, ?, ?, 0, ?, 0, '', '', 0, NULL)");
    const insertEvent = this.db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    return this.db.transaction(() =>
      interactions.map(({ player, region, itemId, consent = true }) => {
        const seq = this.nextSeq++;
        const event = Event.fromPartial({
          eventId: `e${seq}`,
          sessionId: `s-${player}`,
          sceneId: "plaza",
          clientTime: new Date(Date.UTC(2026, 0, 1, 12)),
          payload: { $case: "interaction", value: { placementId: "board", itemId, kind: InteractionKind.INTERACTION_KIND_CLICK } },
        });
        insertSession.run(gameId, event.sessionId, Buffer.from(player), consent ? 1 : 0, region);
        insertEvent.run(seq, gameId, event.eventId, Buffer.from(player), event.sessionId, 15, 0, 0, Buffer.from(Event.encode(event).finish()));
        return { seq, gameId, playerKey: Buffer.from(player), consent, serverTime: 0, event };
      }),
    )();
  }

  close(): void {
    this.db.close();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Players of region "north" click sneakers, players of region "south" click drinks; every
 * player is new to the test's later scoring, so only the segment can explain the preference.
 */
export function plantedInteractions(players: number, perPlayer: number, random: () => number) {
  const interactions: { player: string; region: string; itemId: string }[] = [];
  for (let p = 0; p < players; p++) {
    const region = p % 2 === 0 ? "north" : "south";
    const liked = region === "north" ? "sneakers" : "drinks";
    for (let k = 0; k < perPlayer; k++) interactions.push({ player: `p${p}`, region, itemId: `${liked}-${Math.floor(random() * 4)}` });
  }
  return interactions;
}
