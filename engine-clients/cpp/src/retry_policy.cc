#include "vitrine/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace vitrine {

bool IsRetryableStatus(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds BackoffCeiling(const RetryPolicy& policy, int retry_index) {
  const double initial = static_cast<double>(policy.initial_backoff.count());
  const double maximum = static_cast<double>(policy.max_backoff.count());
  // Computed in double and clamped, so large retry counts cannot overflow.
  const double ceiling =
      std::min(maximum, initial * std::pow(policy.multiplier, std::max(retry_index, 0)));
  return std::chrono::milliseconds(static_cast<int64_t>(std::max(ceiling, 0.0)));
}

std::chrono::milliseconds FullJitterBackoff(const RetryPolicy& policy, int retry_index,
                                            std::mt19937_64& random) {
  const int64_t ceiling = BackoffCeiling(policy, retry_index).count();
  std::uniform_int_distribution<int64_t> uniform(0, ceiling);
  return std::chrono::milliseconds(uniform(random));
}

}  // namespace vitrine
