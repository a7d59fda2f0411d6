import { TelemetryServiceService } from "../gen/vitrine/v1/telemetry_service.js";
import type { AppDeps, Capability } from "../server/capability.js";
import { createSqliteTelemetryStore } from "../storage/sqliteTelemetryStore.js";
import type { CommittedEventsListener } from "./committedEvents.js";
import { EventWriter } from "./eventWriter.js";
import { Ingestion } from "./ingestion.js";
import { scheduleRetention } from "./retention.js";
import { telemetryHandlers } from "./telemetryHandlers.js";

export interface TelemetryCapability extends Capability {
  /** The single writer, whose queue back-pressure is measured against. */
  writer: EventWriter;
}

/** TelemetryService: validated, idempotent, durable ingestion that keeps profiles and roll-ups current. */
export function createTelemetryCapability(deps: AppDeps, listeners: readonly CommittedEventsListener[]): TelemetryCapability {
  const { config } = deps;
  const writer = new EventWriter(listeners, deps.log, {
    databasePath: config.databasePath,
    busyTimeoutMs: config.databaseBusyTimeoutMs,
    queueLimit: config.writerQueueEvents,
    maxEventsPerTransaction: 20_000,
  });
  const ingestion = new Ingestion(writer, deps.catalog, config);
  const stopRetention = scheduleRetention(createSqliteTelemetryStore(deps.db), config.eventRetentionDays, deps.log);
  return {
    writer,
    services: [{ name: "vitrine.v1.TelemetryService", definition: TelemetryServiceService, implementation: telemetryHandlers(deps, ingestion, writer) }],
    async close() {
      stopRetention();
      await writer.close();
    },
  };
}
