import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { InvalidArgumentError } from "../errors/domainErrors.js";

/** Every setting of a Vitrine server, with its default. Flat so each maps to one VITRINE_* variable. */
const defaults = {
  /** host:port the gRPC server binds; port 0 picks a free one. */
  listenAddress: "127.0.0.1:50051",
  /** The SQLite file (WAL mode). */
  databasePath: "vitrine.db",
  /** How long a write waits for another connection's lock (e.g. a CLI import) before failing. */
  databaseBusyTimeoutMs: 5_000,
  logLevel: "info" as "debug" | "info" | "warn" | "error" | "silent",
  /** PEM files; both set turns TLS on. */
  tlsCertPath: "",
  tlsKeyPath: "",
  /** Seed the demo world and print dev keys when the database holds no scene. */
  seedDemoWorld: true,
  /** How long SIGTERM waits for calls in flight before cancelling them. */
  shutdownGraceMs: 10_000,
  /** The largest request message accepted, in bytes. */
  maxMessageBytes: 4 * 1024 * 1024,

  /** Telemetry: the most events in one batch. */
  maxBatchEvents: 1_000,
  /** Telemetry: how far in the past (ms) a client time may be before the event is refused. */
  clientTimeMaxPastMs: 7 * 24 * 3_600_000,
  /** Telemetry: how far in the future (ms) a client time may be before the event is refused. */
  clientTimeMaxFutureMs: 10 * 60_000,
  /** Telemetry: events waiting for the writer, across all clients, before back-pressure starts. */
  writerQueueEvents: 50_000,
  /** Telemetry: raw events older than this many days are purged (0 keeps them forever); roll-ups stay. */
  eventRetentionDays: 90,

  /** Model: "auto" tries tensorflow (GPU, then CPU), then wasm, then cpu. */
  modelBackend: "auto" as "auto" | "tensorflow" | "wasm" | "cpu",
  /** Model: hashed feature space is 2^modelHashBits wide. */
  modelHashBits: 18,
  /** Model: size of the player and item embeddings. */
  modelEmbeddingDim: 32,
  /** Model: the embedding table has 2^modelEmbeddingHashBits rows, shared by hashed player, context and item features. */
  modelEmbeddingHashBits: 17,
  /** Model: learning rate of the online optimiser (Adagrad). */
  modelLearningRate: 0.1,
  /** Model: L2 regularisation of the weights and embedding rows a step touches. */
  modelL2: 1e-5,
  /** Model: the most examples in one gradient step. */
  modelBatchSize: 512,
  /** Model: catalog items drawn as negatives for each organic positive. */
  modelNegativesPerPositive: 4,
  /** Model: organic positives kept for replay passes while the trainer is idle (0 turns replay off). */
  modelReplayCapacity: 200_000,
  /** Model: examples waiting for training before new ones are dropped (bounds memory when telemetry outpaces training). */
  modelMaxPendingExamples: 500_000,
  /** Model: extra passes each kept positive gets, with fresh negatives each time (at most 255). */
  modelReplayPasses: 8,
  /** Model: the share of each train interval that idle replay may use, 0..0.9. */
  modelReplayShare: 0.5,
  /** Model: how often pending examples are trained on, in ms. */
  trainIntervalMs: 200,
  /** Model: how often the model is snapshotted to the store, in ms. */
  snapshotIntervalMs: 60_000,
  /** Recommend: how long a call may wait to join a batched forward pass, in ms. */
  microBatchWaitMs: 2,
  /** Recommend: how long a decision may wait in the write buffer before its batch is committed, in ms. */
  decisionFlushIntervalMs: 5,
  /** Recommend: commit the decision write buffer at once when this many writes wait. */
  decisionFlushRows: 1_000,
  /** Recommend: decisions kept in memory after they are written, so rewards rarely read the store. */
  decisionCacheSize: 100_000,
  /** Recommend: how often decisions past their reward deadline are settled (default reward, training), in ms. */
  rewardSweepIntervalMs: 1_000,
  /** Recommend: the largest importance weight (1 / propensity) a rewarded decision trains with. */
  maxImportanceWeight: 10,
};

export type Config = Readonly<typeof defaults>;
type Key = keyof typeof defaults;

const allowedValues: Partial<Record<Key, readonly string[]>> = {
  logLevel: ["debug", "info", "warn", "error", "silent"],
  modelBackend: ["auto", "tensorflow", "wasm", "cpu"],
};

const envPrefix = "VITRINE_";
/** Names the config file; not itself a setting. */
export const configFileVariable = "VITRINE_CONFIG";

function envName(key: string): string {
  return envPrefix + key.replace(/[A-Z]/g, (c) => "_" + c).toUpperCase();
}

function coerce(key: Key, raw: unknown, source: string): unknown {
  const expected = typeof defaults[key];
  let value = raw;
  if (typeof raw === "string" && expected === "number") value = raw.trim() === "" ? NaN : Number(raw);
  if (typeof raw === "string" && expected === "boolean") {
    if (raw !== "true" && raw !== "false") throw new InvalidArgumentError(key, `${source}: expected true or false`);
    value = raw === "true";
  }
  if (typeof value !== expected || (expected === "number" && !Number.isFinite(value))) {
    throw new InvalidArgumentError(key, `${source}: expected a ${expected}`);
  }
  const allowed = allowedValues[key];
  if (allowed && !allowed.includes(value as string)) {
    throw new InvalidArgumentError(key, `${source}: expected one of ${allowed.join(", ")}`);
  }
  return value;
}

function validate(config: Config): void {
  const positive: Key[] = ["maxMessageBytes", "modelMaxPendingExamples", "maxBatchEvents", "writerQueueEvents", "modelHashBits", "modelEmbeddingDim", "modelEmbeddingHashBits", "modelLearningRate", "modelBatchSize", "trainIntervalMs", "snapshotIntervalMs", "decisionFlushRows", "decisionCacheSize", "rewardSweepIntervalMs", "maxImportanceWeight"];
  for (const key of positive) {
    if ((config[key] as number) <= 0) throw new InvalidArgumentError(key, "must be greater than 0");
  }
  const nonNegative: Key[] = ["databaseBusyTimeoutMs", "shutdownGraceMs", "clientTimeMaxPastMs", "clientTimeMaxFutureMs", "eventRetentionDays", "microBatchWaitMs", "modelL2", "modelNegativesPerPositive", "modelReplayCapacity", "modelReplayPasses", "modelReplayShare", "decisionFlushIntervalMs"];
  for (const key of nonNegative) {
    if ((config[key] as number) < 0) throw new InvalidArgumentError(key, "must not be negative");
  }
  if (config.modelHashBits > 24) throw new InvalidArgumentError("modelHashBits", "must be at most 24");
  if (config.modelEmbeddingHashBits > 22) throw new InvalidArgumentError("modelEmbeddingHashBits", "must be at most 22");
  if (config.modelReplayPasses > 255) throw new InvalidArgumentError("modelReplayPasses", "must be at most 255");
  if (config.modelReplayShare > 0.9) throw new InvalidArgumentError("modelReplayShare", "must be at most 0.9");
  if (!/^[^:]*:\d+$/.test(config.listenAddress) && !/^\[.*\]:\d+$/.test(config.listenAddress)) {
    throw new InvalidArgumentError("listenAddress", "expected host:port");
  }
  if (Boolean(config.tlsCertPath) !== Boolean(config.tlsKeyPath)) {
    throw new InvalidArgumentError("tlsCertPath", "tlsCertPath and tlsKeyPath must be set together");
  }
}

/**
 * Builds the config once at start-up: defaults, then the optional file (JSON or YAML), then
 * VITRINE_* environment variables. Unknown keys and variables are errors, so a typo never
 * silently falls back to a default.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<Config> } = {}): Config {
  const env = options.env ?? {};
  const merged: Record<string, unknown> = { ...defaults };
  const file = options.file ?? env[configFileVariable];
  if (file) {
    const parsed: unknown = parseYaml(readFileSync(file, "utf8"));
    if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
      throw new InvalidArgumentError("config", `${file}: expected a mapping of settings`);
    }
    for (const [key, value] of Object.entries(parsed ?? {})) {
      if (!(key in defaults)) throw new InvalidArgumentError(key, `${file}: unknown setting`);
      merged[key] = coerce(key as Key, value, file);
    }
  }
  const known = new Map(Object.keys(defaults).map((key) => [envName(key), key as Key]));
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(envPrefix) || name === configFileVariable || value === undefined) continue;
    const key = known.get(name);
    if (!key) throw new InvalidArgumentError(name, "unknown environment variable");
    merged[key] = coerce(key, value, name);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    merged[key] = coerce(key as Key, value, "override");
  }
  const config = Object.freeze(merged) as Config;
  validate(config);
  return config;
}

/** The environment variable that sets a config key, for docs and error messages. */
export const environmentVariableFor = (key: Key): string => envName(key);
export const configKeys = Object.keys(defaults) as Key[];
export const defaultConfig: Config = Object.freeze({ ...defaults });
