// Drives a real Vitrine server (node bin/vitrine.js serve, on a fresh database seeded with the
// demo world) through the C++ client.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>

#include "queued_events.h"
#include "server_process.h"
#include "test_directory.h"
#include "vitrine/client.h"
#include "vitrine/event_factory.h"

namespace vitrine {
namespace {

using std::chrono::milliseconds;
using testing::CreateApiKey;
using testing::ServerProcess;
using testing::WhyServerCannotRun;

constexpr milliseconds kServerStartTimeout{60000};
constexpr milliseconds kDrainTimeout{30000};
constexpr char kScene[] = "downtown-plaza";
constexpr char kPlacement[] = "plaza-billboard-north";
constexpr char kItem[] = "stridewell-1";
constexpr char kCreative[] = "stridewell-1-v1";

// A port that nothing listens on: bound, read and released.
std::string UnusedAddress() {
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(socket_fd);
  return "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

// A session of one player in the demo plaza, with every reference valid.
std::vector<v1::Event> ValidSession(const std::string& player_id) {
  EventFactory factory(player_id, NewSessionId(), kScene);
  v1::SessionStarted started;
  started.set_platform(v1::PLATFORM_LINUX);
  started.set_personalization_consent(true);
  v1::PlacementExposure exposure;
  exposure.set_placement_id(kPlacement);
  exposure.set_item_id(kItem);
  exposure.set_creative_id(kCreative);
  exposure.set_screen_fraction(0.04);
  exposure.set_visible_fraction(0.9);
  exposure.set_view_angle_deg(20);
  exposure.set_continuous_visible_ms(1500);
  exposure.set_total_visible_ms(2000);
  v1::Interaction interaction;
  interaction.set_placement_id(kPlacement);
  interaction.set_item_id(kItem);
  interaction.set_kind(v1::INTERACTION_KIND_CLICK);
  return {factory.SessionStarted(started),      factory.ZoneEntered("fountain"),
          factory.Exposure(exposure),           factory.Interaction(interaction),
          factory.ZoneExited("fountain", 4000), factory.SessionEnded(30000)};
}

std::vector<v1::Event> ManyEvents(const std::string& player_id, int count) {
  EventFactory factory(player_id, NewSessionId(), kScene);
  std::vector<v1::Event> events;
  for (int i = 0; i < count; ++i) events.push_back(factory.ZoneEntered("fountain"));
  return events;
}

// Collects the acks the telemetry thread reports.
struct AckLog {
  std::mutex mutex;
  std::vector<v1::BatchAck> acks;
  void Add(const v1::BatchAck& ack) {
    std::lock_guard<std::mutex> lock(mutex);
    acks.push_back(ack);
  }
  std::vector<v1::BatchAck> Snapshot() {
    std::lock_guard<std::mutex> lock(mutex);
    return acks;
  }
};

// Why events were rejected, for failure messages.
std::string DescribeRejections(const std::vector<v1::BatchAck>& acks) {
  std::string description;
  for (const auto& ack : acks) {
    for (const auto& rejected : ack.rejected()) {
      description += "#" + std::to_string(rejected.index()) + " " +
                     v1::RejectionReason_Name(rejected.reason()) + " " + rejected.field() + ": " +
                     rejected.message() + "\n";
    }
  }
  return description;
}

class VitrineServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto reason = WhyServerCannotRun()) GTEST_SKIP() << *reason;
    server_ = std::make_unique<ServerProcess>(directory_.Sub("vitrine.db"));
    std::string error;
    ASSERT_TRUE(server_->Start(kServerStartTimeout, &error)) << error;
    const auto key = CreateApiKey(server_->database_path(), &error);
    ASSERT_TRUE(key) << error;
    api_key_ = *key;
  }

  ClientOptions OptionsFor(const std::string& address, const std::string& queue_name) {
    ClientOptions options;
    options.address = address;
    options.api_key = api_key_;
    options.call_timeout = milliseconds(10000);
    options.max_reconnect_backoff = milliseconds(500);
    options.telemetry.queue_directory = directory_.Sub(queue_name);
    options.telemetry.flush_interval = milliseconds(200);
    options.telemetry.retry = RetryPolicy{milliseconds(50), milliseconds(500), 2.0, 0};
    options.telemetry.on_ack = [this](const v1::BatchAck& ack) { acks_.Add(ack); };
    return options;
  }

  // Sends events through LogEvents in chunks the server accepts and sums the acks.
  v1::BatchAck LogAgain(Client& client, const std::vector<v1::Event>& events) {
    v1::BatchAck total;
    for (size_t start = 0; start < events.size(); start += 1000) {
      v1::LogEventsRequest request;
      for (size_t i = start; i < std::min(events.size(), start + 1000); ++i) {
        *request.add_events() = events[i];
      }
      const LogEventsResult result = client.LogEvents(request);
      EXPECT_TRUE(result.ok()) << result.status.error_code() << " "
                               << result.status.error_message();
      total.set_accepted_count(total.accepted_count() + result.response.ack().accepted_count());
      total.set_duplicate_count(total.duplicate_count() + result.response.ack().duplicate_count());
      for (const auto& rejected : result.response.ack().rejected())
        *total.add_rejected() = rejected;
    }
    return total;
  }

  v1::RecommendRequest RecommendForPlacement(const std::string& player_id) {
    v1::RecommendRequest request;
    request.set_placement_id(kPlacement);
    request.set_player_id(player_id);
    request.set_session_id(NewSessionId());
    request.mutable_context()->set_zone_id("fountain");
    return request;
  }

  TestDirectory directory_;
  std::unique_ptr<ServerProcess> server_;
  std::string api_key_;
  AckLog acks_;
};

TEST_F(VitrineServerTest, SessionIsAckedWithTheAcceptedCount) {
  auto options = OptionsFor(server_->address(), "queue");
  options.telemetry.max_batch_events = 4;
  Client client(options);
  const auto events = ValidSession("player-ack");
  for (const auto& event : events) client.Telemetry().Enqueue(event);

  ASSERT_TRUE(client.Telemetry().WaitUntilDrained(kDrainTimeout));
  const TelemetryStats stats = client.Telemetry().Stats();
  EXPECT_EQ(stats.events_accepted, events.size());
  EXPECT_EQ(stats.events_duplicate, 0u);
  EXPECT_EQ(stats.events_rejected, 0u) << DescribeRejections(acks_.Snapshot());
  EXPECT_EQ(stats.batches_acked, 2u);
  uint32_t accepted_in_acks = 0;
  for (const auto& ack : acks_.Snapshot()) {
    EXPECT_GT(ack.sequence(), 0u);
    accepted_in_acks += ack.accepted_count();
  }
  EXPECT_EQ(accepted_in_acks, events.size());
}

TEST_F(VitrineServerTest, UnknownReferencesAreRejectedPerEventAndTheRestKept) {
  Client client(OptionsFor(server_->address(), "queue"));
  auto events = ValidSession("player-reject");
  events[2].mutable_exposure()->set_placement_id("no-such-placement");
  for (const auto& event : events) client.Telemetry().Enqueue(event);

  ASSERT_TRUE(client.Telemetry().WaitUntilDrained(kDrainTimeout));
  const auto acks = acks_.Snapshot();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].accepted_count(), events.size() - 1);
  ASSERT_EQ(acks[0].rejected_size(), 1) << DescribeRejections(acks);
  EXPECT_EQ(acks[0].rejected(0).index(), 2u);
  EXPECT_EQ(acks[0].rejected(0).event_id(), events[2].event_id());
  EXPECT_EQ(acks[0].rejected(0).reason(), v1::REJECTION_REASON_UNKNOWN_REFERENCE);
}

TEST_F(VitrineServerTest, ResentEventsAreCountedAsDuplicates) {
  Client client(OptionsFor(server_->address(), "queue"));
  const auto events = ValidSession("player-duplicate");
  for (const auto& event : events) client.Telemetry().Enqueue(event);
  ASSERT_TRUE(client.Telemetry().WaitUntilDrained(kDrainTimeout));
  for (const auto& event : events) client.Telemetry().Enqueue(event);
  ASSERT_TRUE(client.Telemetry().WaitUntilDrained(kDrainTimeout));

  const TelemetryStats stats = client.Telemetry().Stats();
  EXPECT_EQ(stats.events_accepted, events.size());
  EXPECT_EQ(stats.events_duplicate, events.size());
  EXPECT_EQ(LogAgain(client, events).duplicate_count(), events.size());
}

TEST_F(VitrineServerTest, OfflineQueueSurvivesAClientRestart) {
  const auto events = ManyEvents("player-offline", 120);
  {
    auto offline_options = OptionsFor(UnusedAddress(), "shared-queue");
    offline_options.telemetry.max_batch_events = 50;
    Client offline(offline_options);
    for (const auto& event : events) offline.Telemetry().Enqueue(event);
    EXPECT_FALSE(offline.Telemetry().WaitUntilDrained(milliseconds(1000)));
    EXPECT_EQ(offline.Telemetry().Stats().events_accepted, 0u);
  }  // the game quits: events still pending are written to disk too
  EXPECT_EQ(CountQueuedEvents(directory_.Sub("shared-queue")), events.size());

  Client online(OptionsFor(server_->address(), "shared-queue"));
  ASSERT_TRUE(online.Telemetry().WaitUntilDrained(kDrainTimeout));
  EXPECT_EQ(online.Telemetry().Stats().events_accepted, events.size());
  EXPECT_EQ(LogAgain(online, events).duplicate_count(), events.size());
}

TEST_F(VitrineServerTest, EveryEventIsStoredOnceAcrossAServerCrash) {
  auto options = OptionsFor(server_->address(), "queue");
  options.telemetry.max_batch_events = 100;
  std::atomic<int> acks_seen{0};
  options.telemetry.on_ack = [&acks_seen](const v1::BatchAck&) { ++acks_seen; };
  Client client(options);
  const auto events = ManyEvents("player-crash", 3000);
  for (const auto& event : events) client.Telemetry().Enqueue(event);
  client.Telemetry().Flush();

  // Crash the server in the middle of the stream: some batches acked, others in flight.
  for (int i = 0; i < 2000 && acks_seen.load() == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  ASSERT_GT(acks_seen.load(), 0) << "no ack before the crash";
  const std::string address = server_->address();
  server_->Kill();
  for (const auto& event : ManyEvents("player-crash-late", 1)) client.Telemetry().Enqueue(event);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_GT(client.Telemetry().Stats().queued_batches, 0u) << "the crash came too late";

  server_ = std::make_unique<ServerProcess>(directory_.Sub("vitrine.db"), address);
  std::string error;
  ASSERT_TRUE(server_->Start(kServerStartTimeout, &error)) << error;
  ASSERT_TRUE(client.Telemetry().WaitUntilDrained(kDrainTimeout));

  const TelemetryStats stats = client.Telemetry().Stats();
  EXPECT_LE(stats.events_accepted, events.size() + 1);
  EXPECT_GE(stats.events_accepted + stats.events_duplicate, events.size() + 1);
  EXPECT_EQ(stats.events_rejected, 0u);
  const v1::BatchAck again = LogAgain(client, events);
  EXPECT_EQ(again.duplicate_count(), events.size());
  EXPECT_EQ(again.accepted_count(), 0u);
}

TEST_F(VitrineServerTest, RecommendReturnsADecisionAndRewardSucceeds) {
  Client client(OptionsFor(server_->address(), "queue"));
  const RecommendResult recommended =
      client.RecommendAsync(RecommendForPlacement("player-r")).get();
  ASSERT_TRUE(recommended.ok()) << recommended.status.error_code() << " "
                                << recommended.status.error_message();
  const v1::Decision& decision = recommended.response.decision();
  EXPECT_FALSE(decision.decision_id().empty());
  EXPECT_EQ(decision.placement_id(), kPlacement);
  ASSERT_GT(decision.items_size(), 0);
  EXPECT_FALSE(decision.items(0).item_id().empty());

  v1::RewardRequest reward;
  reward.set_decision_id(decision.decision_id());
  reward.set_value(1.0);
  std::promise<RewardResult> rewarded;
  client.RewardAsync(reward,
                     [&rewarded](RewardResult result) { rewarded.set_value(std::move(result)); });
  const RewardResult result = rewarded.get_future().get();
  ASSERT_TRUE(result.ok()) << result.status.error_code() << " " << result.status.error_message();
  EXPECT_GE(result.response.total_reward(), 1.0);
  EXPECT_FALSE(result.response.duplicate());

  // A reward sent again with its id, as after a lost answer, is not added twice.
  reward.set_reward_id("reward-once");
  ASSERT_TRUE(client.Reward(reward).ok());
  const RewardResult again = client.Reward(reward);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.response.duplicate());
  EXPECT_DOUBLE_EQ(again.response.total_reward(), result.response.total_reward() + 1.0);
}

TEST_F(VitrineServerTest, RecommendSceneFillsTheScenesPlacements) {
  Client client(OptionsFor(server_->address(), "queue"));
  v1::RecommendSceneRequest request;
  request.set_scene_id(kScene);
  request.set_player_id("player-scene");
  request.set_session_id(NewSessionId());
  const RecommendSceneResult result = client.RecommendScene(request);
  ASSERT_TRUE(result.ok()) << result.status.error_code() << " " << result.status.error_message();
  ASSERT_GT(result.response.decisions_size(), 1);
  for (const auto& decision : result.response.decisions()) {
    EXPECT_FALSE(decision.decision_id().empty());
  }
}

TEST_F(VitrineServerTest, AnUnknownKeyIsRefusedWithoutRetrying) {
  auto options = OptionsFor(server_->address(), "queue");
  options.api_key = "not-a-key";
  Client client(options);
  const RecommendResult result = client.Recommend(RecommendForPlacement("player-u"));
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(VitrineServerTest, HeadlessClientPlaysScriptedSessions) {
  if (std::string(VITRINE_HEADLESS_PATH).empty()) GTEST_SKIP() << "built without vitrine_headless";
  const auto result =
      testing::RunCommand({VITRINE_HEADLESS_PATH, "--address=" + server_->address(), "--players=5",
                           "--events-per-player=12", std::string("--scene=") + kScene,
                           "--queue-dir=" + directory_.Sub("headless-queue")},
                          {{"VITRINE_API_KEY", api_key_}}, directory_.path().string());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->exit_code, 0) << result->output;
  EXPECT_NE(result->output.find("events accepted    60"), std::string::npos) << result->output;
}

}  // namespace
}  // namespace vitrine
