import { PlayerContext } from "../gen/vitrine/v1/common.js";
import { Event } from "../gen/vitrine/v1/events.js";
import type { ModelLayout } from "../model/featureEncoder.js";
import type { ModelSnapshot, ModelStore } from "../model/modelStore.js";
import { writeTransaction, type Db } from "./database.js";

interface SnapshotRow {
  create_time: number;
  layout: string;
  steps: number;
  examples_seen: number;
  log_loss_sum: number;
  last_event_seq: number;
  last_bandit_example_id: number;
  parameters: Buffer;
}

interface EventRow {
  seq: number;
  game_id: string;
  player_key: Buffer;
  server_time: number;
  payload: Buffer;
  consent: number | null;
}

/** The model's snapshot, its pending bandit examples, and the read of committed events replay needs. */
export function createSqliteModelStore(db: Db): ModelStore {
  const selectSnapshot = db.prepare<[], SnapshotRow>("SELECT * FROM model_snapshots ORDER BY snapshot_id DESC LIMIT 1");
  const deleteSnapshots = db.prepare("DELETE FROM model_snapshots");
  const insertSnapshot = db.prepare(
    `INSERT INTO model_snapshots (create_time, layout, steps, examples_seen, log_loss_sum, last_event_seq, last_bandit_example_id, parameters)
     VALUES (@create_time, @layout, @steps, @examples_seen, @log_loss_sum, @last_event_seq, @last_bandit_example_id, @parameters)`,
  );
  const deleteBanditExamples = db.prepare<[number]>("DELETE FROM model_bandit_examples WHERE example_id <= ?");
  const insertBanditExample = db.prepare<[Buffer]>("INSERT INTO model_bandit_examples (body) VALUES (?)");
  const lastBanditExampleId = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'model_bandit_examples'");
  const selectBanditExamples = db.prepare<[number], { example_id: number; body: Buffer }>(
    "SELECT example_id, body FROM model_bandit_examples WHERE example_id > ? ORDER BY example_id",
  );
  // Consent is the session's: events of sessions without consent are never trained on.
  const selectEvents = db.prepare<[number, number], EventRow>(
    `SELECT e.seq, e.game_id, e.player_key, e.server_time, e.payload, s.consent
     FROM events e LEFT JOIN sessions s ON s.game_id = e.game_id AND s.session_id = e.session_id
     WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
  );

  const selectSession = db.prepare<[string, string], { platform: number; region: string; age_band: number; device_model: string; locale: string }>(
    "SELECT platform, region, age_band, device_model, locale FROM sessions WHERE game_id = ? AND session_id = ?",
  );

  const save = writeTransaction(db, (snapshot: ModelSnapshot) => {
    deleteSnapshots.run();
    insertSnapshot.run({
      create_time: snapshot.createTime,
      layout: JSON.stringify(snapshot.layout),
      steps: snapshot.steps,
      examples_seen: snapshot.examplesSeen,
      log_loss_sum: snapshot.logLossSum,
      last_event_seq: snapshot.lastEventSeq,
      last_bandit_example_id: snapshot.lastBanditExampleId,
      parameters: snapshot.parameters,
    });
    deleteBanditExamples.run(snapshot.lastBanditExampleId);
  });
  const append = writeTransaction(db, (bodies: readonly Buffer[]) => {
    for (const body of bodies) insertBanditExample.run(body);
    return lastBanditExampleId.get()?.seq ?? 0;
  });

  return {
    latestSnapshot() {
      const row = selectSnapshot.get();
      return (
        row && {
          createTime: row.create_time,
          layout: JSON.parse(row.layout) as ModelLayout,
          steps: row.steps,
          examplesSeen: row.examples_seen,
          logLossSum: row.log_loss_sum,
          lastEventSeq: row.last_event_seq,
          lastBanditExampleId: row.last_bandit_example_id,
          parameters: row.parameters,
        }
      );
    },
    saveSnapshot: save,
    appendBanditExamples: append,
    banditExamplesAfter: (id) => selectBanditExamples.all(id).map((row) => ({ id: row.example_id, body: row.body })),
    committedEventsAfter: (seq, limit) =>
      selectEvents.all(seq, limit).map((row) => ({
        seq: row.seq,
        gameId: row.game_id,
        playerKey: row.player_key,
        consent: row.consent === 1,
        serverTime: row.server_time,
        event: Event.decode(row.payload),
      })),
    sessionContext(gameId, sessionId) {
      const row = selectSession.get(gameId, sessionId);
      return (
        row &&
        PlayerContext.fromPartial({ platform: row.platform, region: row.region, ageBand: row.age_band, deviceModel: row.device_model, locale: row.locale })
      );
    },
  };
}
