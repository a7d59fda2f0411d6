#include "vitrine/telemetry_queue.h"

#include <algorithm>
#include <deque>

namespace vitrine {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

TelemetryQueue::TelemetryQueue(std::shared_ptr<grpc::ChannelInterface> channel,
                               std::function<void(grpc::ClientContext&)> add_call_metadata,
                               TelemetryOptions options)
    : channel_(std::move(channel)),
      stub_(v1::TelemetryService::NewStub(channel_)),
      add_call_metadata_(std::move(add_call_metadata)),
      options_(std::move(options)),
      files_(options_.queue_directory, options_.queue_limits),
      random_(std::random_device{}()) {
  worker_ = std::thread([this] { Run(); });
}

TelemetryQueue::~TelemetryQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    if (active_stream_context_ != nullptr) active_stream_context_->TryCancel();
  }
  wake_.notify_all();
  worker_.join();
}

void TelemetryQueue::Enqueue(v1::Event event) {
  bool wake_worker = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // The first pending event starts the flush timer; a full batch is cut at once.
    wake_worker = pending_.empty();
    if (pending_.empty()) oldest_pending_since_ = Clock::now();
    pending_.push_back(std::move(event));
    ++stats_.events_enqueued;
    wake_worker = wake_worker || pending_.size() >= options_.max_batch_events;
  }
  if (wake_worker) wake_.notify_one();
}

void TelemetryQueue::Flush() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    flush_requested_ = true;
    stats_.paused = false;
    next_send_allowed_ = Clock::now();
  }
  wake_.notify_one();
}

bool TelemetryQueue::WaitUntilDrained(std::chrono::milliseconds timeout) {
  Flush();
  std::unique_lock<std::mutex> lock(mutex_);
  auto drained = [this] {
    return pending_.empty() && events_being_persisted_ == 0 && !flush_requested_ &&
           files_.Count() == 0;
  };
  // A paused queue will not drain by itself; no point waiting out the timeout.
  drained_.wait_for(lock, timeout, [&] { return drained() || stats_.paused; });
  return drained();
}

TelemetryStats TelemetryQueue::Stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  TelemetryStats stats = stats_;
  stats.pending_events = pending_.size() + events_being_persisted_;
  stats.queued_batches = files_.Count();
  stats.batches_dropped = files_.DroppedBatches();
  return stats;
}

bool TelemetryQueue::ShouldPersistLocked(Clock::time_point now) const {
  if (pending_.empty()) return false;
  return flush_requested_ || stopping_ || pending_.size() >= options_.max_batch_events ||
         now - oldest_pending_since_ >= options_.flush_interval;
}

void TelemetryQueue::PersistPending(std::unique_lock<std::mutex>& lock) {
  const size_t batch_size = std::max<size_t>(options_.max_batch_events, 1);
  const bool cut_everything = flush_requested_ || stopping_ ||
                              Clock::now() - oldest_pending_since_ >= options_.flush_interval;
  std::vector<v1::Event> events;
  events.swap(pending_);
  flush_requested_ = false;
  if (!cut_everything) {
    // Cut only full batches; the remainder keeps filling (its timer restarts, a small delay
    // bounded by one flush interval).
    const size_t full_batches_end = events.size() / batch_size * batch_size;
    pending_.assign(std::make_move_iterator(events.begin() + full_batches_end),
                    std::make_move_iterator(events.end()));
    events.resize(full_batches_end);
    if (!pending_.empty()) oldest_pending_since_ = Clock::now();
  }
  // While unlocked the events are neither pending nor on disk; this keeps them counted.
  events_being_persisted_ = events.size();
  lock.unlock();

  uint64_t persisted = 0;
  for (size_t start = 0; start < events.size(); start += batch_size) {
    v1::IngestEventsRequest batch;
    const size_t end = std::min(events.size(), start + batch_size);
    for (size_t i = start; i < end; ++i) *batch.add_events() = std::move(events[i]);
    // The sequence number is the batch file's id, assigned when sending.
    if (files_.Push(batch.SerializeAsString())) ++persisted;
  }

  lock.lock();
  events_being_persisted_ = 0;
  stats_.batches_persisted += persisted;
}

void TelemetryQueue::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (ShouldPersistLocked(Clock::now())) PersistPending(lock);
    flush_requested_ = false;
    if (stopping_) break;

    const bool has_batches = files_.Count() > 0;
    if (has_batches && !stats_.paused && Clock::now() >= next_send_allowed_) {
      lock.unlock();
      const grpc::Status status = SendQueuedBatches();
      const bool will_retry = IsRetryableStatus(status.error_code());
      lock.lock();
      if (stopping_) continue;  // a cancelled stream at shutdown is not a failure
      // The callback runs before the state changes, so a caller woken by the change has
      // already heard about the failure.
      if (!status.ok() && options_.on_send_failure) {
        lock.unlock();
        options_.on_send_failure(status, will_retry);
        lock.lock();
      }
      if (status.ok()) {
        consecutive_failures_ = 0;
      } else {
        ++stats_.send_failures;
        stats_.last_failure_code = status.error_code();
        if (will_retry) {
          next_send_allowed_ =
              Clock::now() + FullJitterBackoff(options_.retry, consecutive_failures_++, random_);
        } else {
          stats_.paused = true;
        }
      }
      drained_.notify_all();
      continue;
    }

    drained_.notify_all();
    auto wake_at = Clock::time_point::max();
    if (!pending_.empty()) wake_at = oldest_pending_since_ + options_.flush_interval;
    if (has_batches && !stats_.paused) wake_at = std::min(wake_at, next_send_allowed_);
    // A first pending event wakes the thread too: it starts a flush timer to wait for.
    const bool had_pending = !pending_.empty();
    auto wake_early = [this, had_pending] {
      return stopping_ || flush_requested_ || pending_.size() >= options_.max_batch_events ||
             (!had_pending && !pending_.empty());
    };
    if (wake_at == Clock::time_point::max()) {
      wake_.wait(lock, wake_early);
    } else {
      wake_.wait_until(lock, wake_at, wake_early);
    }
  }
}

grpc::Status TelemetryQueue::SendQueuedBatches() {
  grpc::ClientContext context;
  add_call_metadata_(context);
  context.set_deadline(std::chrono::system_clock::now() + options_.stream_deadline);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return grpc::Status(grpc::StatusCode::CANCELLED, "telemetry queue stopping");
    active_stream_context_ = &context;
  }
  auto stream = stub_->IngestEvents(&context);

  std::deque<uint64_t> in_flight;
  uint64_t last_sent_id = 0;
  size_t sent_on_stream = 0;
  grpc::Status protocol_error;
  bool stream_broken = false;

  while (true) {
    {
      // Events that became due while streaming go into files this stream can still send.
      std::unique_lock<std::mutex> lock(mutex_);
      if (ShouldPersistLocked(Clock::now())) PersistPending(lock);
    }
    while (in_flight.size() < std::max<size_t>(options_.max_in_flight_batches, 1) &&
           sent_on_stream < options_.max_batches_per_stream) {
      const auto next_id = files_.NextIdAfter(last_sent_id);
      if (!next_id) break;
      last_sent_id = *next_id;
      const auto bytes = files_.Read(*next_id);
      if (!bytes) continue;  // dropped by the bound meanwhile
      v1::IngestEventsRequest request;
      if (!request.ParseFromString(*bytes) || request.events_size() == 0) {
        files_.Discard(*next_id);
        continue;
      }
      request.set_sequence(*next_id);
      if (!stream->Write(request)) {
        stream_broken = true;
        break;
      }
      in_flight.push_back(*next_id);
      ++sent_on_stream;
    }
    if (stream_broken || in_flight.empty()) break;

    v1::IngestEventsResponse response;
    if (!stream->Read(&response)) {
      stream_broken = true;
      break;
    }
    if (response.ack().sequence() != in_flight.front()) {
      // The contract acks batches in order; anything else means acks cannot be trusted to
      // say which file is safe to delete.
      protocol_error =
          grpc::Status(grpc::StatusCode::INTERNAL,
                       "ack for sequence " + std::to_string(response.ack().sequence()) +
                           ", expected " + std::to_string(in_flight.front()));
      context.TryCancel();
      break;
    }
    RecordAck(response.ack());
    in_flight.pop_front();
  }

  if (!stream_broken && protocol_error.ok()) stream->WritesDone();
  grpc::Status status = stream->Finish();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    active_stream_context_ = nullptr;
  }
  if (!protocol_error.ok()) return protocol_error;
  if (status.ok() && !in_flight.empty()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "stream ended before every batch was acked");
  }
  return status;
}

void TelemetryQueue::RecordAck(const v1::BatchAck& ack) {
  // The callback runs first, so whoever waits for the drain sees every ack reported.
  if (options_.on_ack) options_.on_ack(ack);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    files_.Remove(ack.sequence());
    ++stats_.batches_acked;
    stats_.events_accepted += ack.accepted_count();
    stats_.events_duplicate += ack.duplicate_count();
    stats_.events_rejected += static_cast<uint64_t>(ack.rejected_size());
  }
  drained_.notify_all();
}

}  // namespace vitrine
