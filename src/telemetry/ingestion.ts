import type { Game } from "../auth/keyStore.js";
import { InvalidArgumentError } from "../errors/domainErrors.js";
import { Event } from "../gen/vitrine/v1/events.js";
import type { BatchAck, RejectedEvent } from "../gen/vitrine/v1/telemetry_service.js";
import type { CatalogSnapshots } from "../placements/catalogSnapshot.js";
import { playerKey } from "../privacy/playerKey.js";
import type { AcceptedEvent, EventWriter } from "./eventWriter.js";
import { validateEvent, type ValidationLimits } from "./eventValidation.js";

/** The field number of each payload case in Event, stored as the event's kind. */
export const eventKinds = {
  sessionStarted: 10,
  sessionEnded: 11,
  zoneEntered: 12,
  zoneExited: 13,
  exposure: 14,
  interaction: 15,
  conversion: 16,
  feedback: 17,
  custom: 18,
} as const satisfies Record<NonNullable<Event["payload"]>["$case"], number>;

export interface IngestionLimits extends ValidationLimits {
  maxBatchEvents: number;
}

/** Validates a batch, stores its valid events, and acknowledges it once they are committed. */
export class Ingestion {
  constructor(
    private readonly writer: EventWriter,
    private readonly catalog: CatalogSnapshots,
    private readonly limits: IngestionLimits,
  ) {}

  checkBatchSize(events: readonly Event[]): void {
    if (events.length === 0 || events.length > this.limits.maxBatchEvents) {
      throw new InvalidArgumentError("events", `a batch holds 1..${this.limits.maxBatchEvents} events, got ${events.length}`);
    }
  }

  async ingest(game: Game, events: readonly Event[], sequence: number): Promise<BatchAck> {
    this.checkBatchSize(events);
    const catalog = this.catalog.get(game.gameId);
    const now = Date.now();
    const rejected: RejectedEvent[] = [];
    const accepted: AcceptedEvent[] = [];
    // A batch usually holds few players: hash each once.
    const keys = new Map<string, Buffer>();
    events.forEach((event, index) => {
      const rejection = validateEvent(event, catalog, now, this.limits);
      if (rejection) {
        rejected.push({ index, eventId: event.eventId, ...rejection });
        return;
      }
      let key = keys.get(event.playerId);
      if (!key) keys.set(event.playerId, (key = playerKey(game, event.playerId)));
      accepted.push({
        event: { ...event, playerId: "" },
        playerKey: key,
        kind: eventKinds[event.payload!.$case],
        clientTime: event.clientTime!.getTime(),
        payload: Event.encode({ ...event, playerId: "" }).finish(),
      });
    });
    const newEvents = await this.writer.submit(game.gameId, accepted);
    return { sequence, acceptedCount: newEvents, duplicateCount: accepted.length - newEvents, rejected };
  }
}
