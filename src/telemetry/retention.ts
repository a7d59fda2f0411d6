import type { Logger } from "../log/logger.js";
import type { TelemetryStore } from "./telemetryStore.js";

const chunk = 5_000;
const dayMs = 86_400_000;

/**
 * Deletes raw events older than the retention period, in small chunks so the event loop keeps
 * serving between them. Roll-ups and profiles are kept.
 */
export function purgeExpiredEvents(store: TelemetryStore, retentionDays: number, now: number): Promise<number> {
  const cutoff = now - retentionDays * dayMs;
  return new Promise((resolve) => {
    let total = 0;
    const step = () => {
      const deleted = store.purgeEventsBefore(cutoff, chunk);
      total += deleted;
      if (deleted === chunk) setImmediate(step);
      else resolve(total);
    };
    step();
  });
}

/** Purges at start-up and then every hour; returns the function that stops it. */
export function scheduleRetention(store: TelemetryStore, retentionDays: number, log: Logger): () => void {
  if (retentionDays === 0) return () => {};
  const run = () =>
    void purgeExpiredEvents(store, retentionDays, Date.now()).then((deleted) => {
      if (deleted > 0) log.info("purged expired events", { deleted, retentionDays });
    });
  const timer = setInterval(run, 3_600_000);
  timer.unref();
  setImmediate(run);
  return () => clearInterval(timer);
}
