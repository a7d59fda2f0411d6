#include "vitrine/event_factory.h"

#include <google/protobuf/util/time_util.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>

namespace vitrine {
namespace {

std::string RandomHex(int digits) {
  static thread_local std::mt19937_64 random{
      std::random_device{}() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
  static const char kHexDigits[] = "0123456789abcdef";
  std::string hex(static_cast<size_t>(digits), '0');
  for (auto& digit : hex) digit = kHexDigits[random() & 0xf];
  return hex;
}

// 96 random bits per process make collisions between installs negligible; the counter makes
// ids within a process unique without asking the random generator again.
const std::string& ProcessPrefix() {
  static const std::string prefix = RandomHex(24);
  return prefix;
}

}  // namespace

std::string NewUniqueId() {
  static std::atomic<uint64_t> counter{0};
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "%llx",
                static_cast<unsigned long long>(counter.fetch_add(1) + 1));
  return ProcessPrefix() + "-" + suffix;
}

std::string NewSessionId() { return "s-" + RandomHex(32); }

EventFactory::EventFactory(std::string player_id, std::string session_id, std::string scene_id)
    : player_id_(std::move(player_id)),
      session_id_(std::move(session_id)),
      scene_id_(std::move(scene_id)) {}

v1::Event EventFactory::NewEvent() const {
  v1::Event event;
  event.set_event_id(NewUniqueId());
  event.set_player_id(player_id_);
  event.set_session_id(session_id_);
  event.set_scene_id(scene_id_);
  *event.mutable_client_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return event;
}

v1::Event EventFactory::SessionStarted(const v1::SessionStarted& session) const {
  v1::Event event = NewEvent();
  *event.mutable_session_started() = session;
  return event;
}

v1::Event EventFactory::SessionEnded(int64_t duration_ms) const {
  v1::Event event = NewEvent();
  event.mutable_session_ended()->set_duration_ms(duration_ms);
  return event;
}

v1::Event EventFactory::ZoneEntered(const std::string& zone_id, const v1::Vector3& position) const {
  v1::Event event = NewEvent();
  event.mutable_zone_entered()->set_zone_id(zone_id);
  *event.mutable_zone_entered()->mutable_position() = position;
  return event;
}

v1::Event EventFactory::ZoneExited(const std::string& zone_id, int64_t dwell_ms,
                                   const v1::Vector3& position) const {
  v1::Event event = NewEvent();
  event.mutable_zone_exited()->set_zone_id(zone_id);
  event.mutable_zone_exited()->set_dwell_ms(dwell_ms);
  *event.mutable_zone_exited()->mutable_position() = position;
  return event;
}

v1::Event EventFactory::Exposure(const v1::PlacementExposure& exposure) const {
  v1::Event event = NewEvent();
  *event.mutable_exposure() = exposure;
  return event;
}

v1::Event EventFactory::Interaction(const v1::Interaction& interaction) const {
  v1::Event event = NewEvent();
  *event.mutable_interaction() = interaction;
  return event;
}

v1::Event EventFactory::Conversion(const v1::Conversion& conversion) const {
  v1::Event event = NewEvent();
  *event.mutable_conversion() = conversion;
  return event;
}

v1::Event EventFactory::Feedback(const v1::Feedback& feedback) const {
  v1::Event event = NewEvent();
  *event.mutable_feedback() = feedback;
  return event;
}

v1::Event EventFactory::Custom(const v1::CustomEvent& custom) const {
  v1::Event event = NewEvent();
  *event.mutable_custom() = custom;
  return event;
}

}  // namespace vitrine
