import { TelemetryServiceService } from "../gen/vitrine/v1/telemetry_service.js";
import { decodeEventBatch } from "./eventBatchDecoding.js";

/**
 * TelemetryService as generated, except that requests decode to EventBatch, which keeps each
 * event's received bytes so storing it needs no re-encoding.
 */
export const telemetryServiceDefinition = {
  ...TelemetryServiceService,
  ingestEvents: { ...TelemetryServiceService.ingestEvents, requestDeserialize: (bytes: Buffer) => decodeEventBatch(bytes, { sequence: 1, events: 2 }) },
  logEvents: { ...TelemetryServiceService.logEvents, requestDeserialize: (bytes: Buffer) => decodeEventBatch(bytes, { events: 1 }) },
};
