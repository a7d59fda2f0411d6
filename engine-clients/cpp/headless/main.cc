// vitrine_headless: plays scripted player sessions against a Vitrine server through the C++
// client and prints what happened. Used by integration runs and for load smoke tests.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "vitrine/client.h"
#include "vitrine/event_factory.h"
#include "vitrine/viewability.h"

namespace {

struct Flags {
  std::string address = "127.0.0.1:50051";
  std::string api_key;
  int players = 10;
  int events_per_player = 20;
  std::string scene_id = "downtown-plaza";
  std::string queue_directory;
  int concurrency = 4;
  int drain_timeout_s = 60;
};

void PrintUsage() {
  std::cerr << "usage: vitrine_headless [--address=host:port] [--api-key=KEY] [--players=N]\n"
               "                        [--events-per-player=N] [--scene=SCENE_ID]\n"
               "                        [--queue-dir=DIR] [--concurrency=N] [--drain-timeout-s=N]\n"
               "The API key may also come from VITRINE_API_KEY.\n";
}

bool ParseFlags(int argc, char** argv, Flags& flags) {
  if (const char* key = std::getenv("VITRINE_API_KEY")) flags.api_key = key;
  std::map<std::string, std::string> values;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const auto equals = argument.find('=');
    if (argument.rfind("--", 0) != 0 || equals == std::string::npos) return false;
    values[argument.substr(2, equals - 2)] = argument.substr(equals + 1);
  }
  try {
    for (const auto& [name, value] : values) {
      if (name == "address")
        flags.address = value;
      else if (name == "api-key")
        flags.api_key = value;
      else if (name == "players")
        flags.players = std::stoi(value);
      else if (name == "events-per-player")
        flags.events_per_player = std::stoi(value);
      else if (name == "scene")
        flags.scene_id = value;
      else if (name == "queue-dir")
        flags.queue_directory = value;
      else if (name == "concurrency")
        flags.concurrency = std::stoi(value);
      else if (name == "drain-timeout-s")
        flags.drain_timeout_s = std::stoi(value);
      else
        return false;
    }
  } catch (const std::exception&) {
    return false;
  }
  return flags.players > 0 && flags.events_per_player >= 2 && flags.concurrency > 0;
}

struct SessionCounters {
  std::atomic<int> decisions_ok{0};
  std::atomic<int> decisions_failed{0};
  std::atomic<int> rewards_ok{0};
  std::atomic<int> rewards_failed{0};
};

// One player: start a session, ask for the scene's content, look at and use it, end.
void PlaySession(vitrine::Client& client, const Flags& flags, int player_index,
                 SessionCounters& counters) {
  vitrine::EventFactory events("headless-player-" + std::to_string(player_index),
                               vitrine::NewSessionId(), flags.scene_id);
  vitrine::TelemetryQueue& telemetry = client.Telemetry();

  vitrine::v1::SessionStarted started;
  started.set_platform(vitrine::v1::PLATFORM_LINUX);
  started.set_personalization_consent(player_index % 4 != 0);
  started.set_app_version("headless");
  telemetry.Enqueue(events.SessionStarted(started));

  vitrine::v1::RecommendSceneRequest scene_request;
  scene_request.set_scene_id(flags.scene_id);
  scene_request.set_player_id(events.player_id());
  scene_request.set_session_id(events.session_id());
  const auto scene = client.RecommendSceneAsync(scene_request).get();
  std::vector<vitrine::v1::Decision> decisions;
  if (scene.ok()) {
    ++counters.decisions_ok;
    for (const auto& decision : scene.response.decisions()) {
      if (decision.items_size() > 0) decisions.push_back(decision);
    }
  } else {
    ++counters.decisions_failed;
  }

  // Everything but the session's first and last event.
  const int middle_events = flags.events_per_player - 2;
  for (int i = 0; i < middle_events; ++i) {
    if (decisions.empty()) {
      vitrine::v1::CustomEvent custom;
      custom.set_name("headless.step");
      (*custom.mutable_properties())["index"].set_int_value(i);
      telemetry.Enqueue(events.Custom(custom));
      continue;
    }
    const auto& decision = decisions[static_cast<size_t>(i) % decisions.size()];
    const auto& shown = decision.items(0);
    if (i % 5 == 4) {
      vitrine::v1::Interaction interaction;
      interaction.set_placement_id(decision.placement_id());
      interaction.set_decision_id(decision.decision_id());
      interaction.set_item_id(shown.item_id());
      interaction.set_kind(vitrine::v1::INTERACTION_KIND_INSPECT);
      interaction.set_duration_ms(1500);
      telemetry.Enqueue(events.Interaction(interaction));
      continue;
    }
    // A scripted look at the placement, run through the same tracker a game would use.
    vitrine::ViewabilityTracker tracker;
    const vitrine::ViewSample sample{0.02 + 0.01 * (i % 3), 0.9, 20.0 + 15.0 * (i % 4)};
    for (int frame = 0; frame < 90; ++frame) tracker.Update(sample, 1000.0 / 60.0);
    const auto summary = tracker.Summary();
    vitrine::v1::PlacementExposure exposure;
    exposure.set_placement_id(decision.placement_id());
    exposure.set_decision_id(decision.decision_id());
    exposure.set_item_id(shown.item_id());
    if (shown.has_creative()) exposure.set_creative_id(shown.creative().creative_id());
    exposure.set_screen_fraction(summary.sample.screen_fraction);
    exposure.set_visible_fraction(summary.sample.visible_fraction);
    exposure.set_view_angle_deg(summary.sample.view_angle_deg);
    exposure.set_continuous_visible_ms(summary.continuous_visible_ms);
    exposure.set_total_visible_ms(summary.total_visible_ms);
    telemetry.Enqueue(events.Exposure(exposure));
  }

  if (!decisions.empty()) {
    vitrine::v1::RewardRequest reward;
    reward.set_decision_id(decisions.front().decision_id());
    reward.set_value(1.0);
    const auto rewarded = client.RewardAsync(reward).get();
    (rewarded.ok() ? counters.rewards_ok : counters.rewards_failed)++;
  }
  telemetry.Enqueue(events.SessionEnded(60000));
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    PrintUsage();
    return 2;
  }
  if (flags.queue_directory.empty()) {
    flags.queue_directory =
        (std::filesystem::temp_directory_path() / "vitrine-headless-queue").string();
  }

  vitrine::ClientOptions options;
  options.address = flags.address;
  options.api_key = flags.api_key;
  options.telemetry.queue_directory = flags.queue_directory;
  options.telemetry.flush_interval = std::chrono::milliseconds(1000);
  options.telemetry.on_send_failure = [](const grpc::Status& status, bool will_retry) {
    std::cerr << "telemetry send failed: code " << status.error_code() << " "
              << status.error_message() << (will_retry ? " (will retry)" : " (paused)") << "\n";
  };
  vitrine::Client client(options);

  const auto started = std::chrono::steady_clock::now();
  SessionCounters counters;
  std::atomic<int> next_player{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < flags.concurrency; ++w) {
    workers.emplace_back([&] {
      for (int player = next_player++; player < flags.players; player = next_player++) {
        PlaySession(client, flags, player, counters);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const bool drained =
      client.Telemetry().WaitUntilDrained(std::chrono::seconds(flags.drain_timeout_s));
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const auto stats = client.Telemetry().Stats();
  std::cout << "players            " << flags.players << "\n"
            << "events enqueued    " << stats.events_enqueued << "\n"
            << "batches acked      " << stats.batches_acked << "\n"
            << "events accepted    " << stats.events_accepted << "\n"
            << "events duplicate   " << stats.events_duplicate << "\n"
            << "events rejected    " << stats.events_rejected << "\n"
            << "batches dropped    " << stats.batches_dropped << "\n"
            << "batches queued     " << stats.queued_batches << "\n"
            << "send failures      " << stats.send_failures << "\n"
            << "scene decisions    " << counters.decisions_ok << " ok, "
            << counters.decisions_failed << " failed\n"
            << "rewards            " << counters.rewards_ok << " ok, " << counters.rewards_failed
            << " failed\n"
            << "elapsed            " << elapsed_s << " s ("
            << static_cast<double>(stats.events_enqueued) / elapsed_s << " events/s)\n"
            << "drained            " << (drained ? "yes" : "no") << "\n";
  const bool all_ok = drained && stats.events_rejected == 0 && counters.decisions_failed == 0 &&
                      counters.rewards_failed == 0;
  return all_ok ? 0 : 1;
}
