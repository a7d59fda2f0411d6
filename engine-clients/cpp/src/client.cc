#include "vitrine/client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <thread>

#include "task_runner.h"
#include "vitrine/event_factory.h"

namespace vitrine {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kApiKeyHeader[] = "x-api-key";
// The server's hint, on RESOURCE_EXHAUSTED, of how long to wait before retrying.
constexpr char kRetryAfterTrailer[] = "retry-after-ms";

std::shared_ptr<grpc::Channel> CreateChannel(const ClientOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.use_tls) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = options.tls_root_certificates_pem;
    credentials = grpc::SslCredentials(tls);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
                   static_cast<int>(options.max_reconnect_backoff.count()));
  arguments.SetInt(
      GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
      static_cast<int>(std::min<int64_t>(1000, options.max_reconnect_backoff.count())));
  arguments.SetInt(
      GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
      static_cast<int>(std::min<int64_t>(1000, options.max_reconnect_backoff.count())));
  arguments.SetString(GRPC_ARG_PRIMARY_USER_AGENT_STRING, "vitrine-cpp/0.1");
  return grpc::CreateCustomChannel(options.address, credentials, arguments);
}

std::optional<std::chrono::milliseconds> RetryAfterHint(const grpc::ClientContext& context) {
  const auto& trailers = context.GetServerTrailingMetadata();
  const auto found = trailers.find(kRetryAfterTrailer);
  if (found == trailers.end()) return std::nullopt;
  const std::string value(found->second.data(), found->second.size());
  char* end = nullptr;
  const long long milliseconds = std::strtoll(value.c_str(), &end, 10);
  if (end == value.c_str() || milliseconds < 0) return std::nullopt;
  return std::chrono::milliseconds(milliseconds);
}

template <typename Result>
Result CancelledResult() {
  return Result{grpc::Status(grpc::StatusCode::CANCELLED, "the Vitrine client shut down"), {}};
}

}  // namespace

Client::Client(ClientOptions options)
    : options_(std::move(options)),
      channel_(CreateChannel(options_)),
      recommendations_(v1::RecommendationService::NewStub(channel_)),
      telemetry_stub_(v1::TelemetryService::NewStub(channel_)),
      random_(std::random_device{}()),
      telemetry_(std::make_unique<TelemetryQueue>(
          channel_, [this](grpc::ClientContext& context) { AddCallMetadata(context); },
          options_.telemetry)),
      tasks_(std::make_unique<TaskRunner>(options_.async_threads)) {}

// The task runner goes first so that no callback runs against a half-destroyed client.
Client::~Client() {
  tasks_.reset();
  telemetry_.reset();
}

bool Client::WaitForConnected(std::chrono::milliseconds timeout) {
  return channel_->WaitForConnected(std::chrono::system_clock::now() + timeout);
}

void Client::AddCallMetadata(grpc::ClientContext& context) const {
  if (!options_.api_key.empty()) context.AddMetadata(kApiKeyHeader, options_.api_key);
}

grpc::Status Client::CallWithRetries(
    const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
  const auto budget_end = Clock::now() + options_.call_timeout;
  grpc::Status status;
  for (int attempt_index = 0;; ++attempt_index) {
    grpc::ClientContext context;
    AddCallMetadata(context);
    context.set_deadline(std::chrono::system_clock::now() + (budget_end - Clock::now()));
    status = attempt(context);

    const grpc::StatusCode code = status.error_code();
    if (status.ok() || !IsRetryableStatus(code)) return status;
    // Fail fast: when the channel cannot reach the server at all, waiting will not help
    // within a call's budget.
    if (code == grpc::StatusCode::UNAVAILABLE &&
        channel_->GetState(false) == GRPC_CHANNEL_TRANSIENT_FAILURE) {
      return status;
    }
    if (attempt_index + 1 >= options_.retry.max_attempts) return status;

    std::chrono::milliseconds delay;
    {
      std::lock_guard<std::mutex> lock(random_mutex_);
      delay = FullJitterBackoff(options_.retry, attempt_index, random_);
    }
    if (code == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      if (const auto hint = RetryAfterHint(context)) delay = std::max(delay, *hint);
    }
    if (Clock::now() + delay >= budget_end) return status;
    std::this_thread::sleep_for(delay);
  }
}

template <typename Result>
void Client::RunAsync(std::function<Result()> call, std::function<void(Result)> done) {
  tasks_->Post([call = std::move(call), done = std::move(done)](bool cancelled) {
    Result result = cancelled ? CancelledResult<Result>() : call();
    if (done) done(std::move(result));
  });
}

RecommendResult Client::Recommend(const v1::RecommendRequest& request) {
  RecommendResult result;
  result.status = CallWithRetries([&](grpc::ClientContext& context) {
    result.response.Clear();
    return recommendations_->Recommend(&context, request, &result.response);
  });
  return result;
}

void Client::RecommendAsync(v1::RecommendRequest request,
                            std::function<void(RecommendResult)> done) {
  RunAsync<RecommendResult>([this, request = std::move(request)] { return Recommend(request); },
                            std::move(done));
}

std::future<RecommendResult> Client::RecommendAsync(v1::RecommendRequest request) {
  auto promise = std::make_shared<std::promise<RecommendResult>>();
  auto future = promise->get_future();
  RecommendAsync(std::move(request),
                 [promise](RecommendResult result) { promise->set_value(std::move(result)); });
  return future;
}

RecommendSceneResult Client::RecommendScene(const v1::RecommendSceneRequest& request) {
  RecommendSceneResult result;
  result.status = CallWithRetries([&](grpc::ClientContext& context) {
    result.response.Clear();
    return recommendations_->RecommendScene(&context, request, &result.response);
  });
  return result;
}

void Client::RecommendSceneAsync(v1::RecommendSceneRequest request,
                                 std::function<void(RecommendSceneResult)> done) {
  RunAsync<RecommendSceneResult>(
      [this, request = std::move(request)] { return RecommendScene(request); }, std::move(done));
}

std::future<RecommendSceneResult> Client::RecommendSceneAsync(v1::RecommendSceneRequest request) {
  auto promise = std::make_shared<std::promise<RecommendSceneResult>>();
  auto future = promise->get_future();
  RecommendSceneAsync(std::move(request), [promise](RecommendSceneResult result) {
    promise->set_value(std::move(result));
  });
  return future;
}

RewardResult Client::Reward(const v1::RewardRequest& request) {
  RewardResult result;
  // Every attempt carries the same reward id, so the server adds a retried reward once.
  v1::RewardRequest identified = request;
  if (identified.reward_id().empty()) identified.set_reward_id(NewUniqueId());
  result.status = CallWithRetries([&](grpc::ClientContext& context) {
    result.response.Clear();
    return recommendations_->Reward(&context, identified, &result.response);
  });
  return result;
}

void Client::RewardAsync(v1::RewardRequest request, std::function<void(RewardResult)> done) {
  RunAsync<RewardResult>([this, request = std::move(request)] { return Reward(request); },
                         std::move(done));
}

std::future<RewardResult> Client::RewardAsync(v1::RewardRequest request) {
  auto promise = std::make_shared<std::promise<RewardResult>>();
  auto future = promise->get_future();
  RewardAsync(std::move(request),
              [promise](RewardResult result) { promise->set_value(std::move(result)); });
  return future;
}

LogEventsResult Client::LogEvents(const v1::LogEventsRequest& request) {
  LogEventsResult result;
  grpc::ClientContext context;
  AddCallMetadata(context);
  context.set_deadline(std::chrono::system_clock::now() + options_.call_timeout);
  result.status = telemetry_stub_->LogEvents(&context, request, &result.response);
  return result;
}

}  // namespace vitrine
