#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vitrine {

struct BatchFileQueueLimits {
  uint64_t max_bytes = 32ull * 1024 * 1024;
  size_t max_batches = 2000;
};

// A bounded on-disk FIFO of serialized batches: one file per batch in a directory, named by
// an id that grows across restarts. When a push goes over the limits the oldest batches are
// dropped and counted, so an offline game keeps its most recent telemetry.
// Thread-safe.
class BatchFileQueue {
 public:
  // Creates the directory if needed and picks up batches left by an earlier run.
  BatchFileQueue(std::filesystem::path directory, BatchFileQueueLimits limits = {});

  // Writes a batch atomically (temporary file, then rename) and returns its id, which is
  // larger than every id before it. A batch larger than max_bytes on its own is not stored
  // and counted as dropped; then std::nullopt is returned.
  std::optional<uint64_t> Push(const std::string& serialized_batch);

  // The ids of the stored batches, oldest first.
  std::vector<uint64_t> Ids() const;
  // The oldest stored batch id greater than `after_id`, if any.
  std::optional<uint64_t> NextIdAfter(uint64_t after_id) const;
  // A batch's bytes, or std::nullopt when it was removed or dropped meanwhile.
  std::optional<std::string> Read(uint64_t id) const;
  // Removes a batch once it is acknowledged; removing one that is gone is not an error.
  void Remove(uint64_t id);
  // Removes a batch that cannot be sent (unreadable or corrupt) and counts it as dropped.
  void Discard(uint64_t id);

  size_t Count() const;
  uint64_t Bytes() const;
  // Batches dropped because the queue was full or a batch was unreadable, since construction.
  uint64_t DroppedBatches() const;
  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path PathFor(uint64_t id) const;
  void DropOldestLocked();

  const std::filesystem::path directory_;
  const BatchFileQueueLimits limits_;
  mutable std::mutex mutex_;
  std::vector<std::pair<uint64_t, uint64_t>> batches_;  // (id, size in bytes), ascending ids
  uint64_t total_bytes_ = 0;
  uint64_t next_id_ = 1;
  uint64_t dropped_batches_ = 0;
};

}  // namespace vitrine
