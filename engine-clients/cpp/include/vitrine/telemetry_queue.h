#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "vitrine/batch_file_queue.h"
#include "vitrine/retry_policy.h"
#include "vitrine/v1/telemetry_service.grpc.pb.h"

namespace vitrine {

struct TelemetryOptions {
  // Where unsent batches wait; required. One directory per game install and server.
  std::string queue_directory;
  // A batch is cut when this many events are pending (the server takes up to 1,000)...
  size_t max_batch_events = 500;
  // ...or when the oldest pending event has waited this long.
  std::chrono::milliseconds flush_interval{8000};
  BatchFileQueueLimits queue_limits;
  // Batches written on the stream before waiting for the first ack.
  size_t max_in_flight_batches = 4;
  // Batches sent on one stream before it is closed and a fresh one opened; bounds how long a
  // stream lives, and with stream_deadline how long an unanswered server can stall the queue.
  size_t max_batches_per_stream = 32;
  std::chrono::milliseconds stream_deadline{30000};
  // How telemetry backs off after a retryable failure; max_attempts is ignored (no limit).
  RetryPolicy retry{std::chrono::milliseconds{500}, std::chrono::milliseconds{30000}, 2.0, 0};
  // Called on the telemetry thread for every ack; keep it short.
  std::function<void(const v1::BatchAck&)> on_ack;
  // Called on the telemetry thread when a send fails; `will_retry` is false when the code is
  // not retryable and sending paused until Flush() or a restart.
  std::function<void(const grpc::Status&, bool will_retry)> on_send_failure;
};

struct TelemetryStats {
  uint64_t events_enqueued = 0;
  uint64_t batches_persisted = 0;
  uint64_t batches_acked = 0;
  uint64_t events_accepted = 0;
  uint64_t events_duplicate = 0;
  uint64_t events_rejected = 0;
  uint64_t batches_dropped = 0;  // queue full or unreadable
  uint64_t send_failures = 0;
  size_t pending_events = 0;  // in memory, not yet in a batch file
  size_t queued_batches = 0;  // on disk, not yet acknowledged
  grpc::StatusCode last_failure_code = grpc::StatusCode::OK;
  bool paused = false;  // a non-retryable failure stopped sending
};

// Batches events on a background thread, persists every batch to a BatchFileQueue before
// sending it, sends batches over TelemetryService.IngestEvents with the batch id as sequence
// number, and deletes a batch file only when its ack arrives. Enqueue never does I/O, so it is
// safe on the game thread.
class TelemetryQueue {
 public:
  // `add_call_metadata` decorates each stream's context (the API key).
  TelemetryQueue(std::shared_ptr<grpc::ChannelInterface> channel,
                 std::function<void(grpc::ClientContext&)> add_call_metadata,
                 TelemetryOptions options);
  // Persists pending events to disk and stops; unsent batches are sent by the next queue
  // opened on the same directory.
  ~TelemetryQueue();

  TelemetryQueue(const TelemetryQueue&) = delete;
  TelemetryQueue& operator=(const TelemetryQueue&) = delete;

  void Enqueue(v1::Event event);
  // Cuts a batch of whatever is pending and sends now; also resumes after a non-retryable
  // failure and skips the current backoff.
  void Flush();
  // Waits until nothing is pending or queued, e.g. before a headless client exits. Returns
  // false on timeout.
  bool WaitUntilDrained(std::chrono::milliseconds timeout);

  TelemetryStats Stats() const;

 private:
  void Run();
  // Moves pending events into a batch file. Requires mutex_ held; releases it for the I/O.
  void PersistPending(std::unique_lock<std::mutex>& lock);
  bool ShouldPersistLocked(std::chrono::steady_clock::time_point now) const;
  // Sends queued batches on one stream until the queue is empty or the stream fails.
  grpc::Status SendQueuedBatches();
  void RecordAck(const v1::BatchAck& ack);

  const std::shared_ptr<grpc::ChannelInterface> channel_;
  const std::unique_ptr<v1::TelemetryService::Stub> stub_;
  const std::function<void(grpc::ClientContext&)> add_call_metadata_;
  const TelemetryOptions options_;
  BatchFileQueue files_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::vector<v1::Event> pending_;
  size_t events_being_persisted_ = 0;
  std::chrono::steady_clock::time_point oldest_pending_since_;
  bool flush_requested_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point next_send_allowed_;
  int consecutive_failures_ = 0;
  TelemetryStats stats_;
  // The live stream's context, so the destructor can cancel a blocked read.
  grpc::ClientContext* active_stream_context_ = nullptr;
  std::mt19937_64 random_;

  std::thread worker_;
};

}  // namespace vitrine
