#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "vitrine/retry_policy.h"
#include "vitrine/telemetry_queue.h"
#include "vitrine/v1/recommendation_service.grpc.pb.h"
#include "vitrine/v1/telemetry_service.grpc.pb.h"

namespace vitrine {

class TaskRunner;

struct ClientOptions {
  // host:port of the Vitrine server.
  std::string address;
  // A key with the `client` scope, sent as `x-api-key` metadata on every call.
  std::string api_key;
  bool use_tls = false;
  // PEM roots to trust; empty means the system's.
  std::string tls_root_certificates_pem;
  // The budget of one unary call, retries included.
  std::chrono::milliseconds call_timeout{2000};
  RetryPolicy retry;
  // Caps how long the channel waits between reconnection attempts (gRPC's default is 120 s,
  // far too long for a game that just regained its network).
  std::chrono::milliseconds max_reconnect_backoff{10000};
  // Threads that run the asynchronous calls and their callbacks.
  size_t async_threads = 2;
  TelemetryOptions telemetry;
};

// A call's outcome: the status, and the response when the status is OK.
template <typename Response>
struct CallResult {
  grpc::Status status;
  Response response;
  bool ok() const { return status.ok(); }
};

using RecommendResult = CallResult<v1::RecommendResponse>;
using RecommendSceneResult = CallResult<v1::RecommendSceneResponse>;
using RewardResult = CallResult<v1::RewardResponse>;
using LogEventsResult = CallResult<v1::LogEventsResponse>;

// The game's one connection to Vitrine: one channel, the telemetry queue, and the
// recommendation calls. The blocking calls are for tools and tests; game code uses the
// asynchronous ones, whose callbacks run on a Vitrine worker thread (marshal to the game
// thread yourself). Thread-safe.
class Client {
 public:
  explicit Client(ClientOptions options);
  // Cancels asynchronous calls not yet started (their callbacks get CANCELLED), waits for the
  // running ones, and persists pending telemetry.
  ~Client();

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  TelemetryQueue& Telemetry() { return *telemetry_; }
  const std::shared_ptr<grpc::Channel>& Channel() const { return channel_; }
  // Connects now instead of on the first call; true once connected within the timeout.
  bool WaitForConnected(std::chrono::milliseconds timeout);

  RecommendResult Recommend(const v1::RecommendRequest& request);
  void RecommendAsync(v1::RecommendRequest request, std::function<void(RecommendResult)> done);
  std::future<RecommendResult> RecommendAsync(v1::RecommendRequest request);

  RecommendSceneResult RecommendScene(const v1::RecommendSceneRequest& request);
  void RecommendSceneAsync(v1::RecommendSceneRequest request,
                           std::function<void(RecommendSceneResult)> done);
  std::future<RecommendSceneResult> RecommendSceneAsync(v1::RecommendSceneRequest request);

  // Retried like the others: an empty reward_id is filled with a new one that every attempt
  // carries, so the server adds the reward once.
  RewardResult Reward(const v1::RewardRequest& request);
  void RewardAsync(v1::RewardRequest request, std::function<void(RewardResult)> done);
  std::future<RewardResult> RewardAsync(v1::RewardRequest request);

  // Logs one batch outside the telemetry queue, e.g. for tools; not retried, because the
  // queue is the path that guarantees delivery.
  LogEventsResult LogEvents(const v1::LogEventsRequest& request);

 private:
  void AddCallMetadata(grpc::ClientContext& context) const;
  // Runs `attempt` until it succeeds, fails with a non-retryable code, runs out of attempts
  // or of the call's time budget, or the network is gone.
  grpc::Status CallWithRetries(const std::function<grpc::Status(grpc::ClientContext&)>& attempt);
  template <typename Result>
  void RunAsync(std::function<Result()> call, std::function<void(Result)> done);

  const ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RecommendationService::Stub> recommendations_;
  std::unique_ptr<v1::TelemetryService::Stub> telemetry_stub_;
  std::mutex random_mutex_;
  std::mt19937_64 random_;
  std::unique_ptr<TelemetryQueue> telemetry_;
  std::unique_ptr<TaskRunner> tasks_;
};

}  // namespace vitrine
