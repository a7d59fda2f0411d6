import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { Event } from "../gen/vitrine/v1/events.js";

/** A decoded batch that also keeps each event's bytes as they arrived. */
export interface EventBatch {
  sequence: number;
  events: Event[];
  /** Event i as received: storing it needs no re-encoding, only the player id cut out. */
  rawEvents: Uint8Array[];
}

const playerIdField = 2;

/**
 * Decodes IngestEventsRequest (sequence = 1, events = 2) or LogEventsRequest (events = 1) in
 * one pass, keeping a zero-copy view of every event's bytes next to its decoded form.
 */
export function decodeEventBatch(bytes: Uint8Array, fields: { sequence?: number; events: number }): EventBatch {
  const reader = new BinaryReader(bytes);
  const batch: EventBatch = { sequence: 0, events: [], rawEvents: [] };
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === fields.events && wireType === WireType.LengthDelimited) {
      const raw = reader.bytes();
      batch.rawEvents.push(raw);
      batch.events.push(Event.decode(raw));
    } else if (fieldNo === fields.sequence && wireType === WireType.Varint) {
      batch.sequence = Number(reader.uint64());
    } else {
      reader.skip(wireType, fieldNo);
    }
  }
  return batch;
}

/** The event's bytes without its player_id field, so the raw id never reaches the store. */
export function withoutPlayerId(event: Uint8Array): Uint8Array {
  const reader = new BinaryReader(event);
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    reader.skip(wireType, fieldNo);
    if (fieldNo === playerIdField) {
      const stripped = new Uint8Array(event.length - (reader.pos - start));
      stripped.set(event.subarray(0, start));
      stripped.set(event.subarray(reader.pos), start);
      // A repeated field would be merged by decoders: strip any later occurrence too.
      return withoutPlayerId(stripped);
    }
  }
  return event;
}
