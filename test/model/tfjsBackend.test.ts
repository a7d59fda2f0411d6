import assert from "node:assert/strict";
import { selectTfjsBackend, type ModuleImporter } from "../../src/model/tfjsBackend.js";

/** An importer where the native packages are missing (they cannot be installed here), recording what was tried. */
function importerWithout(missing: string[], tried: string[]): ModuleImporter {
  return async (specifier) => {
    tried.push(specifier);
    if (missing.includes(specifier)) throw new Error(`Cannot find package '${specifier}'`);
    return import(specifier);
  };
}

const native = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"];

describe("TensorFlow.js backend selection", () => {
  it("tries tfjs-node-gpu only when a GPU is present, then tfjs-node, then falls back to wasm", async () => {
    const tried: string[] = [];
    const backend = await selectTfjsBackend("auto", { importModule: importerWithout(native, tried), gpuPresent: () => true });
    assert.equal(backend.name, "wasm");
    assert.equal(backend.tf.getBackend(), "wasm");
    assert.deepEqual(tried.slice(0, 2), native);

    const withoutGpu: string[] = [];
    await selectTfjsBackend("auto", { importModule: importerWithout(native, withoutGpu), gpuPresent: () => false });
    assert.equal(withoutGpu[0], "@tensorflow/tfjs-node");
  });

  it("falls back to plain JavaScript when WebAssembly cannot load", async () => {
    const backend = await selectTfjsBackend("auto", { importModule: importerWithout([...native, "@tensorflow/tfjs-backend-wasm"], []), gpuPresent: () => false });
    assert.equal(backend.name, "cpu");
    assert.equal(backend.tf.getBackend(), "cpu");
  });

  it("refuses a named backend that cannot load instead of silently falling back", async () => {
    await assert.rejects(selectTfjsBackend("tensorflow", { importModule: importerWithout(native, []), gpuPresent: () => true }), /tfjs-node-gpu.*tfjs-node/);
  });
});
