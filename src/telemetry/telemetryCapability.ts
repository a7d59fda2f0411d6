import type { AppDeps, Capability } from "../server/capability.js";
import type { CommittedEventsListener } from "./committedEvents.js";
import { EventWriter } from "./eventWriter.js";
import { Ingestion } from "./ingestion.js";
import { telemetryHandlers } from "./telemetryHandlers.js";
import { telemetryServiceDefinition } from "./telemetryServiceDefinition.js";

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
    eventRetentionDays: config.eventRetentionDays,
    logLevel: config.logLevel,
  });
  const ingestion = new Ingestion(writer, deps.catalog, config);
  return {
    writer,
    services: [{ name: "vitrine.v1.TelemetryService", definition: telemetryServiceDefinition, implementation: telemetryHandlers(deps, ingestion, writer) }],
    async close() {
      await writer.close();
    },
  };
}
