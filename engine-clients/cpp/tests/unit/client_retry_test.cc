// The Client's unary calls against an in-process RecommendationService that fails on demand.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <string>
#include <vector>

#include "test_directory.h"
#include "vitrine/client.h"

namespace vitrine {
namespace {

using std::chrono::milliseconds;

class ScriptedRecommendationService final : public v1::RecommendationService::Service {
 public:
  grpc::Status Recommend(grpc::ServerContext* context, const v1::RecommendRequest* request,
                         v1::RecommendResponse* response) override {
    const auto key = context->client_metadata().find("x-api-key");
    if (key != context->client_metadata().end()) {
      last_api_key = std::string(key->second.data(), key->second.size());
    }
    ++calls;
    if (const auto failure = NextFailure()) {
      if (failure->error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        context->AddTrailingMetadata("retry-after-ms", "150");
      }
      return *failure;
    }
    response->mutable_decision()->set_decision_id("decision-1");
    response->mutable_decision()->set_placement_id(request->placement_id());
    return grpc::Status::OK;
  }

  grpc::Status Reward(grpc::ServerContext*, const v1::RewardRequest* request,
                      v1::RewardResponse* response) override {
    ++calls;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      reward_ids_.push_back(request->reward_id());
    }
    if (const auto failure = NextFailure()) return *failure;
    response->set_total_reward(request->value());
    return grpc::Status::OK;
  }

  void FailNext(grpc::StatusCode code, int times) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int i = 0; i < times; ++i) failures_.emplace_back(code, "scripted failure");
  }

  std::vector<std::string> RewardIds() {
    std::lock_guard<std::mutex> lock(mutex_);
    return reward_ids_;
  }

  std::atomic<int> calls{0};
  std::string last_api_key;

 private:
  std::optional<grpc::Status> NextFailure() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failures_.empty()) return std::nullopt;
    grpc::Status failure = failures_.front();
    failures_.pop_front();
    return failure;
  }

  std::mutex mutex_;
  std::deque<grpc::Status> failures_;
  std::vector<std::string> reward_ids_;
};

class ClientRetryTest : public ::testing::Test {
 protected:
  ClientRetryTest() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~ClientRetryTest() override {
    server_->Shutdown(std::chrono::system_clock::now() + milliseconds(500));
  }

  ClientOptions Options() {
    ClientOptions options;
    options.address = "127.0.0.1:" + std::to_string(port_);
    options.api_key = "key-1";
    options.call_timeout = milliseconds(5000);
    options.retry = RetryPolicy{milliseconds(10), milliseconds(50), 2.0, 4};
    options.telemetry.queue_directory = directory_.Sub("queue");
    return options;
  }

  static v1::RecommendRequest Request() {
    v1::RecommendRequest request;
    request.set_placement_id("plaza-billboard-north");
    request.set_player_id("player-1");
    request.set_session_id("session-1");
    return request;
  }

  TestDirectory directory_;
  ScriptedRecommendationService service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(ClientRetryTest, SendsTheApiKeyAndReturnsTheDecision) {
  Client client(Options());
  const RecommendResult result = client.Recommend(Request());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response.decision().decision_id(), "decision-1");
  EXPECT_EQ(service_.last_api_key, "key-1");
}

TEST_F(ClientRetryTest, RetriesRetryableCodesUntilSuccess) {
  Client client(Options());
  service_.FailNext(grpc::StatusCode::UNAVAILABLE, 1);
  service_.FailNext(grpc::StatusCode::ABORTED, 1);
  const RecommendResult result = client.Recommend(Request());
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(service_.calls.load(), 3);
}

TEST_F(ClientRetryTest, GivesUpAfterMaxAttempts) {
  Client client(Options());
  service_.FailNext(grpc::StatusCode::UNAVAILABLE, 10);
  const RecommendResult result = client.Recommend(Request());
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service_.calls.load(), 4);
}

TEST_F(ClientRetryTest, DoesNotRetryOtherCodes) {
  Client client(Options());
  service_.FailNext(grpc::StatusCode::INVALID_ARGUMENT, 1);
  const RecommendResult result = client.Recommend(Request());
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(service_.calls.load(), 1);
}

TEST_F(ClientRetryTest, WaitsAtLeastTheServersRetryAfterHint) {
  Client client(Options());
  service_.FailNext(grpc::StatusCode::RESOURCE_EXHAUSTED, 1);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.Recommend(Request()).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(150));
}

TEST_F(ClientRetryTest, StopsWhenTheCallBudgetWouldBeExceeded) {
  auto options = Options();
  options.call_timeout = milliseconds(100);
  Client client(options);
  // The hint (150 ms) does not fit in the budget (100 ms), so there is no second attempt.
  service_.FailNext(grpc::StatusCode::RESOURCE_EXHAUSTED, 1);
  EXPECT_EQ(client.Recommend(Request()).status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(service_.calls.load(), 1);
}

TEST_F(ClientRetryTest, RewardRetriesCarryOneRewardId) {
  Client client(Options());
  // The first attempt may have been applied before its answer was lost: the retry must say so.
  service_.FailNext(grpc::StatusCode::DEADLINE_EXCEEDED, 1);
  v1::RewardRequest reward;
  reward.set_decision_id("decision-1");
  reward.set_value(1.0);
  EXPECT_TRUE(client.Reward(reward).ok());
  EXPECT_TRUE(client.Reward(reward).ok());
  reward.set_reward_id("chosen-by-the-game");
  EXPECT_TRUE(client.Reward(reward).ok());

  const std::vector<std::string> ids = service_.RewardIds();
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(ids[1], ids[0]);
  EXPECT_NE(ids[2], ids[0]);
  EXPECT_EQ(ids[3], "chosen-by-the-game");
}

TEST_F(ClientRetryTest, FailsFastWhenNothingListens) {
  auto options = Options();
  server_->Shutdown(std::chrono::system_clock::now());
  options.call_timeout = milliseconds(5000);
  options.retry.max_attempts = 100;
  Client client(options);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(client.Recommend(Request()).status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(2500));
}

TEST_F(ClientRetryTest, AsynchronousCallsAnswerThroughCallbacksAndFutures) {
  Client client(Options());
  std::promise<RecommendResult> through_callback;
  client.RecommendAsync(Request(), [&through_callback](RecommendResult result) {
    through_callback.set_value(std::move(result));
  });
  auto through_future = client.RecommendAsync(Request());
  EXPECT_TRUE(through_callback.get_future().get().ok());
  EXPECT_TRUE(through_future.get().ok());
}

TEST_F(ClientRetryTest, QueuedAsynchronousCallsAreCancelledAtShutdown) {
  auto options = Options();
  options.async_threads = 1;
  service_.FailNext(grpc::StatusCode::UNAVAILABLE, 3);  // keeps the one worker busy retrying
  std::vector<std::future<RecommendResult>> results;
  {
    Client client(options);
    for (int i = 0; i < 20; ++i) results.push_back(client.RecommendAsync(Request()));
  }
  int cancelled = 0;
  for (auto& result : results) {
    cancelled += result.get().status.error_code() == grpc::StatusCode::CANCELLED ? 1 : 0;
  }
  EXPECT_GT(cancelled, 0);
}

}  // namespace
}  // namespace vitrine
