#pragma once

#include <string>

#include "vitrine/v1/events.pb.h"

namespace vitrine {

// A new unique id for an event or a reward: a random per-process prefix plus a counter, from
// the characters the server accepts ([A-Za-z0-9._:-], at most 64).
std::string NewUniqueId();

// A new random session id in the same alphabet.
std::string NewSessionId();

// Makes events for one player's session: each gets a fresh event_id, the player, session and
// scene, and the current time as client_time. Not thread-safe per instance; cheap to copy.
class EventFactory {
 public:
  EventFactory(std::string player_id, std::string session_id, std::string scene_id = "");

  void SetSceneId(std::string scene_id) { scene_id_ = std::move(scene_id); }
  const std::string& player_id() const { return player_id_; }
  const std::string& session_id() const { return session_id_; }
  const std::string& scene_id() const { return scene_id_; }

  v1::Event SessionStarted(const v1::SessionStarted& session) const;
  v1::Event SessionEnded(int64_t duration_ms) const;
  v1::Event ZoneEntered(const std::string& zone_id, const v1::Vector3& position = {}) const;
  v1::Event ZoneExited(const std::string& zone_id, int64_t dwell_ms,
                       const v1::Vector3& position = {}) const;
  v1::Event Exposure(const v1::PlacementExposure& exposure) const;
  v1::Event Interaction(const v1::Interaction& interaction) const;
  v1::Event Conversion(const v1::Conversion& conversion) const;
  v1::Event Feedback(const v1::Feedback& feedback) const;
  v1::Event Custom(const v1::CustomEvent& custom) const;

 private:
  v1::Event NewEvent() const;

  std::string player_id_;
  std::string session_id_;
  std::string scene_id_;
};

}  // namespace vitrine
