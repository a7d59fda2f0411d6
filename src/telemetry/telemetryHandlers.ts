import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import { ResourceExhaustedError } from "../errors/domainErrors.js";
import type { IngestEventsResponse, LogEventsResponse } from "../gen/vitrine/v1/telemetry_service.js";
import { bidi, unary, type HandlerDeps } from "../server/handlers.js";
import type { EventBatch } from "./eventBatchDecoding.js";
import type { EventWriter } from "./eventWriter.js";
import type { Ingestion } from "./ingestion.js";

/**
 * Batches one stream may have waiting for their commit before the server stops reading it.
 * Deep enough that a few streams keep the writer's group commits large while one commits
 * (8 cost a quarter of the throughput); the writer's queue limit still bounds memory.
 */
const maxBatchesInFlightPerStream = 40;

/** Both RPCs receive EventBatch requests: see telemetryServiceDefinition.ts. */
export function telemetryHandlers(deps: HandlerDeps, ingestion: Ingestion, writer: EventWriter): UntypedServiceImplementation {
  return {
    logEvents: unary<EventBatch, LogEventsResponse>(deps, ["client"], async (request, { caller }) => {
      ingestion.checkBatchSize(request.events);
      if (!writer.hasRoomFor(request.events.length)) {
        throw new ResourceExhaustedError("the telemetry writer is saturated; retry after the retry-after-ms trailer", writer.retryAfterMs());
      }
      return { ack: await ingestion.ingest(caller.game, request) };
    }),

    // Acks go out in the order batches came in, each after its commit. Reading pauses while
    // this stream has too many batches in flight or the writer's queue is full, so HTTP/2 flow
    // control pushes back on the client instead of memory growing.
    ingestEvents: bidi<EventBatch, IngestEventsResponse>(deps, ["client"], (call, { caller }) => {
      return new Promise<void>((resolve, reject) => {
        let inFlight = 0;
        let paused = false;
        let failed = false;
        let ended = false;
        let acks: Promise<void> = Promise.resolve();
        // Called after every ack and whenever the writer frees room; re-arms itself while the
        // writer is still full, so a paused stream can never miss its wake-up.
        const resumeWhenReady = () => {
          if (!paused || failed || inFlight >= maxBatchesInFlightPerStream) return;
          if (!writer.hasRoomFor(1)) return void writer.whenRoom().then(() => setImmediate(resumeWhenReady));
          paused = false;
          call.resume();
        };
        const fail = (error: unknown) => {
          if (failed) return;
          failed = true;
          call.removeAllListeners("data");
          reject(error);
        };
        call.on("data", (request: EventBatch) => {
          if (failed) return;
          inFlight += 1;
          if (!paused && (inFlight >= maxBatchesInFlightPerStream || !writer.hasRoomFor(request.events.length))) {
            paused = true;
            call.pause();
            resumeWhenReady();
          }
          const ack = ingestion.ingest(caller.game, request);
          acks = acks.then(async () => {
            const response = await ack;
            inFlight -= 1;
            if (!failed) call.write({ ack: response });
            resumeWhenReady();
          });
          acks.catch(fail);
        });
        call.on("end", () => {
          ended = true;
          void acks.then(() => {
            if (failed) return;
            call.end();
            resolve();
          });
        });
        // The client went away: nothing to answer; commits in flight still complete.
        call.on("cancelled", () => {
          failed = true;
          if (!ended) resolve();
        });
        call.on("error", fail);
      });
    }),
  };
}
