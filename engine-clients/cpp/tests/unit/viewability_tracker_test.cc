#include <gtest/gtest.h>

#include "vitrine/viewability.h"

namespace vitrine {
namespace {

constexpr double kFrameMs = 1000.0 / 60.0;
constexpr ViewSample kViewable{0.05, 0.8, 30.0};
constexpr ViewSample kTooOblique{0.05, 0.8, 70.0};
constexpr ViewSample kOffScreen{0.0, 0.0, 0.0};

// Feeds `frames` frames of `sample`; returns how many of them reported becoming viewable.
int Feed(ViewabilityTracker& tracker, const ViewSample& sample, int frames,
         double frame_ms = kFrameMs) {
  int became_viewable = 0;
  for (int i = 0; i < frames; ++i) became_viewable += tracker.Update(sample, frame_ms) ? 1 : 0;
  return became_viewable;
}

TEST(ViewabilityTrackerTest, BecomesViewableAfterOneContinuousSecondAndSaysSoOnce) {
  ViewabilityTracker tracker;
  EXPECT_EQ(Feed(tracker, kViewable, 59, 1000.0 / 59.0 - 0.01), 0);
  EXPECT_FALSE(tracker.HasBeenViewable());
  EXPECT_EQ(Feed(tracker, kViewable, 1, 1.0), 1);
  EXPECT_TRUE(tracker.HasBeenViewable());
  EXPECT_EQ(Feed(tracker, kViewable, 120), 0);
}

TEST(ViewabilityTrackerTest, AnInterruptionRestartsTheContinuousClock) {
  ViewabilityTracker tracker;
  Feed(tracker, kViewable, 50);   // about 833 ms
  Feed(tracker, kTooOblique, 1);  // breaks the run
  Feed(tracker, kViewable, 50);   // another 833 ms
  EXPECT_FALSE(tracker.HasBeenViewable());

  const ExposureSummary summary = tracker.Summary();
  EXPECT_FALSE(summary.viewable);
  EXPECT_EQ(summary.continuous_visible_ms, 833);
  EXPECT_EQ(summary.total_visible_ms, 1683);
}

TEST(ViewabilityTrackerTest, OffScreenFramesAddNoVisibleTime) {
  ViewabilityTracker tracker;
  Feed(tracker, kOffScreen, 600);
  EXPECT_FALSE(tracker.HasBeenOnScreen());
  EXPECT_EQ(tracker.Summary().total_visible_ms, 0);
  EXPECT_FALSE(tracker.Summary().viewable);
}

TEST(ViewabilityTrackerTest, SummaryOfAViewableExposurePassesTheServersRule) {
  ViewabilityTracker tracker;
  // Samples that each barely pass, so rounding of the averages would matter.
  for (int i = 0; i < 90; ++i) {
    tracker.Update({0.015, 0.5, 54.999}, i % 2 == 0 ? 7.0 : 23.0);
  }
  const ExposureSummary summary = tracker.Summary();
  EXPECT_TRUE(summary.viewable);
  EXPECT_TRUE(IsViewable(summary.sample, summary.continuous_visible_ms));
  EXPECT_EQ(summary.continuous_visible_ms, 1350);
}

TEST(ViewabilityTrackerTest, SummaryAveragesTheLongestRunWeightedByFrameTime) {
  ViewabilityTracker tracker;
  tracker.Update({0.02, 0.6, 10.0}, 300.0);
  tracker.Update({0.04, 1.0, 30.0}, 900.0);
  const ExposureSummary summary = tracker.Summary();
  EXPECT_NEAR(summary.sample.screen_fraction, 0.035, 1e-12);
  EXPECT_NEAR(summary.sample.visible_fraction, 0.9, 1e-12);
  EXPECT_NEAR(summary.sample.view_angle_deg, 25.0, 1e-12);
  EXPECT_EQ(summary.continuous_visible_ms, 1200);
  EXPECT_TRUE(summary.viewable);
}

TEST(ViewabilityTrackerTest, OnScreenButNeverViewableReportsTheOnScreenAverage) {
  ViewabilityTracker tracker;
  tracker.Update({0.01, 0.4, 60.0}, 500.0);
  tracker.Update({0.01, 0.2, 80.0}, 500.0);
  const ExposureSummary summary = tracker.Summary();
  EXPECT_NEAR(summary.sample.visible_fraction, 0.3, 1e-12);
  EXPECT_NEAR(summary.sample.view_angle_deg, 70.0, 1e-12);
  EXPECT_EQ(summary.continuous_visible_ms, 0);
  EXPECT_EQ(summary.total_visible_ms, 1000);
  EXPECT_FALSE(summary.viewable);
}

TEST(ViewabilityTrackerTest, ResetStartsANewExposure) {
  ViewabilityTracker tracker;
  Feed(tracker, kViewable, 120);
  ASSERT_TRUE(tracker.HasBeenViewable());
  tracker.Reset();
  EXPECT_FALSE(tracker.HasBeenViewable());
  EXPECT_EQ(tracker.Summary().total_visible_ms, 0);
  EXPECT_EQ(Feed(tracker, kViewable, 61), 1);
}

}  // namespace
}  // namespace vitrine
