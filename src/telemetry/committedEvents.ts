import type { Event } from "../gen/vitrine/v1/events.js";

/** An event as stored, handed to listeners right after the transaction that stored it commits. */
export interface CommittedEvent {
  /** Its position in the store's append-only order; replay resumes after a seq. */
  seq: number;
  gameId: string;
  playerKey: Buffer;
  /** Whether the player consented to personalisation in this session (false when unknown). */
  consent: boolean;
  serverTime: number;
  /** The event as received; player_id is cleared. */
  event: Event;
}

/** Listeners of newly committed events, e.g. the trainer and implicit rewards. */
export interface CommittedEventsListener {
  onCommitted(events: readonly CommittedEvent[]): void;
}
