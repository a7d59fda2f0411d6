import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Config } from "../config/config.js";
import type { Tfjs } from "./lossGradients.js";

export type BackendName = "tensorflow" | "wasm" | "cpu";

/** Loads a module by name; tests inject one that pretends packages are missing. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

export interface TfjsBackend {
  tf: Tfjs;
  /** What ModelStatus.backend reports. */
  name: BackendName;
  /** The package that provides it, for the start-up log. */
  provider: string;
}

export interface BackendProbes {
  importModule?: ModuleImporter;
  gpuPresent?: () => boolean;
}

interface Attempt {
  name: BackendName;
  provider: string;
  load(importModule: ModuleImporter): Promise<Tfjs>;
}

/** NVIDIA's device node (Linux) or WSL's GPU bridge. */
const defaultGpuPresent = () => existsSync("/dev/nvidia0") || existsSync("/dev/dxg");

/** The directory holding the backend's .wasm files, which ship inside the package. */
const wasmDirectory = () => dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm")) + "/";

const nativeAttempt = (provider: string): Attempt => ({
  name: "tensorflow",
  provider,
  async load(importModule) {
    // tfjs-node re-exports tfjs bound to its own engine, with the "tensorflow" backend registered.
    const tf = (await importModule(provider)) as Tfjs;
    await tf.ready();
    if (tf.getBackend() !== "tensorflow") throw new Error(`${provider} did not activate the tensorflow backend`);
    return tf;
  },
});

const wasmAttempt: Attempt = {
  name: "wasm",
  provider: "@tensorflow/tfjs-backend-wasm",
  async load(importModule) {
    const tf = (await importModule("@tensorflow/tfjs")) as Tfjs;
    const wasm = (await importModule("@tensorflow/tfjs-backend-wasm")) as { setWasmPaths(prefix: string): void };
    wasm.setWasmPaths(wasmDirectory());
    if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend failed to initialise");
    return tf;
  },
};

const cpuAttempt: Attempt = {
  name: "cpu",
  provider: "@tensorflow/tfjs",
  async load(importModule) {
    const tf = (await importModule("@tensorflow/tfjs")) as Tfjs;
    if (!(await tf.setBackend("cpu"))) throw new Error("the cpu backend failed to initialise");
    return tf;
  },
};

/**
 * Chooses the TensorFlow.js backend once at start-up. "auto" tries tfjs-node-gpu (only when a
 * GPU is present), tfjs-node, WebAssembly, then plain JavaScript; a named backend that cannot
 * load is an error rather than a silent fallback. The choice is process-wide, as tfjs's is.
 */
export async function selectTfjsBackend(preference: Config["modelBackend"], probes: BackendProbes = {}): Promise<TfjsBackend> {
  const importModule = probes.importModule ?? ((specifier: string) => import(specifier));
  const gpuPresent = (probes.gpuPresent ?? defaultGpuPresent)();
  const native = [...(gpuPresent ? [nativeAttempt("@tensorflow/tfjs-node-gpu")] : []), nativeAttempt("@tensorflow/tfjs-node")];
  const attempts = { auto: [...native, wasmAttempt, cpuAttempt], tensorflow: native, wasm: [wasmAttempt], cpu: [cpuAttempt] }[preference];
  const failures: string[] = [];
  for (const attempt of attempts) {
    try {
      const tf = await attempt.load(importModule);
      // Production mode skips per-op debug checks and the console hint about tfjs-node.
      tf.enableProdMode();
      return { tf, name: attempt.name, provider: attempt.provider };
    } catch (error) {
      failures.push(`${attempt.provider}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend for modelBackend=${preference} could load (${failures.join("; ")})`);
}
