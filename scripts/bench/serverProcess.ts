import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** USER_HZ: what /proc counts CPU time in, 100 on every Linux build this runs on. */
const clockTicksPerSecond = 100;

/** Node flags for the servers the benchmarks start (BENCH_SERVER_NODE_ARGS, e.g. --cpu-prof), to profile them. */
export const serverNodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  address: string;
  dir: string;
  databasePath: string;
  /** The dev keys the server wrote when it seeded the demo world. */
  keys: { client: string; designer: string; admin: string };
  /** Resident memory now and at its peak, in MiB, from /proc. */
  memory(): { rssMiB: number; peakRssMiB: number };
  /** CPU time the server has used so far, all threads, user plus system, in seconds (from /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Starts `vitrine serve` as a child process on a free loopback port with a fresh database. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), "vitrine-bench-"));
  const databasePath = join(dir, "vitrine.db");
  const child = spawn(process.execPath, [...serverNodeArgs, join(repoRoot, "bin/vitrine.js"), "serve"], {
    cwd: repoRoot,
    env: { ...process.env, VITRINE_LISTEN_ADDRESS: "127.0.0.1:0", VITRINE_DATABASE_PATH: databasePath, VITRINE_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const address = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg: string; address?: string };
      if (entry.msg === "listening") resolve(entry.address!);
    });
  });
  // The demo world and its keys are seeded right after "listening"; wait for the keys file.
  const keysFile = join(dir, "vitrine-dev-keys.json");
  const keys = await waitFor(() => JSON.parse(readFileSync(keysFile, "utf8")) as ServerProcess["keys"]);
  const status = () => readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())![1]) / 1024;
  return {
    child,
    address,
    dir,
    databasePath,
    keys,
    memory: () => ({ rssMiB: kib("VmRSS"), peakRssMiB: kib("VmHWM") }),
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/PID/stat, counted after the parenthesised command name, in clock ticks.
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function waitFor<T>(read: () => T, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
