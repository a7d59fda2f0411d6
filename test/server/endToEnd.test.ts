import type { Metadata } from "@grpc/grpc-js";
import assert from "node:assert/strict";
import { InsightsServiceClient } from "../../src/gen/vitrine/v1/insights_service.js";
import { DecisionPolicy, RecommendationServiceClient } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { TelemetryServiceClient } from "../../src/gen/vitrine/v1/telemetry_service.js";
import { seedCatalog } from "../support/catalogFixture.js";
import { makeEvent, payloads } from "../support/events.js";
import { call, startTestServer, type TestServer } from "../support/testServer.js";

const game = "test-game";
const sneakers = ["shoe-1", "shoe-2", "shoe-3"];
const drinks = ["cola-1", "cola-2", "cola-3"];

describe("the whole loop through the public API", () => {
  let server: TestServer;
  let client: Metadata;
  let designer: Metadata;

  before(async () => {
    server = await startTestServer({ trainIntervalMs: 20 });
    client = server.metadataFor(["client"], game);
    designer = server.metadataFor(["designer"], game);
    seedCatalog(server.app.db, game, {
      scenes: [{ sceneId: "plaza", displayName: "Plaza" }],
      placements: [{ placementId: "board-1", sceneId: "plaza" }],
      items: [...sneakers.map((itemId) => ({ itemId, brand: "Stride", category: "sneakers" })), ...drinks.map((itemId) => ({ itemId, brand: "Aurora", category: "drinks" }))],
    });
  });
  after(() => server.stop());

  it("learns from telemetry that players engage with sneakers and scores sneakers above drinks", async () => {
    const telemetry = server.client(TelemetryServiceClient);
    const events = [];
    for (let p = 0; p < 40; p++) {
      const who = { playerId: `player-${p}`, sessionId: `session-${p}` };
      events.push(makeEvent(payloads.sessionStarted(true), who));
      for (const itemId of sneakers) events.push(makeEvent(payloads.interaction(itemId), who));
    }
    const ack = await call(telemetry.logEvents.bind(telemetry), { events }, client);
    assert.equal(ack.ack!.acceptedCount, events.length);

    const insights = server.client(InsightsServiceClient);
    const deadline = Date.now() + 15_000;
    let status = await call(insights.getModelStatus.bind(insights), {}, designer);
    while (status.examplesSeen < 120 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await call(insights.getModelStatus.bind(insights), {}, designer);
    }
    assert.ok(status.examplesSeen >= 120, `the model trained on ${status.examplesSeen} examples`);
    assert.ok(["tensorflow", "wasm", "cpu"].includes(status.backend), status.backend);

    const newcomer = { playerId: "newcomer", sessionId: "session-new" };
    await call(telemetry.logEvents.bind(telemetry), { events: [makeEvent(payloads.sessionStarted(true), newcomer)] }, client);
    const recommendations = server.client(RecommendationServiceClient);
    const { decision } = await call(
      recommendations.recommend.bind(recommendations),
      { placementId: "board-1", playerId: newcomer.playerId, sessionId: newcomer.sessionId, candidateItemIds: [], count: 6 },
      client,
    );
    assert.equal(decision!.policy, DecisionPolicy.DECISION_POLICY_MODEL);
    const score = new Map(decision!.items.map((item) => [item.itemId, item.score]));
    const mean = (ids: string[]) => ids.reduce((sum, id) => sum + score.get(id)!, 0) / ids.length;
    assert.ok(mean(sneakers) > mean(drinks), `sneakers ${mean(sneakers)} vs drinks ${mean(drinks)}`);
  });
});
