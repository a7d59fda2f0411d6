import type { AppDeps } from "../server/capability.js";
import { createSqliteModelStore } from "../storage/sqliteModelStore.js";
import type { CommittedEventsListener } from "../telemetry/committedEvents.js";
import type { PlayerProfiles } from "../telemetry/playerProfiles.js";
import type { Candidate, EngagementModel, ModelStatus, ScoringContext } from "./engagementModel.js";
import { EngagementScorer } from "./engagementScorer.js";
import { decodeExample, encodeExample } from "./exampleCodec.js";
import { FeatureEncoder, type ModelLayout } from "./featureEncoder.js";
import { MicroBatcher } from "./microBatcher.js";
import { ModelParameters } from "./modelParameters.js";
import type { ModelStore } from "./modelStore.js";
import { OnlineTrainer } from "./onlineTrainer.js";
import { OrganicExamples } from "./organicExamples.js";
import { seededRandom } from "./seededRandom.js";
import { selectTfjsBackend, type BackendProbes } from "./tfjsBackend.js";

/** The engagement model with the controls tests, benchmarks and shutdown need. */
export interface TrainableEngagementModel extends EngagementModel {
  /** Trains every example queued now. */
  flush(): Promise<void>;
  /** Trains every example queued now, then replays kept positives until each had its passes. */
  settle(): Promise<void>;
}

export interface EngagementModelRuntime {
  model: TrainableEngagementModel;
  /** Hand it every batch of committed events, in seq order, right after the commit. */
  listener: CommittedEventsListener;
  /** Saves a snapshot (writes to deps.db) and stops the timers: call before the database closes. */
  close(): Promise<void>;
}

export interface EngagementModelOptions extends BackendProbes {
  /** The player profiles telemetry keeps; without them, organic examples carry no profile features. */
  profiles?: PlayerProfiles;
  store?: ModelStore;
  now?: () => number;
}

/** Initial embeddings are uniform in ±embeddingScale: small, so the first scores sit near the bias. */
const embeddingScale = 0.01;
const initialisationSeed = 0x5eed;
const negativeSamplingSeed = 0x9e6;
/** The most score calls in one batched pass. */
const maxScoreBatch = 256;
/** Events read per chunk when replaying the events table after a snapshot. */
const replayChunk = 2_000;
/** AUC and calibration cover this many of the latest fresh examples. */
const validationWindow = 10_000;

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts the engagement model: picks the TensorFlow.js backend, restores the latest snapshot,
 * replays what arrived after it (bandit examples persisted since, and committed events with a
 * later seq), then trains continuously and snapshots periodically and on close.
 */
export async function createEngagementModel(deps: AppDeps, options: EngagementModelOptions = {}): Promise<EngagementModelRuntime> {
  const { config, log } = deps;
  const now = options.now ?? Date.now;
  const backend = await selectTfjsBackend(config.modelBackend, options);
  const layout: ModelLayout = { hashBits: config.modelHashBits, embeddingHashBits: config.modelEmbeddingHashBits, embeddingDim: config.modelEmbeddingDim };
  const store = options.store ?? createSqliteModelStore(deps.db);

  const saved = store.latestSnapshot();
  const restored = saved && sameLayout(saved.layout, layout) ? ModelParameters.deserialize(layout, saved.parameters) : undefined;
  if (saved && !restored) log.warn("model snapshot has another layout; training afresh from the stored events", { saved: saved.layout, configured: layout });
  const parameters = restored ?? ModelParameters.initial(layout, initialisationSeed, embeddingScale);
  const trainer = new OnlineTrainer(backend.tf, parameters, {
    learningRate: config.modelLearningRate,
    l2: config.modelL2,
    batchSize: config.modelBatchSize,
    negativesPerPositive: config.modelNegativesPerPositive,
    replayCapacity: config.modelReplayCapacity,
    maxPendingExamples: config.modelMaxPendingExamples,
    replayPasses: config.modelReplayPasses,
    validationWindow,
  });
  let lastSnapshotTime: Date | undefined;
  let persistedBanditId = 0;
  const encoder = new FeatureEncoder(layout);
  const organic = new OrganicExamples({
    catalog: deps.catalog,
    profiles: options.profiles,
    store,
    encoder,
    trainer,
    negativesPerPositive: config.modelNegativesPerPositive,
    random: seededRandom(negativeSamplingSeed),
  });
  if (saved && restored) {
    trainer.steps = saved.steps;
    trainer.examplesSeen = saved.examplesSeen;
    trainer.validation.restoreTotals({ logLossSum: saved.logLossSum, count: saved.examplesSeen });
    organic.lastSeq = saved.lastEventSeq;
    persistedBanditId = saved.lastBanditExampleId;
    lastSnapshotTime = new Date(saved.createTime);
  }

  // Replay: bandit examples persisted after the snapshot, then events committed after it.
  for (const { id, body } of store.banditExamplesAfter(persistedBanditId)) {
    trainer.enqueue(decodeExample(encoder, body));
    persistedBanditId = id;
  }
  let replayedEvents = 0;
  for (let events = store.committedEventsAfter(organic.lastSeq, replayChunk); events.length > 0; events = store.committedEventsAfter(organic.lastSeq, replayChunk)) {
    organic.onCommitted(events);
    replayedEvents += events.length;
    await trainer.trainPending();
  }
  await trainer.trainPending();
  log.info("model ready", { backend: backend.name, provider: backend.provider, version: String(trainer.steps), restored: Boolean(restored), replayedEvents });

  let unsavedBandit: Buffer[] = [];
  const persistBandit = () => {
    if (unsavedBandit.length > 0) persistedBanditId = store.appendBanditExamples(unsavedBandit);
    unsavedBandit = [];
  };
  let stepsAtSnapshot = trainer.steps;
  const snapshot = () =>
    trainer.exclusive(async () => {
      const lastEventSeq = organic.lastSeq;
      persistBandit();
      await trainer.drainQueue(trainer.pending);
      if (trainer.steps === stepsAtSnapshot && lastSnapshotTime) return;
      const createTime = now();
      store.saveSnapshot({
        createTime,
        layout,
        steps: trainer.steps,
        examplesSeen: trainer.examplesSeen,
        logLossSum: trainer.validation.totals().logLossSum,
        lastEventSeq,
        lastBanditExampleId: persistedBanditId,
        parameters: parameters.serialize(),
      });
      stepsAtSnapshot = trainer.steps;
      lastSnapshotTime = new Date(createTime);
    });

  let stopped = false;
  let trainTimer: NodeJS.Timeout | undefined;
  const train = async () => {
    try {
      persistBandit();
      await trainer.trainPending();
      // Idle: replay kept positives, yielding between steps so serving and fresh examples come first.
      const deadline = performance.now() + config.trainIntervalMs * config.modelReplayShare;
      while (!stopped && trainer.pending === 0 && performance.now() < deadline && (await trainer.replayStep())) await yieldToIo();
    } catch (error) {
      log.error("model training step failed", { error });
    }
    if (!stopped) trainTimer = setTimeout(train, config.trainIntervalMs);
  };
  trainTimer = setTimeout(train, config.trainIntervalMs);
  const snapshotTimer = setInterval(() => snapshot().catch((error: unknown) => log.error("model snapshot failed", { error })), config.snapshotIntervalMs);

  const scorer = new EngagementScorer(parameters);
  const batcher = new MicroBatcher<{ scoring: ScoringContext; candidates: readonly Candidate[] }, Float64Array>(config.microBatchWaitMs, maxScoreBatch, (requests) =>
    requests.map(({ scoring, candidates }) => {
      try {
        const scores = new Float64Array(candidates.length);
        scorer.score(
          encoder.playerSide(scoring),
          candidates.map((candidate) => encoder.itemSide(candidate)),
          scores,
        );
        return scores;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    }),
  );

  const model: TrainableEngagementModel = {
    get version() {
      return String(trainer.steps);
    },
    score: (scoring, candidates) => (candidates.length === 0 ? Promise.resolve(new Float64Array(0)) : batcher.submit({ scoring, candidates })),
    learn(example) {
      // Players without consent are never trained on; a weightless or broken example teaches nothing.
      if (example.scoring.playerKey === undefined || !(example.weight > 0) || !Number.isFinite(example.weight) || !Number.isFinite(example.label)) return;
      const encoded = {
        player: encoder.playerSide(example.scoring),
        item: encoder.itemSide(example.candidate),
        label: Math.min(1, Math.max(0, example.label)),
        weight: example.weight,
      };
      trainer.enqueue(encoded);
      unsavedBandit.push(encodeExample(encoded));
    },
    status: (): ModelStatus => ({
      backend: backend.name,
      version: String(trainer.steps),
      examplesSeen: trainer.examplesSeen,
      pendingExamples: trainer.pending,
      progressiveLogLoss: trainer.validation.meanLogLoss(),
      progressiveAuc: trainer.validation.recentAuc(),
      calibration: trainer.validation.recentCalibration(),
      lastSnapshotTime,
    }),
    flush: async () => {
      persistBandit();
      await trainer.trainPending();
    },
    settle: async () => {
      await model.flush();
      while (await trainer.replayStep()) await yieldToIo();
    },
  };

  let closing: Promise<void> | undefined;
  return {
    model,
    listener: organic,
    close: () =>
      (closing ??= (async () => {
        stopped = true;
        clearTimeout(trainTimer);
        clearInterval(snapshotTimer);
        await snapshot();
      })()),
  };
}

function sameLayout(a: ModelLayout, b: ModelLayout): boolean {
  return a.hashBits === b.hashBits && a.embeddingHashBits === b.embeddingHashBits && a.embeddingDim === b.embeddingDim;
}
