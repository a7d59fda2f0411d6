// Worker threads do not inherit tsx when the parent registered it through its API (bin/vitrine.js),
// so the telemetry writer worker registers it itself before loading its TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./writerWorker.ts");
