// Freshness: how long after a burst of rewards (5,000 rewards/s) the scores reflect them.
// Against a Vitrine server process on 127.0.0.1 (the whole app, see serving.ts): decide
// for one item many times, note its score, send one positive reward per decision at the
// target rate, and poll Recommend until the item's score moves and then settles.
import { ChannelCredentials, Metadata } from "@grpc/grpc-js";
import { RecommendationServiceClient, type RecommendRequest, type RecommendResponse } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { recommendRequest, startBenchServer } from "./serving.js";

const rewardsPerSecond = 5_000;
const burst = Number(process.env.BENCH_FRESHNESS_REWARDS ?? 5_000);
const targetMs = 1_000;
const pollMs = 5;
const maxWaitMs = 30_000;
const trackedItem = "item-7";

export async function run(): Promise<void> {
  const server = await startBenchServer("vitrine");
  const client = new RecommendationServiceClient(server.address, ChannelCredentials.createInsecure());
  const metadata = new Metadata();
  metadata.set("x-api-key", server.key);
  const recommend = (request: RecommendRequest) =>
    new Promise<RecommendResponse>((resolve, reject) => client.recommend(request, metadata, (e, r) => (e ? reject(e) : resolve(r))));
  const reward = (decisionId: string) =>
    new Promise<void>((resolve, reject) => client.reward({ decisionId, value: 1, itemId: "", rewardId: "" }, metadata, (e) => (e ? reject(e) : resolve())));
  // Player 1 consents (every fifth player does not; see serving.ts), so its rewards train.
  const probe = () => recommend({ ...recommendRequest(1), candidateItemIds: [trackedItem] }).then((r) => r.decision!.items[0]!.score);
  try {
    const decisionIds: string[] = [];
    for (let i = 0; i < burst; i += 64) {
      const batch = await Promise.all(Array.from({ length: Math.min(64, burst - i) }, () => recommend({ ...recommendRequest(1), candidateItemIds: [trackedItem] })));
      for (const response of batch) decisionIds.push(response.decision!.decisionId);
    }
    const before = await probe();

    const start = performance.now();
    let firstMovedMs: number | undefined;
    let lastScore = before;
    let lastChangeMs = 0;
    let ackedMs: number | undefined;
    // Polls from the start of the burst until the score moved, every reward was acknowledged,
    // and the score then stayed put for 200 ms (bounded).
    const polling = (async () => {
      let stableSince = 0;
      while (performance.now() - start < maxWaitMs) {
        const score = await probe();
        const now = performance.now() - start;
        if (score !== lastScore) {
          firstMovedMs ??= now;
          lastChangeMs = stableSince = now;
          lastScore = score;
        } else if (firstMovedMs !== undefined && ackedMs !== undefined && now - Math.max(stableSince, ackedMs) >= 200) {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    })();
    const sends: Promise<void>[] = [];
    for (let sent = 0; sent < decisionIds.length; ) {
      const due = Math.min(decisionIds.length, Math.floor(((performance.now() - start) / 1_000) * rewardsPerSecond) + 1);
      while (sent < due) sends.push(reward(decisionIds[sent++]!));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const sentMs = performance.now() - start;
    await Promise.all(sends);
    ackedMs = performance.now() - start;
    await polling;
    console.log(`${decisionIds.length} rewards at ${rewardsPerSecond}/s: sent in ${sentMs.toFixed(0)} ms, all acknowledged at ${ackedMs.toFixed(0)} ms`);
    console.log(`score of ${trackedItem}: ${before.toFixed(4)} → ${lastScore.toFixed(4)}`);
    if (firstMovedMs === undefined) {
      console.log(`scores did not move within ${maxWaitMs} ms`);
      return;
    }
    const reflectedAfterLast = Math.max(0, lastChangeMs - ackedMs);
    console.log(`first reflected ${firstMovedMs.toFixed(0)} ms after the burst began; whole burst reflected ${reflectedAfterLast.toFixed(0)} ms after the last ack`);
    console.log(`ratio to the 1 s target: ${(reflectedAfterLast / targetMs).toFixed(2)}×`);
  } finally {
    client.close();
    await server.stop();
  }
}
