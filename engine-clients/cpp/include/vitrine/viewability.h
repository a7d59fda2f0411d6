#pragma once

#include <cstdint>

namespace vitrine {

// The IAB/MRC intrinsic in-game viewability thresholds. The server applies the same rule to
// PlacementExposure, so the defaults must only change together with the server's.
struct ViewabilityThresholds {
  double min_screen_fraction = 0.015;
  double min_visible_fraction = 0.5;
  double max_view_angle_deg = 55.0;  // exclusive
  int64_t min_continuous_visible_ms = 1000;
};

// What the engine measures for one placement in one frame.
struct ViewSample {
  // The share of the screen the placement covers, 0..1.
  double screen_fraction = 0.0;
  // The share of the placement's area that is visible (not occluded or off-screen), 0..1.
  double visible_fraction = 0.0;
  // The angle between the camera's view ray and the placement's normal, in degrees, 0..180.
  double view_angle_deg = 0.0;
};

// Whether one frame's sample meets the geometric part of the rule (everything but time).
bool MeetsViewabilityGeometry(const ViewSample& sample,
                              const ViewabilityThresholds& thresholds = {});

// The whole rule: viewable iff the geometry is met and it was met continuously for at least
// the minimum time.
bool IsViewable(const ViewSample& sample, int64_t continuous_visible_ms,
                const ViewabilityThresholds& thresholds = {});

// What a tracker has seen since its last reset, ready to become a PlacementExposure.
struct ExposureSummary {
  // Time-weighted averages over the longest continuous viewable run, or over all on-screen
  // frames when no frame met the geometry; so IsViewable(sample, longest run) matches
  // `viewable` below.
  ViewSample sample;
  int64_t continuous_visible_ms = 0;  // the longest run that met the geometry
  int64_t total_visible_ms = 0;       // all time on screen at all
  bool viewable = false;
};

// Follows one placement frame by frame. Feed it every frame the placement is considered,
// including frames where it is off screen (screen_fraction 0).
class ViewabilityTracker {
 public:
  explicit ViewabilityTracker(ViewabilityThresholds thresholds = {});

  // Adds a frame that lasted frame_ms milliseconds. Returns true on the one frame where the
  // placement first becomes viewable, so callers can react once.
  bool Update(const ViewSample& sample, double frame_ms);

  bool HasBeenViewable() const { return has_been_viewable_; }
  bool IsOnScreen() const { return last_frame_on_screen_; }
  bool HasBeenOnScreen() const { return total_visible_ms_ > 0.0; }
  ExposureSummary Summary() const;
  // Starts a new exposure, e.g. after one was reported.
  void Reset();

 private:
  struct WeightedSums {
    double screen_fraction = 0.0;
    double visible_fraction = 0.0;
    double view_angle_deg = 0.0;
    double weight_ms = 0.0;
    void Add(const ViewSample& sample, double frame_ms);
    ViewSample Average() const;
  };

  ViewabilityThresholds thresholds_;
  WeightedSums current_run_;
  WeightedSums longest_run_;
  WeightedSums on_screen_;
  double total_visible_ms_ = 0.0;
  bool has_been_viewable_ = false;
  bool last_frame_on_screen_ = false;
};

}  // namespace vitrine
