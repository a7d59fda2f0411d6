#include "vitrine/viewability.h"

#include <gtest/gtest.h>

namespace vitrine {
namespace {

constexpr ViewSample kClearlyViewable{0.10, 0.90, 10.0};

TEST(IsViewableTest, AcceptsASampleThatMeetsEveryThreshold) {
  EXPECT_TRUE(IsViewable(kClearlyViewable, 1000));
}

TEST(IsViewableTest, ScreenFractionBoundaryIsInclusive) {
  EXPECT_TRUE(IsViewable({0.015, 0.9, 10.0}, 1000));
  EXPECT_FALSE(IsViewable({0.0149, 0.9, 10.0}, 1000));
}

TEST(IsViewableTest, VisibleFractionBoundaryIsInclusive) {
  EXPECT_TRUE(IsViewable({0.1, 0.5, 10.0}, 1000));
  EXPECT_FALSE(IsViewable({0.1, 0.4999, 10.0}, 1000));
}

TEST(IsViewableTest, ViewAngleBoundaryIsExclusive) {
  EXPECT_TRUE(IsViewable({0.1, 0.9, 54.99}, 1000));
  EXPECT_FALSE(IsViewable({0.1, 0.9, 55.0}, 1000));
  EXPECT_FALSE(IsViewable({0.1, 0.9, 120.0}, 1000));
}

TEST(IsViewableTest, NeedsOneContinuousSecond) {
  EXPECT_FALSE(IsViewable(kClearlyViewable, 999));
  EXPECT_TRUE(IsViewable(kClearlyViewable, 1000));
  EXPECT_FALSE(IsViewable(kClearlyViewable, 0));
}

TEST(IsViewableTest, OffScreenIsNeverViewable) { EXPECT_FALSE(IsViewable({0.0, 0.0, 0.0}, 5000)); }

TEST(IsViewableTest, ThresholdsCanBeOverridden) {
  ViewabilityThresholds video;
  video.min_continuous_visible_ms = 2000;
  EXPECT_FALSE(IsViewable(kClearlyViewable, 1500, video));
  EXPECT_TRUE(IsViewable(kClearlyViewable, 2000, video));
}

TEST(MeetsViewabilityGeometryTest, IgnoresTime) {
  EXPECT_TRUE(MeetsViewabilityGeometry(kClearlyViewable));
  EXPECT_FALSE(MeetsViewabilityGeometry({0.01, 0.9, 10.0}));
}

}  // namespace
}  // namespace vitrine
