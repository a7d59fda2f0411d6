#pragma once

#include <grpcpp/support/status_code_enum.h>

#include <chrono>
#include <random>

namespace vitrine {

// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
// Jitter"): the delay before retry n is uniform in [0, min(max_backoff, initial * multiplier^n)],
// which spreads out many clients reconnecting to a server that just came back.
struct RetryPolicy {
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30000};
  double multiplier = 2.0;
  // Attempts per unary call, the first included. Telemetry retries without limit because its
  // batches wait safely on disk.
  int max_attempts = 4;
};

// UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED and DEADLINE_EXCEEDED: the codes that say "try again
// later" rather than "this request is wrong".
bool IsRetryableStatus(grpc::StatusCode code);

// The upper bound of the delay before retry number `retry_index` (0 for the first retry).
std::chrono::milliseconds BackoffCeiling(const RetryPolicy& policy, int retry_index);

// A delay drawn uniformly from [0, BackoffCeiling(policy, retry_index)].
std::chrono::milliseconds FullJitterBackoff(const RetryPolicy& policy, int retry_index,
                                            std::mt19937_64& random);

}  // namespace vitrine
