// Drives the telemetry queue against an in-process TelemetryService that follows the ack
// contract, so batching, persistence and retries are tested without the real server.
#include "vitrine/telemetry_queue.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "queued_events.h"
#include "test_directory.h"
#include "vitrine/event_factory.h"

namespace vitrine {
namespace {

using std::chrono::milliseconds;

constexpr char kApiKey[] = "test-key";

class FakeTelemetryService final : public v1::TelemetryService::Service {
 public:
  grpc::Status IngestEvents(grpc::ServerContext* context,
                            grpc::ServerReaderWriter<v1::IngestEventsResponse,
                                                     v1::IngestEventsRequest>* stream) override {
    const auto key = context->client_metadata().find("x-api-key");
    if (key == context->client_metadata().end() || key->second != kApiKey) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "missing or unknown API key");
    }
    if (streams_to_fail > 0) {
      --streams_to_fail;
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "warming up");
    }
    v1::IngestEventsRequest request;
    while (stream->Read(&request)) {
      v1::IngestEventsResponse response;
      response.mutable_ack()->set_sequence(request.sequence());
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++batches_;
        for (const auto& event : request.events()) {
          if (stored_ids_.insert(event.event_id()).second) {
            response.mutable_ack()->set_accepted_count(response.ack().accepted_count() + 1);
          } else {
            response.mutable_ack()->set_duplicate_count(response.ack().duplicate_count() + 1);
          }
        }
      }
      stream->Write(response);
    }
    return grpc::Status::OK;
  }

  size_t StoredCount() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stored_ids_.size();
  }
  int Batches() {
    std::lock_guard<std::mutex> lock(mutex_);
    return batches_;
  }

  std::atomic<int> streams_to_fail{0};

 private:
  std::mutex mutex_;
  std::set<std::string> stored_ids_;
  int batches_ = 0;
};

class FakeServer {
 public:
  // Port 0 picks a free port; a given port restarts a server where a client expects it.
  explicit FakeServer(FakeTelemetryService& service, int port = 0) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:" + std::to_string(port), grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&service);
    server_ = builder.BuildAndStart();
  }
  ~FakeServer() { server_->Shutdown(std::chrono::system_clock::now() + milliseconds(500)); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
}

std::function<void(grpc::ClientContext&)> WithKey(const std::string& key) {
  return [key](grpc::ClientContext& context) { context.AddMetadata("x-api-key", key); };
}

TelemetryOptions FastOptions(const TestDirectory& directory) {
  TelemetryOptions options;
  options.queue_directory = directory.Sub("queue");
  options.max_batch_events = 10;
  options.flush_interval = milliseconds(60000);  // batches are cut by size or Flush()
  options.retry = RetryPolicy{milliseconds(20), milliseconds(100), 2.0, 0};
  options.stream_deadline = milliseconds(5000);
  return options;
}

void EnqueueEvents(TelemetryQueue& queue, int count) {
  EventFactory factory("player-1", "session-1", "downtown-plaza");
  for (int i = 0; i < count; ++i) queue.Enqueue(factory.SessionEnded(i));
}

TEST(TelemetryQueueTest, CutsFullBatchesAndForgetsThemOnceAcked) {
  TestDirectory directory;
  FakeTelemetryService service;
  FakeServer server(service);
  std::atomic<int> acks{0};
  auto options = FastOptions(directory);
  options.on_ack = [&acks](const v1::BatchAck& ack) {
    EXPECT_EQ(ack.accepted_count(), 10u);
    ++acks;
  };
  TelemetryQueue queue(ChannelTo(server.address()), WithKey(kApiKey), options);

  EnqueueEvents(queue, 30);
  ASSERT_TRUE(queue.WaitUntilDrained(milliseconds(10000)));
  const TelemetryStats stats = queue.Stats();
  EXPECT_EQ(stats.events_enqueued, 30u);
  EXPECT_EQ(stats.batches_acked, 3u);
  EXPECT_EQ(stats.events_accepted, 30u);
  EXPECT_EQ(stats.queued_batches, 0u);
  EXPECT_EQ(acks.load(), 3);
  EXPECT_EQ(service.StoredCount(), 30u);
  EXPECT_TRUE(std::filesystem::is_empty(options.queue_directory));
}

TEST(TelemetryQueueTest, FlushIntervalCutsAPartialBatch) {
  TestDirectory directory;
  FakeTelemetryService service;
  FakeServer server(service);
  auto options = FastOptions(directory);
  options.flush_interval = milliseconds(100);
  TelemetryQueue queue(ChannelTo(server.address()), WithKey(kApiKey), options);

  EnqueueEvents(queue, 3);
  for (int i = 0; i < 100 && service.StoredCount() < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(service.StoredCount(), 3u);
  EXPECT_EQ(service.Batches(), 1);
}

TEST(TelemetryQueueTest, RetriesUnavailableWithBackoffUntilDelivered) {
  TestDirectory directory;
  FakeTelemetryService service;
  service.streams_to_fail = 3;
  FakeServer server(service);
  TelemetryQueue queue(ChannelTo(server.address()), WithKey(kApiKey), FastOptions(directory));

  EnqueueEvents(queue, 10);
  // Delivery needs the backoff to pass on its own; WaitUntilDrained's flush only starts it.
  for (int i = 0; i < 200 && service.StoredCount() < 10; ++i) {
    std::this_thread::sleep_for(milliseconds(25));
  }
  EXPECT_EQ(service.StoredCount(), 10u);
  const TelemetryStats stats = queue.Stats();
  EXPECT_EQ(stats.send_failures, 3u);
  EXPECT_EQ(stats.last_failure_code, grpc::StatusCode::UNAVAILABLE);
  EXPECT_FALSE(stats.paused);
}

TEST(TelemetryQueueTest, PausesOnANonRetryableCodeAndKeepsTheBatches) {
  TestDirectory directory;
  FakeTelemetryService service;
  FakeServer server(service);
  std::atomic<bool> reported_no_retry{false};
  auto options = FastOptions(directory);
  options.on_send_failure = [&](const grpc::Status& status, bool will_retry) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    reported_no_retry = !will_retry;
  };
  TelemetryQueue queue(ChannelTo(server.address()), WithKey("wrong-key"), options);

  EnqueueEvents(queue, 10);
  EXPECT_FALSE(queue.WaitUntilDrained(milliseconds(5000)));
  const TelemetryStats stats = queue.Stats();
  EXPECT_TRUE(stats.paused);
  EXPECT_EQ(stats.send_failures, 1u);
  EXPECT_EQ(stats.queued_batches, 1u);
  EXPECT_TRUE(reported_no_retry.load());
  EXPECT_EQ(service.StoredCount(), 0u);
}

TEST(TelemetryQueueTest, OfflineBatchesWaitOnDiskForTheNextQueue) {
  TestDirectory directory;
  const auto options = FastOptions(directory);
  FakeTelemetryService service;
  int port = 0;
  {
    // Reserve a port nobody listens on by starting and stopping a server.
    FakeServer probe(service);
    port = probe.port();
  }
  {
    TelemetryQueue offline(ChannelTo("127.0.0.1:" + std::to_string(port)), WithKey(kApiKey),
                           options);
    EnqueueEvents(offline, 25);  // the last few are still pending at shutdown
    for (int i = 0; i < 100 && offline.Stats().send_failures == 0; ++i) {
      std::this_thread::sleep_for(milliseconds(20));
    }
    EXPECT_GE(offline.Stats().send_failures, 1u);
  }
  EXPECT_EQ(CountQueuedEvents(options.queue_directory), 25u);

  FakeServer server(service, port);
  TelemetryQueue online(ChannelTo(server.address()), WithKey(kApiKey), options);
  ASSERT_TRUE(online.WaitUntilDrained(milliseconds(10000)));
  EXPECT_EQ(online.Stats().events_accepted, 25u);
  EXPECT_EQ(service.StoredCount(), 25u);
}

TEST(TelemetryQueueTest, ResentEventsAreCountedAsDuplicates) {
  TestDirectory directory;
  FakeTelemetryService service;
  FakeServer server(service);
  TelemetryQueue queue(ChannelTo(server.address()), WithKey(kApiKey), FastOptions(directory));

  EventFactory factory("player-1", "session-1", "downtown-plaza");
  const v1::Event event = factory.SessionEnded(5);
  queue.Enqueue(event);
  ASSERT_TRUE(queue.WaitUntilDrained(milliseconds(5000)));
  queue.Enqueue(event);
  ASSERT_TRUE(queue.WaitUntilDrained(milliseconds(5000)));
  EXPECT_EQ(queue.Stats().events_accepted, 1u);
  EXPECT_EQ(queue.Stats().events_duplicate, 1u);
}

}  // namespace
}  // namespace vitrine
