#include "vitrine/batch_file_queue.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

namespace vitrine {
namespace {

namespace fs = std::filesystem;

constexpr char kBatchExtension[] = ".batch";
constexpr char kPartialExtension[] = ".partial";

// Ids are zero-padded so that a directory listing sorts in queue order.
std::string FileNameFor(uint64_t id) {
  char name[32];
  std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(id));
  return std::string(name) + kBatchExtension;
}

std::optional<uint64_t> IdFromFileName(const fs::path& path) {
  if (path.extension() != kBatchExtension) return std::nullopt;
  const std::string stem = path.stem().string();
  // Names are 20 digits; strtoull saturates rather than throws on a larger foreign number.
  if (stem.empty() || stem.size() > 20 ||
      stem.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::strtoull(stem.c_str(), nullptr, 10);
}

}  // namespace

BatchFileQueue::BatchFileQueue(fs::path directory, BatchFileQueueLimits limits)
    : directory_(std::move(directory)), limits_(limits) {
  // Error codes, not exceptions: engines such as Unreal build without exception support.
  // An unusable directory shows up as failed pushes, counted as dropped batches.
  std::error_code error;
  fs::create_directories(directory_, error);
  for (fs::directory_iterator it(directory_, error), end; !error && it != end;
       it.increment(error)) {
    const fs::directory_entry& entry = *it;
    std::error_code ignored;
    if (!entry.is_regular_file(ignored)) continue;
    // A partial file is a write interrupted by a crash; its batch was never acknowledged
    // as stored, and the events it held were lost with the process.
    if (entry.path().extension() == kPartialExtension) {
      fs::remove(entry.path(), ignored);
      continue;
    }
    const auto id = IdFromFileName(entry.path());
    if (!id) continue;
    const uint64_t size = entry.file_size(ignored);
    batches_.emplace_back(*id, size);
    total_bytes_ += size;
  }
  std::sort(batches_.begin(), batches_.end());
  if (!batches_.empty()) next_id_ = batches_.back().first + 1;
  // An earlier run may have been started with larger limits.
  std::lock_guard<std::mutex> lock(mutex_);
  while (batches_.size() > limits_.max_batches || total_bytes_ > limits_.max_bytes) {
    DropOldestLocked();
  }
}

std::optional<uint64_t> BatchFileQueue::Push(const std::string& serialized_batch) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (serialized_batch.size() > limits_.max_bytes || limits_.max_batches == 0) {
    ++dropped_batches_;
    return std::nullopt;
  }
  while (!batches_.empty() && (batches_.size() + 1 > limits_.max_batches ||
                               total_bytes_ + serialized_batch.size() > limits_.max_bytes)) {
    DropOldestLocked();
  }

  const uint64_t id = next_id_++;
  const fs::path final_path = PathFor(id);
  fs::path partial_path = final_path;
  partial_path.replace_extension(kPartialExtension);
  {
    std::ofstream out(partial_path, std::ios::binary | std::ios::trunc);
    out.write(serialized_batch.data(), static_cast<std::streamsize>(serialized_batch.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(partial_path, ignored);
      ++dropped_batches_;
      return std::nullopt;
    }
  }
  // The rename is atomic, so a reader never sees half a batch.
  std::error_code rename_error;
  fs::rename(partial_path, final_path, rename_error);
  if (rename_error) {
    fs::remove(partial_path, rename_error);
    ++dropped_batches_;
    return std::nullopt;
  }
  batches_.emplace_back(id, serialized_batch.size());
  total_bytes_ += serialized_batch.size();
  return id;
}

std::vector<uint64_t> BatchFileQueue::Ids() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<uint64_t> ids;
  ids.reserve(batches_.size());
  for (const auto& batch : batches_) ids.push_back(batch.first);
  return ids;
}

std::optional<uint64_t> BatchFileQueue::NextIdAfter(uint64_t after_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto next = std::upper_bound(
      batches_.begin(), batches_.end(), after_id,
      [](uint64_t id, const std::pair<uint64_t, uint64_t>& batch) { return id < batch.first; });
  if (next == batches_.end()) return std::nullopt;
  return next->first;
}

std::optional<std::string> BatchFileQueue::Read(uint64_t id) const {
  // Reading outside the lock is safe: files are immutable once renamed into place.
  std::ifstream in(PathFor(id), std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void BatchFileQueue::Remove(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = std::find_if(batches_.begin(), batches_.end(),
                                  [id](const auto& batch) { return batch.first == id; });
  if (found == batches_.end()) return;
  std::error_code ignored;
  fs::remove(PathFor(id), ignored);
  total_bytes_ -= found->second;
  batches_.erase(found);
}

void BatchFileQueue::Discard(uint64_t id) {
  Remove(id);
  std::lock_guard<std::mutex> lock(mutex_);
  ++dropped_batches_;
}

size_t BatchFileQueue::Count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return batches_.size();
}

uint64_t BatchFileQueue::Bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_bytes_;
}

uint64_t BatchFileQueue::DroppedBatches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_batches_;
}

fs::path BatchFileQueue::PathFor(uint64_t id) const { return directory_ / FileNameFor(id); }

void BatchFileQueue::DropOldestLocked() {
  std::error_code ignored;
  fs::remove(PathFor(batches_.front().first), ignored);
  total_bytes_ -= batches_.front().second;
  batches_.erase(batches_.begin());
  ++dropped_batches_;
}

}  // namespace vitrine
