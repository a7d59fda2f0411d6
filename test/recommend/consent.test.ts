import assert from "node:assert/strict";
import { AgeBand } from "../../src/gen/vitrine/v1/common.js";
import { DecisionPolicy } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { seededRandom } from "../../src/model/seededRandom.js";
import { makeEvent, payloads } from "../support/events.js";
import { startRecommendServer, type RecommendServer } from "./support/recommendServer.js";

const catalog = {
  scenes: [{ sceneId: "plaza" }],
  placements: [{ placementId: "board-1" }],
  items: [{ itemId: "shoe-1" }, { itemId: "shoe-2" }],
};

describe("personalisation consent", () => {
  let server: RecommendServer;
  before(async () => {
    server = await startRecommendServer({ random: seededRandom(3) });
    server.catalog(catalog);
  });
  after(() => server.stop());

  const lastScoring = () => server.model.scored.at(-1)!.scoring;

  it("personalises for a player whose session gave consent", async () => {
    server.sessions.start("s-yes", "alice", true);
    const decision = await server.recommend({ placementId: "board-1", playerId: "alice", sessionId: "s-yes" });
    assert.equal(decision.policy, DecisionPolicy.DECISION_POLICY_MODEL);
    assert.ok(lastScoring().playerKey);
  });

  it("decides from context only without consent, for an unknown session, another player's session, or under 13", async () => {
    server.sessions.start("s-no", "bob", false);
    server.sessions.start("s-carol", "carol", true);
    server.sessions.start("s-kid", "dan", true, { ageBand: AgeBand.AGE_BAND_UNDER_13 });
    for (const [playerId, sessionId] of [["bob", "s-no"], ["erin", "s-unknown"], ["mallory", "s-carol"], ["dan", "s-kid"]]) {
      const decision = await server.recommend({ placementId: "board-1", playerId, sessionId });
      assert.equal(decision.policy, DecisionPolicy.DECISION_POLICY_CONTEXT_ONLY, `${playerId} in ${sessionId}`);
      assert.equal(lastScoring().playerKey, undefined);
      assert.equal(lastScoring().profile, undefined);
      assert.equal(decision.items.length, 1);
    }
  });

  it("takes rewards of players without consent but never trains on them", async () => {
    const decision = await server.recommend({ placementId: "board-1", playerId: "bob", sessionId: "s-no" });
    const learned = server.model.learned.length;
    assert.equal(await server.reward({ decisionId: decision.decisionId, value: 1 }), 1);
    assert.equal(server.model.learned.length, learned);
  });
});

describe("personalisation consent from telemetry sessions", () => {
  let server: RecommendServer;
  before(async () => {
    server = await startRecommendServer({ random: seededRandom(4), realSessions: true });
    server.catalog(catalog);
  });
  after(() => server.stop());

  it("personalises once the session start with consent is stored, and not for a session without", async () => {
    const ask = (sessionId: string) => server.recommend({ placementId: "board-1", playerId: "player-1", sessionId });
    assert.equal((await ask("session-1")).policy, DecisionPolicy.DECISION_POLICY_CONTEXT_ONLY);
    await server.logEvents([makeEvent(payloads.sessionStarted(true)), makeEvent(payloads.sessionStarted(false), { sessionId: "session-2" })]);
    assert.equal((await ask("session-1")).policy, DecisionPolicy.DECISION_POLICY_MODEL);
    assert.equal((await ask("session-2")).policy, DecisionPolicy.DECISION_POLICY_CONTEXT_ONLY);
  });
});
