import assert from "node:assert/strict";
import { ExplorationStrategy } from "../../src/gen/vitrine/v1/catalog.js";
import { PlayerContext } from "../../src/gen/vitrine/v1/common.js";
import { DecisionPolicy, type Decision } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { firstPickProbabilities, rankProbabilities } from "../../src/recommend/explorationPolicy.js";
import { seededRandom } from "../../src/model/seededRandom.js";
import { manyItems } from "./support/recommendCatalog.js";
import { eventually, startRecommendServer, type RecommendServer } from "./support/recommendServer.js";

const n = 10;
// item-0 scores best, item-9 worst.
const scores = Object.fromEntries(Array.from({ length: n }, (_, i) => [`item-${i}`, 0.9 - i * 0.05]));
const logit = (p: number) => Math.log(p / (1 - p));

interface LoggedRow {
  item_id: string;
  propensity: number;
  candidates: string;
}

describe("exploration", () => {
  let server: RecommendServer;
  before(async () => {
    server = await startRecommendServer({ random: seededRandom(7) });
    server.catalog({
      scenes: [{ sceneId: "plaza" }],
      placements: [
        { placementId: "greedy", exploration: { strategy: ExplorationStrategy.EXPLORATION_STRATEGY_EPSILON_GREEDY, epsilon: 0.2 } },
        { placementId: "default" },
        { placementId: "soft", exploration: { strategy: ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX, temperature: 0.5 } },
      ],
      items: manyItems(n),
    });
    for (const [key, score] of Object.entries(scores)) server.model.table.set(key, score);
    server.sessions.start("s1", "p1", true);
  });
  after(() => server.stop());

  const logged = (decisionId: string) => server.db.prepare("SELECT * FROM decisions WHERE decision_id = ?").get(decisionId) as LoggedRow | undefined;

  it("explores with frequency epsilon·(n−1)/n and logs the probabilities it used", async () => {
    const epsilon = 0.2;
    const trials = 600;
    const decisions: Decision[] = [];
    for (let i = 0; i < trials; i++) decisions.push(await server.recommend({ placementId: "greedy", playerId: "p1", sessionId: "s1" }));
    const explored = decisions.filter((d) => d.items[0]!.explored).length / trials;
    const expected = (epsilon * (n - 1)) / n;
    const sd = Math.sqrt((expected * (1 - expected)) / trials);
    assert.ok(Math.abs(explored - expected) < 4 * sd, `explored ${explored}, expected ${expected} ± ${4 * sd}`);

    await eventually(() => logged(decisions.at(-1)!.decisionId) !== undefined, "the decisions to be written");
    for (const decision of decisions.slice(0, 100)) {
      const first = decision.items[0]!;
      assert.equal(decision.policy, DecisionPolicy.DECISION_POLICY_MODEL);
      assert.equal(first.probability, first.itemId === "item-0" ? 1 - epsilon + epsilon / n : epsilon / n);
      assert.equal(first.explored, first.itemId !== "item-0");
      const row = logged(decision.decisionId)!;
      assert.equal(row.item_id, first.itemId);
      assert.equal(row.propensity, first.probability);
      const candidates = JSON.parse(row.candidates) as { items: string[]; probabilities: number[]; scores: number[] };
      assert.equal(candidates.items.length, n);
      assert.ok(Math.abs(candidates.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.equal(candidates.probabilities[candidates.items.indexOf(first.itemId)], first.probability);
      assert.deepEqual(candidates.scores, candidates.items.map((id) => scores[id]));
    }
  });

  it("uses epsilon 0.05 when the placement sets none", async () => {
    const decision = await server.recommend({ placementId: "default", playerId: "p1", sessionId: "s1" });
    const first = decision.items[0]!;
    assert.equal(first.probability, first.itemId === "item-0" ? 0.95 + 0.05 / n : 0.05 / n);
  });

  it("draws softmax choices with probability proportional to exp(logit(score) / temperature)", async () => {
    const weights = Array.from({ length: n }, (_, i) => Math.exp(logit(scores[`item-${i}`]!) / 0.5));
    const total = weights.reduce((a, b) => a + b, 0);
    const trials = 600;
    const chosen = new Map<string, number>();
    for (let i = 0; i < trials; i++) {
      const first = (await server.recommend({ placementId: "soft", playerId: "p1", sessionId: "s1" })).items[0]!;
      const expected = weights[Number(first.itemId.split("-")[1])]! / total;
      assert.ok(Math.abs(first.probability - expected) < 1e-12);
      chosen.set(first.itemId, (chosen.get(first.itemId) ?? 0) + 1);
    }
    for (let i = 0; i < 3; i++) {
      const p = weights[i]! / total;
      const observed = (chosen.get(`item-${i}`) ?? 0) / trials;
      assert.ok(Math.abs(observed - p) < 4 * Math.sqrt((p * (1 - p)) / trials), `item-${i}: ${observed} vs ${p}`);
    }
  });

  it("ranks count items, each with the probability of holding its rank", async () => {
    for (let i = 0; i < 50; i++) {
      const decision = await server.recommend({ placementId: "greedy", playerId: "p1", sessionId: "s1", count: 4 });
      assert.equal(decision.items.length, 4);
      const first = firstPickProbabilities({ strategy: ExplorationStrategy.EXPLORATION_STRATEGY_EPSILON_GREEDY, epsilon: 0.2, temperature: 1 }, Object.values(scores));
      const chosen = Number(decision.items[0]!.itemId.split("-")[1]);
      assert.deepEqual(
        decision.items.map((item) => item.probability),
        rankProbabilities(first, chosen, 4),
      );
      // After the first, items follow the model's ranking.
      const rest = decision.items.slice(1).map((item) => Number(item.itemId.split("-")[1]));
      assert.deepEqual(rest, [...rest].sort((a, b) => a - b));
    }
  });
});

describe("creative choice", () => {
  let server: RecommendServer;
  before(async () => {
    server = await startRecommendServer({ random: seededRandom(8) });
    server.catalog({
      scenes: [{ sceneId: "plaza" }],
      placements: [{ placementId: "poster-board", exploration: { strategy: ExplorationStrategy.EXPLORATION_STRATEGY_EPSILON_GREEDY, epsilon: 0.2 } }],
      items: [{ itemId: "poster" }],
      creatives: [
        { creativeId: "en", itemId: "poster", locale: "en-US" },
        { creativeId: "fr", itemId: "poster", locale: "fr-FR" },
        { creativeId: "ca", itemId: "poster", locale: "fr-CA" },
        { creativeId: "any", itemId: "poster", locale: "" },
      ],
    });
    server.model.table.set("poster/fr", 0.7);
    server.model.table.set("poster/ca", 0.4);
  });
  after(() => server.stop());

  const shown = async (locale: string) => {
    const decision = await server.recommend({ placementId: "poster-board", playerId: "p", sessionId: "s", context: PlayerContext.fromPartial({ locale }) });
    const scored = server.model.scored.at(-1)!.candidates.map((c) => c.creative?.creativeId).sort();
    return { creative: decision.items[0]!.creative!.creativeId, scored, decisionId: decision.decisionId };
  };

  it("prefers the player's locale, then its language, then locale-neutral creatives", async () => {
    assert.deepEqual((await shown("fr-FR")).scored, ["fr"]);
    assert.deepEqual((await shown("de-DE")).scored, ["any"]);
    assert.deepEqual((await shown("")).scored, ["any"]);
  });

  it("scores each item×creative pair and explores among creatives, logging P(creative | item)", async () => {
    const counts = new Map<string, number>();
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const { creative, scored, decisionId } = await shown("fr-BE");
      assert.deepEqual(scored, ["ca", "fr"]);
      counts.set(creative, (counts.get(creative) ?? 0) + 1);
      ids.push(decisionId);
    }
    // Greedy on "fr" (0.7 > 0.4) with epsilon 0.2 over 2 creatives: "ca" with probability 0.1.
    assert.ok((counts.get("ca") ?? 0) > 5 && (counts.get("ca") ?? 0) < 40, JSON.stringify([...counts]));
    await eventually(() => server.db.prepare("SELECT 1 FROM decisions WHERE decision_id = ?").get(ids.at(-1)) !== undefined, "decisions written");
    const select = server.db.prepare("SELECT creative_id, creative_propensity FROM decisions WHERE decision_id = ?");
    for (const id of ids) {
      const row = select.get(id) as { creative_id: string; creative_propensity: number };
      assert.equal(row.creative_propensity, row.creative_id === "fr" ? 0.9 : 0.1);
    }
  });
});

describe("rank probabilities", () => {
  it("gives each later rank the head or tail mass of the first pick", () => {
    const first = [0.7, 0.1, 0.1, 0.1];
    // Greedy choice: ranks 2 and 3 hold items 1 and 2 unless the draw took them.
    assert.deepEqual(rankProbabilities(first, 0, 3).map((p) => +p.toFixed(12)), [0.7, 0.7, 0.8]);
    // Item 2 drawn first: item 0 at rank 2 whenever the draw was beyond it (0.3), item 1 at rank 3 likewise (0.2).
    assert.deepEqual(rankProbabilities(first, 2, 3).map((p) => +p.toFixed(12)), [0.1, 0.3, 0.2]);
  });
});
