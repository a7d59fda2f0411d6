#pragma once

#include <string>

#include "vitrine/batch_file_queue.h"
#include "vitrine/v1/telemetry_service.pb.h"

namespace vitrine {

// How many events wait in a queue directory. Batch boundaries depend on thread timing, so
// tests count events rather than files.
inline size_t CountQueuedEvents(const std::string& directory) {
  BatchFileQueue files(directory);
  size_t events = 0;
  for (const uint64_t id : files.Ids()) {
    v1::IngestEventsRequest batch;
    if (const auto bytes = files.Read(id); bytes && batch.ParseFromString(*bytes)) {
      events += static_cast<size_t>(batch.events_size());
    }
  }
  return events;
}

}  // namespace vitrine
