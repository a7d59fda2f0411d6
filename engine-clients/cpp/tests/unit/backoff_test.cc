#include <gtest/gtest.h>

#include "vitrine/retry_policy.h"

namespace vitrine {
namespace {

using std::chrono::milliseconds;

TEST(RetryableStatusTest, OnlyTransientCodesAreRetried) {
  EXPECT_TRUE(IsRetryableStatus(grpc::StatusCode::UNAVAILABLE));
  EXPECT_TRUE(IsRetryableStatus(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_TRUE(IsRetryableStatus(grpc::StatusCode::ABORTED));
  EXPECT_TRUE(IsRetryableStatus(grpc::StatusCode::DEADLINE_EXCEEDED));

  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::OK));
  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::NOT_FOUND));
  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::INTERNAL));
  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::UNIMPLEMENTED));
  EXPECT_FALSE(IsRetryableStatus(grpc::StatusCode::CANCELLED));
}

TEST(BackoffCeilingTest, GrowsExponentiallyUpToTheMaximum) {
  const RetryPolicy policy{milliseconds(100), milliseconds(1000), 2.0, 5};
  EXPECT_EQ(BackoffCeiling(policy, 0), milliseconds(100));
  EXPECT_EQ(BackoffCeiling(policy, 1), milliseconds(200));
  EXPECT_EQ(BackoffCeiling(policy, 2), milliseconds(400));
  EXPECT_EQ(BackoffCeiling(policy, 3), milliseconds(800));
  EXPECT_EQ(BackoffCeiling(policy, 4), milliseconds(1000));
  EXPECT_EQ(BackoffCeiling(policy, 5000), milliseconds(1000));
}

TEST(FullJitterBackoffTest, StaysWithinZeroAndTheCeilingAndSpreadsOut) {
  const RetryPolicy policy{milliseconds(100), milliseconds(1000), 2.0, 5};
  std::mt19937_64 random(42);
  for (int retry = 0; retry < 8; ++retry) {
    milliseconds smallest = milliseconds::max();
    milliseconds largest = milliseconds::min();
    for (int draw = 0; draw < 500; ++draw) {
      const milliseconds delay = FullJitterBackoff(policy, retry, random);
      ASSERT_GE(delay, milliseconds(0));
      ASSERT_LE(delay, BackoffCeiling(policy, retry));
      smallest = std::min(smallest, delay);
      largest = std::max(largest, delay);
    }
    // Full jitter uses the whole range, not just the top of it.
    EXPECT_LT(smallest, BackoffCeiling(policy, retry) / 4);
    EXPECT_GT(largest, BackoffCeiling(policy, retry) * 3 / 4);
  }
}

TEST(FullJitterBackoffTest, ZeroInitialBackoffMeansNoDelay) {
  const RetryPolicy policy{milliseconds(0), milliseconds(1000), 2.0, 5};
  std::mt19937_64 random(7);
  EXPECT_EQ(FullJitterBackoff(policy, 3, random), milliseconds(0));
}

}  // namespace
}  // namespace vitrine
