import type { Game } from "../auth/keyStore.js";
import { InvalidArgumentError } from "../errors/domainErrors.js";
import type { Event } from "../gen/vitrine/v1/events.js";
import type { BatchAck, RejectedEvent } from "../gen/vitrine/v1/telemetry_service.js";
import type { CatalogSnapshots } from "../placements/catalogSnapshot.js";
import { playerKey } from "../privacy/playerKey.js";
import { withoutPlayerId, type EventBatch } from "./eventBatchDecoding.js";
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

/** Player keys remembered across batches, per game; emptied when full. */
const playerKeyCacheSize = 200_000;

/** Validates a batch, stores its valid events, and acknowledges it once they are committed. */
export class Ingestion {
  // Players send many batches: hash each player id once, not once per event.
  private readonly playerKeys = new Map<string, Map<string, Buffer>>();

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

  async ingest(game: Game, { events, rawEvents, sequence }: EventBatch): Promise<BatchAck> {
    this.checkBatchSize(events);
    const catalog = this.catalog.get(game.gameId);
    const now = Date.now();
    const rejected: RejectedEvent[] = [];
    const accepted: AcceptedEvent[] = [];
    const playerKeys = this.playerKeysOf(game.gameId);
    events.forEach((event, index) => {
      const rejection = validateEvent(event, catalog, now, this.limits);
      if (rejection) {
        rejected.push({ index, eventId: event.eventId, ...rejection });
        return;
      }
      let key = playerKeys.get(event.playerId);
      if (!key) {
        if (playerKeys.size >= playerKeyCacheSize) playerKeys.clear();
        playerKeys.set(event.playerId, (key = playerKey(game, event.playerId)));
      }
      // The batch was decoded for this call alone: clear the raw id in place, so nothing
      // downstream (listeners included) ever holds it.
      event.playerId = "";
      accepted.push({
        event,
        playerKey: key,
        kind: eventKinds[event.payload!.$case],
        clientTime: event.clientTime!.getTime(),
        payload: withoutPlayerId(rawEvents[index]!),
      });
    });
    const newEvents = await this.writer.submit(game.gameId, accepted);
    return { sequence, acceptedCount: newEvents, duplicateCount: accepted.length - newEvents, rejected };
  }

  private playerKeysOf(gameId: string): Map<string, Buffer> {
    let keys = this.playerKeys.get(gameId);
    if (!keys) this.playerKeys.set(gameId, (keys = new Map()));
    return keys;
  }
}
