import { execFile } from "node:child_process";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { catalogCommand, type CommandIo } from "../../src/cli/catalogCommand.js";
import { demoGameId, demoWorldPath, seedDemoWorldIfEmpty } from "../../src/server/seedDemoWorld.js";
import { InvalidArgumentError } from "../../src/errors/domainErrors.js";
import { Status } from "../../src/gen/vitrine/v1/catalog.js";
import { PlacementServiceClient } from "../../src/gen/vitrine/v1/placement_service.js";
import { createLogger } from "../../src/log/logger.js";
import { catalogKinds, kindNames, type CatalogResources, type KindName } from "../../src/placements/catalogKinds.js";
import { formatCatalogFile, parseCatalogFile, type CatalogContents } from "../../src/placements/catalogFile.js";
import { importCatalog, importCatalogFile } from "../../src/placements/catalogImport.js";
import type { CatalogStore } from "../../src/placements/catalogStore.js";
import { createSqliteCatalogStore } from "../../src/storage/sqliteCatalogStore.js";
import { call, startTestServer, type TestServer } from "../support/testServer.js";

const demoWorld = readFileSync(demoWorldPath, "utf8");
const run = promisify(execFile);

function expectInvalid(attempt: () => unknown, field: string): void {
  assert.throws(attempt, (error: unknown) => {
    assert.ok(error instanceof InvalidArgumentError, String(error));
    assert.equal(error.field, field, error.message);
    return true;
  });
}

/** The contents with each kind sorted by id, as an export lists them. */
function inIdOrder(contents: CatalogContents): CatalogContents {
  const sorted = <K extends KindName>(kind: K) => [...(contents[kind] as CatalogResources[K][])].sort((a, b) => (catalogKinds[kind].id(a) < catalogKinds[kind].id(b) ? -1 : 1));
  return { scenes: sorted("scenes"), items: sorted("items"), creatives: sorted("creatives"), placements: sorted("placements"), campaigns: sorted("campaigns") };
}

/** A CommandIo that serves `input` for any file and collects what is written. */
function memoryIo(input = ""): CommandIo & { output: string } {
  const io = {
    output: "",
    readText: async () => input,
    write: (text: string) => {
      io.output += text;
    },
  };
  return io;
}

describe("catalog files", () => {
  const gameId = "import-game";
  let server: TestServer;
  let store: CatalogStore;

  const exportText = () =>
    formatCatalogFile(Object.fromEntries(kindNames.map((kind) => [kind, store.list(kind, gameId, {})])) as CatalogContents, "yaml");
  const catalogVersion = () =>
    (server.app.db.prepare("SELECT version FROM catalog_versions WHERE game_id = ?").get(gameId) as { version: number } | undefined)?.version ?? 0;
  const demo = () => parseCatalogFile(demoWorld);

  before(async () => {
    server = await startTestServer();
    server.metadataFor(["designer"], gameId); // creates the game the catalog belongs to
    store = createSqliteCatalogStore(server.app.db);
  });
  after(() => server.stop());

  it("dry-runs, then imports the demo world in one go; the same file again changes nothing", async () => {
    const planned = importCatalogFile(store, gameId, demoWorld, { dryRun: true });
    assert.equal(planned.length, 4 + 40 + 80 + 21 + 4);
    assert.ok(planned.every((change) => change.action === "create"));
    assert.equal(catalogVersion(), 0);

    assert.deepEqual(importCatalogFile(store, gameId, demoWorld), planned);
    const client = server.client(PlacementServiceClient);
    const designer = server.metadataFor(["designer"], gameId);
    const placements = await call(client.listPlacements.bind(client), { pageSize: 0, pageToken: "", sceneId: "", status: 0, format: 0 }, designer);
    assert.equal(placements.placements.length, 21);
    const { placement } = await call(client.getPlacement.bind(client), { placementId: "track-start-gantry" }, designer);
    assert.equal(placement!.pinnedItemId, "volt-motors-1");
    assert.ok(placement!.createTime);
    const { campaign } = await call(client.getCampaign.bind(client), { campaignId: "stridewell-summer" }, designer);
    assert.deepEqual(campaign!.startTime, new Date("2026-06-01T00:00:00Z"));

    const version = catalogVersion();
    assert.deepEqual(importCatalogFile(store, gameId, demoWorld), []);
    assert.equal(catalogVersion(), version);
  });

  it("reports and applies updates, and deletes what the file lacks only with prune", () => {
    const contents = demo();
    contents.placements[0]!.displayName = "Renamed";
    contents.campaigns.pop();
    const merged = importCatalog(store, gameId, contents);
    assert.deepEqual(merged, [{ kind: "placements", action: "update", id: "plaza-billboard-north" }]);
    assert.equal(store.get("placements", gameId, "plaza-billboard-north")!.displayName, "Renamed");
    assert.ok(store.get("campaigns", gameId, "starlight-premiere"), "kept without prune");

    assert.deepEqual(importCatalog(store, gameId, contents, { prune: true, dryRun: true }), [{ kind: "campaigns", action: "delete", id: "starlight-premiere" }]);
    assert.ok(store.get("campaigns", gameId, "starlight-premiere"), "a dry run writes nothing");
    importCatalog(store, gameId, contents, { prune: true });
    assert.equal(store.get("campaigns", gameId, "starlight-premiere"), undefined);

    importCatalogFile(store, gameId, demoWorld, { prune: true });
    assert.equal(store.get("placements", gameId, "plaza-billboard-north")!.displayName, "Plaza Billboard North");
  });

  it("prunes in dependency order: an item, its creatives and the campaign that listed it go together", () => {
    const contents = demo();
    contents.items = contents.items.filter((item) => item.itemId !== "starlight-studios-1");
    contents.creatives = contents.creatives.filter((creative) => creative.itemId !== "starlight-studios-1");
    contents.campaigns = contents.campaigns.filter((campaign) => campaign.campaignId !== "starlight-premiere");
    const changes = importCatalog(store, gameId, contents, { prune: true });
    assert.equal(changes.filter((c) => c.action === "delete").length, 1 + 2 + 1);
    assert.equal(store.get("items", gameId, "starlight-studios-1"), undefined);
    importCatalogFile(store, gameId, demoWorld);
  });

  it("validates the whole resulting catalog first: a bad last resource leaves the store unchanged", () => {
    const before = exportText();
    const version = catalogVersion();
    const contents = demo();
    contents.scenes.push({ ...contents.scenes[0]!, sceneId: "new-scene" });
    contents.campaigns.at(-1)!.endTime = new Date("2000-01-01T00:00:00Z");
    expectInvalid(() => importCatalog(store, gameId, contents), "campaigns[starlight-premiere].end_time");

    // Without prune the stored catalog counts: changing an item must still suit the placement pinning it.
    const merged = parseCatalogFile("items: []");
    merged.items.push({ ...demo().items.find((item) => item.itemId === "volt-motors-1")!, formats: [7] });
    expectInvalid(() => importCatalog(store, gameId, merged), "placements[track-start-gantry].pinned_item_id");

    // With prune, what the file leaves out is gone: a placement cannot keep a scene the file drops.
    const pruned = demo();
    pruned.scenes = pruned.scenes.filter((scene) => scene.sceneId !== "racetrack");
    expectInvalid(() => importCatalog(store, gameId, pruned, { prune: true }), "placements[track-start-gantry].scene_id");
    assert.equal(exportText(), before);
    assert.equal(catalogVersion(), version);
  });

  it("rolls back an import whose writing fails half-way, leaving the store unchanged", () => {
    const before = exportText();
    const version = catalogVersion();
    let puts = 0;
    const failing: CatalogStore = {
      ...store,
      put(kind, game, resource) {
        if (++puts === 30) throw new Error("disk full");
        store.put(kind, game, resource);
      },
    };
    const contents = demo();
    for (const placement of contents.placements) placement.status = Status.STATUS_PAUSED;
    for (const item of contents.items) item.displayName += " (new)";
    assert.throws(() => importCatalog(failing, gameId, contents), /disk full/);
    assert.ok(puts >= 30, "the failure came after some writes");
    assert.equal(exportText(), before);
    assert.equal(catalogVersion(), version);
  });

  it("refuses typos in a file with INVALID_ARGUMENT naming the place", () => {
    expectInvalid(() => parseCatalogFile("scenes:\n  - sceneId: a\n    colour: red\n"), "scenes[#0].colour");
    expectInvalid(() => parseCatalogFile("scenes:\n  - sceneId: a\n    bounds: { min: { x: 1, w: 2 } }\n"), "scenes[#0].bounds.min.w");
    expectInvalid(() => parseCatalogFile("sceens: []\n"), "sceens");
    expectInvalid(() => parseCatalogFile("items:\n  - itemId: a\n    tags: sport\n"), "items[#0].tags");
    expectInvalid(() => parseCatalogFile("items: {}\n"), "items");
    expectInvalid(() => parseCatalogFile("- a\n"), "file");
    expectInvalid(() => parseCatalogFile("scenes: [\n"), "file");
    const contents = parseCatalogFile("items:\n  - { itemId: a, brand: B, category: c, formats: [PLACEMENT_FORMAT_BILBOARD] }\n");
    expectInvalid(() => importCatalog(store, gameId, contents, { dryRun: true }), "items[a].formats[0]");
    const twice = parseCatalogFile("scenes:\n  - sceneId: a\n  - sceneId: a\n");
    expectInvalid(() => importCatalog(store, gameId, twice, { dryRun: true }), "scenes[a].scene_id");
  });

  it("round-trips through the CLI: export, then import --dry-run of it, reports no changes", async () => {
    for (const format of ["yaml", "json"]) {
      const exported = memoryIo();
      assert.equal(await catalogCommand(["export", "--game", gameId, "--format", format], server.config, exported), 0);
      assert.deepEqual(inIdOrder(parseCatalogFile(exported.output)), inIdOrder(demo()));
      const imported = memoryIo(exported.output);
      assert.equal(await catalogCommand(["import", "--game", gameId, "--dry-run", "-"], server.config, imported), 0);
      assert.equal(imported.output.trim(), "no changes");
    }
  });

  it("round-trips through real processes: vitrine catalog export | vitrine catalog import --dry-run -", async () => {
    const env = { ...process.env, VITRINE_DATABASE_PATH: server.config.databasePath };
    const pipeline = `node bin/vitrine.js catalog export --game ${gameId} | node bin/vitrine.js catalog import --game ${gameId} --dry-run -`;
    const { stdout } = await run("sh", ["-c", pipeline], { env });
    assert.equal(stdout.trim(), "no changes");
    const failed = await run("node", ["bin/vitrine.js", "catalog", "import", "--game", gameId, "--dry-run", "package.json"], { env }).then(
      () => assert.fail("expected a non-zero exit"),
      (error: { code: number }) => error.code,
    );
    assert.equal(failed, 1);
  });
});

describe("demo world seeding", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it("imports demo/world.yaml into the demo game of an empty database, with its dev keys, once", () => {
    const store = createSqliteCatalogStore(server.app.db);
    const log = createLogger("silent");
    seedDemoWorldIfEmpty(server.app.db, server.app.keys, server.config, log);
    assert.equal(store.list("placements", demoGameId, {}).length, 21);
    assert.equal(store.list("campaigns", demoGameId, {}).length, 4);
    assert.deepEqual(server.app.keys.listKeys(demoGameId).map((key) => key.scopes.join()), ["client", "designer", "admin"]);
    assert.ok(existsSync(join(server.dir, "vitrine-dev-keys.json")));

    seedDemoWorldIfEmpty(server.app.db, server.app.keys, server.config, log);
    assert.equal(server.app.keys.listKeys(demoGameId).length, 3);
    assert.deepEqual(importCatalogFile(store, demoGameId, demoWorld, { dryRun: true }), []);
  });
});
