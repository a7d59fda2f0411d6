#include "vitrine/event_factory.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

namespace vitrine {
namespace {

using google::protobuf::util::TimeUtil;

TEST(NewUniqueIdTest, IdsAreUniqueAcrossThreadsAndUseTheServersAlphabet) {
  constexpr int kThreads = 4;
  constexpr int kIdsPerThread = 5000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < kIdsPerThread; ++i) ids[t].push_back(NewUniqueId());
    });
  }
  for (auto& thread : threads) thread.join();

  const std::regex allowed("^[A-Za-z0-9._:-]{1,64}$");
  std::set<std::string> unique;
  for (const auto& thread_ids : ids) {
    for (const auto& id : thread_ids) {
      ASSERT_TRUE(std::regex_match(id, allowed)) << id;
      unique.insert(id);
    }
  }
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kIdsPerThread));
}

TEST(NewSessionIdTest, SessionIdsAreValidAndDistinct) {
  const std::regex allowed("^[A-Za-z0-9._:-]{1,64}$");
  const std::string first = NewSessionId();
  EXPECT_TRUE(std::regex_match(first, allowed)) << first;
  EXPECT_NE(first, NewSessionId());
}

TEST(EventFactoryTest, FillsTheEnvelopeOfEveryEvent) {
  EventFactory factory("player-1", "session-1", "downtown-plaza");
  const auto before = TimeUtil::GetCurrentTime();
  const v1::Event event = factory.ZoneEntered("fountain");
  const auto after = TimeUtil::GetCurrentTime();

  EXPECT_FALSE(event.event_id().empty());
  EXPECT_EQ(event.player_id(), "player-1");
  EXPECT_EQ(event.session_id(), "session-1");
  EXPECT_EQ(event.scene_id(), "downtown-plaza");
  EXPECT_GE(event.client_time(), before);
  EXPECT_LE(event.client_time(), after);
  EXPECT_EQ(event.payload_case(), v1::Event::kZoneEntered);
  EXPECT_EQ(event.zone_entered().zone_id(), "fountain");
}

TEST(EventFactoryTest, EachBuilderSetsItsPayloadAndAFreshId) {
  EventFactory factory("player-1", "session-1", "downtown-plaza");
  v1::PlacementExposure exposure;
  exposure.set_placement_id("plaza-billboard-north");
  exposure.set_continuous_visible_ms(1200);
  v1::Interaction interaction;
  interaction.set_kind(v1::INTERACTION_KIND_CLICK);
  v1::Conversion conversion;
  conversion.set_value(9.99);
  v1::Feedback feedback;
  feedback.set_rating(5);
  v1::CustomEvent custom;
  custom.set_name("quest.done");

  const std::vector<v1::Event> events = {
      factory.SessionStarted({}),      factory.SessionEnded(60000),
      factory.ZoneEntered("fountain"), factory.ZoneExited("fountain", 4200),
      factory.Exposure(exposure),      factory.Interaction(interaction),
      factory.Conversion(conversion),  factory.Feedback(feedback),
      factory.Custom(custom)};
  const std::vector<v1::Event::PayloadCase> expected = {
      v1::Event::kSessionStarted, v1::Event::kSessionEnded, v1::Event::kZoneEntered,
      v1::Event::kZoneExited,     v1::Event::kExposure,     v1::Event::kInteraction,
      v1::Event::kConversion,     v1::Event::kFeedback,     v1::Event::kCustom};
  std::set<std::string> ids;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].payload_case(), expected[i]) << i;
    ids.insert(events[i].event_id());
  }
  EXPECT_EQ(ids.size(), events.size());
  EXPECT_EQ(events[1].session_ended().duration_ms(), 60000);
  EXPECT_EQ(events[3].zone_exited().dwell_ms(), 4200);
  EXPECT_EQ(events[4].exposure().continuous_visible_ms(), 1200);
  EXPECT_EQ(events[8].custom().name(), "quest.done");
}

TEST(EventFactoryTest, SceneCanChangeWhenThePlayerTravels) {
  EventFactory factory("player-1", "session-1", "downtown-plaza");
  factory.SetSceneId("neon-arcade");
  EXPECT_EQ(factory.SessionEnded(1).scene_id(), "neon-arcade");
}

}  // namespace
}  // namespace vitrine
