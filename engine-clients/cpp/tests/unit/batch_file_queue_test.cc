#include "vitrine/batch_file_queue.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_directory.h"

namespace vitrine {
namespace {

TEST(BatchFileQueueTest, KeepsBatchesInOrderUntilRemoved) {
  TestDirectory directory;
  BatchFileQueue queue(directory.path());
  const auto first = queue.Push("first");
  const auto second = queue.Push("second");
  ASSERT_TRUE(first && second);
  EXPECT_LT(*first, *second);
  EXPECT_EQ(queue.Ids(), (std::vector<uint64_t>{*first, *second}));
  EXPECT_EQ(queue.Read(*first), "first");
  EXPECT_EQ(queue.Bytes(), 11u);
  EXPECT_EQ(queue.NextIdAfter(0), first);
  EXPECT_EQ(queue.NextIdAfter(*first), second);
  EXPECT_EQ(queue.NextIdAfter(*second), std::nullopt);

  queue.Remove(*first);
  queue.Remove(*first);  // a second removal is harmless
  EXPECT_EQ(queue.Ids(), (std::vector<uint64_t>{*second}));
  EXPECT_EQ(queue.Read(*first), std::nullopt);
  EXPECT_EQ(queue.Bytes(), 6u);
  EXPECT_EQ(queue.DroppedBatches(), 0u);
}

TEST(BatchFileQueueTest, DropsTheOldestBatchesWhenOverTheCountLimit) {
  TestDirectory directory;
  BatchFileQueue queue(directory.path(), {1024, 3});
  std::vector<uint64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(*queue.Push("batch-" + std::to_string(i)));
  EXPECT_EQ(queue.Ids(), (std::vector<uint64_t>{ids[2], ids[3], ids[4]}));
  EXPECT_EQ(queue.DroppedBatches(), 2u);
  EXPECT_EQ(queue.Read(ids[2]), "batch-2");
}

TEST(BatchFileQueueTest, DropsTheOldestBatchesWhenOverTheByteLimit) {
  TestDirectory directory;
  BatchFileQueue queue(directory.path(), {25, 100});
  queue.Push(std::string(10, 'a'));
  queue.Push(std::string(10, 'b'));
  const auto third = queue.Push(std::string(10, 'c'));
  EXPECT_EQ(queue.Count(), 2u);
  EXPECT_EQ(queue.Bytes(), 20u);
  EXPECT_EQ(queue.DroppedBatches(), 1u);
  EXPECT_EQ(queue.Read(*third), std::string(10, 'c'));
}

TEST(BatchFileQueueTest, RefusesABatchLargerThanTheWholeQueue) {
  TestDirectory directory;
  BatchFileQueue queue(directory.path(), {8, 100});
  queue.Push("small");
  EXPECT_EQ(queue.Push(std::string(9, 'x')), std::nullopt);
  EXPECT_EQ(queue.Count(), 1u);
  EXPECT_EQ(queue.DroppedBatches(), 1u);
}

TEST(BatchFileQueueTest, SurvivesReopeningAndKeepsIdsGrowing) {
  TestDirectory directory;
  uint64_t last_id = 0;
  {
    BatchFileQueue queue(directory.path());
    queue.Push("one");
    queue.Push("two");
    last_id = *queue.Push("three");
    queue.Remove(queue.Ids().front());
  }
  BatchFileQueue reopened(directory.path());
  ASSERT_EQ(reopened.Count(), 2u);
  EXPECT_EQ(reopened.Read(reopened.Ids()[0]), "two");
  EXPECT_EQ(reopened.Read(reopened.Ids()[1]), "three");
  EXPECT_EQ(reopened.Bytes(), 8u);
  EXPECT_GT(*reopened.Push("four"), last_id);
}

TEST(BatchFileQueueTest, ReopeningWithSmallerLimitsTrimsTheOldest) {
  TestDirectory directory;
  {
    BatchFileQueue queue(directory.path());
    for (int i = 0; i < 4; ++i) queue.Push("batch-" + std::to_string(i));
  }
  BatchFileQueue reopened(directory.path(), {1024, 2});
  ASSERT_EQ(reopened.Count(), 2u);
  EXPECT_EQ(reopened.Read(reopened.Ids()[0]), "batch-2");
  EXPECT_EQ(reopened.DroppedBatches(), 2u);
}

TEST(BatchFileQueueTest, IgnoresInterruptedWritesAndForeignFiles) {
  TestDirectory directory;
  std::ofstream(directory.path() / "00000000000000000007.partial") << "half a batch";
  std::ofstream(directory.path() / "notes.txt") << "not a batch";
  BatchFileQueue queue(directory.path());
  EXPECT_EQ(queue.Count(), 0u);
  EXPECT_FALSE(std::filesystem::exists(directory.path() / "00000000000000000007.partial"));
  EXPECT_TRUE(std::filesystem::exists(directory.path() / "notes.txt"));
}

TEST(BatchFileQueueTest, DiscardCountsTheBatchAsDropped) {
  TestDirectory directory;
  BatchFileQueue queue(directory.path());
  const auto id = queue.Push("corrupt");
  queue.Discard(*id);
  EXPECT_EQ(queue.Count(), 0u);
  EXPECT_EQ(queue.DroppedBatches(), 1u);
}

}  // namespace
}  // namespace vitrine
