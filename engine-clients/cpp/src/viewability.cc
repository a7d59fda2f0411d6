#include "vitrine/viewability.h"

#include <algorithm>
#include <cmath>

namespace vitrine {

bool MeetsViewabilityGeometry(const ViewSample& sample, const ViewabilityThresholds& thresholds) {
  return sample.screen_fraction >= thresholds.min_screen_fraction &&
         sample.visible_fraction >= thresholds.min_visible_fraction &&
         sample.view_angle_deg < thresholds.max_view_angle_deg;
}

bool IsViewable(const ViewSample& sample, int64_t continuous_visible_ms,
                const ViewabilityThresholds& thresholds) {
  return MeetsViewabilityGeometry(sample, thresholds) &&
         continuous_visible_ms >= thresholds.min_continuous_visible_ms;
}

void ViewabilityTracker::WeightedSums::Add(const ViewSample& sample, double frame_ms) {
  screen_fraction += sample.screen_fraction * frame_ms;
  visible_fraction += sample.visible_fraction * frame_ms;
  view_angle_deg += sample.view_angle_deg * frame_ms;
  weight_ms += frame_ms;
}

ViewSample ViewabilityTracker::WeightedSums::Average() const {
  if (weight_ms <= 0.0) return {};
  return {screen_fraction / weight_ms, visible_fraction / weight_ms, view_angle_deg / weight_ms};
}

ViewabilityTracker::ViewabilityTracker(ViewabilityThresholds thresholds)
    : thresholds_(thresholds) {}

bool ViewabilityTracker::Update(const ViewSample& sample, double frame_ms) {
  frame_ms = std::max(frame_ms, 0.0);
  last_frame_on_screen_ = sample.screen_fraction > 0.0 && sample.visible_fraction > 0.0;
  if (last_frame_on_screen_) {
    total_visible_ms_ += frame_ms;
    on_screen_.Add(sample, frame_ms);
  }

  if (!MeetsViewabilityGeometry(sample, thresholds_)) {
    current_run_ = {};
    return false;
  }
  current_run_.Add(sample, frame_ms);
  if (current_run_.weight_ms > longest_run_.weight_ms) longest_run_ = current_run_;

  const bool viewable_now =
      static_cast<int64_t>(current_run_.weight_ms) >= thresholds_.min_continuous_visible_ms;
  const bool became_viewable = viewable_now && !has_been_viewable_;
  has_been_viewable_ = has_been_viewable_ || viewable_now;
  return became_viewable;
}

ExposureSummary ViewabilityTracker::Summary() const {
  ExposureSummary summary;
  if (longest_run_.weight_ms > 0.0) {
    // Every frame of the run met the geometry, so its average does too; the clamps only undo
    // floating-point rounding, keeping the summary on the same side of the rule as the frames.
    const ViewSample average = longest_run_.Average();
    summary.sample.screen_fraction =
        std::max(average.screen_fraction, thresholds_.min_screen_fraction);
    summary.sample.visible_fraction =
        std::max(average.visible_fraction, thresholds_.min_visible_fraction);
    summary.sample.view_angle_deg =
        std::min(average.view_angle_deg, std::nextafter(thresholds_.max_view_angle_deg, 0.0));
  } else {
    summary.sample = on_screen_.Average();
  }
  summary.continuous_visible_ms = static_cast<int64_t>(longest_run_.weight_ms);
  summary.total_visible_ms = static_cast<int64_t>(total_visible_ms_);
  summary.viewable = IsViewable(summary.sample, summary.continuous_visible_ms, thresholds_);
  return summary;
}

void ViewabilityTracker::Reset() { *this = ViewabilityTracker(thresholds_); }

}  // namespace vitrine
