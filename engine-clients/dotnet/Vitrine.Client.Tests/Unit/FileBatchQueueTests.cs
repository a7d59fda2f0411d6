using Vitrine.Client;
using Vitrine.V1;

namespace Vitrine.Client.Tests.Unit;

public class FileBatchQueueTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Batches_come_back_in_order_with_their_events()
    {
        var queue = Open();
        QueuedBatch first = queue.Append(Events("a", 2))!;
        QueuedBatch second = queue.Append(Events("b", 3))!;

        Assert.Equal(new[] { first.Id, second.Id }, queue.Snapshot().Select(batch => batch.Id));
        Assert.Equal(2, queue.Count);
        Assert.Equal(5, queue.EventCount);
        IngestEventsRequest request = queue.Read(second)!;
        Assert.Equal(second.Id, request.Sequence);
        Assert.Equal(new[] { "b0", "b1", "b2" }, request.Events.Select(e => e.EventId));
    }

    [Fact]
    public void Removing_a_batch_deletes_its_file()
    {
        var queue = Open();
        QueuedBatch batch = queue.Append(Events("a", 1))!;
        queue.Remove(batch);
        queue.Remove(batch);

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.TotalBytes);
        Assert.False(File.Exists(batch.Path));
    }

    [Fact]
    public void Batches_survive_reopening_and_new_ids_keep_increasing()
    {
        var before = Open();
        before.Append(Events("a", 2));
        QueuedBatch last = before.Append(Events("b", 1))!;

        var after = Open();
        IReadOnlyList<QueuedBatch> reloaded = after.Snapshot();
        QueuedBatch next = after.Append(Events("c", 1))!;

        Assert.Equal(new[] { 2, 1 }, reloaded.Select(batch => batch.EventCount));
        Assert.Equal(new[] { "a0", "a1" }, after.Read(reloaded[0])!.Events.Select(e => e.EventId));
        Assert.Equal(before.TotalBytes + next.SizeBytes, after.TotalBytes);
        Assert.True(next.Id > last.Id);
    }

    [Fact]
    public void The_oldest_batches_are_dropped_and_counted_past_the_count_bound()
    {
        var queue = Open(maxBatches: 2);
        queue.Append(Events("a", 1));
        queue.Append(Events("b", 2));
        queue.Append(Events("c", 3));

        Assert.Equal(new[] { 2, 3 }, queue.Snapshot().Select(batch => batch.EventCount));
        Assert.Equal(1, queue.DroppedBatchCount);
        Assert.Equal(1, queue.DroppedEventCount);
        Assert.Equal(2, Directory.GetFiles(_temp.Path, "*.batch").Length);
    }

    [Fact]
    public void The_oldest_batches_are_dropped_past_the_byte_bound()
    {
        long oneBatchBytes = new FileBatchQueue(_temp.Sub("probe"), 1 << 20, 100).Append(Events("x", 10))!.SizeBytes;
        var queue = Open(maxBytes: oneBatchBytes * 2 + 1);
        queue.Append(Events("a", 10));
        queue.Append(Events("b", 10));
        queue.Append(Events("c", 10));

        Assert.Equal(2, queue.Count);
        Assert.True(queue.TotalBytes <= oneBatchBytes * 2 + 1);
        Assert.Equal(10, queue.DroppedEventCount);
        Assert.StartsWith("b", queue.Read(queue.Snapshot()[0])!.Events[0].EventId);
    }

    [Fact]
    public void A_batch_larger_than_the_whole_queue_is_dropped_alone()
    {
        var queue = Open(maxBytes: 64);
        queue.Append(Events("a", 1));

        Assert.Null(queue.Append(Events("big", 50)));
        Assert.Equal(1, queue.Count);
        Assert.Equal(50, queue.DroppedEventCount);
    }

    [Fact]
    public void Reopening_with_smaller_bounds_trims_the_oldest()
    {
        var before = Open();
        for (int batch = 0; batch < 5; batch++)
        {
            before.Append(Events("e" + batch, 1));
        }

        var after = Open(maxBatches: 3);

        Assert.Equal(3, after.Count);
        Assert.Equal(2, after.DroppedBatchCount);
    }

    [Fact]
    public void Leftovers_of_a_crash_are_cleaned_up()
    {
        var before = Open();
        QueuedBatch good = before.Append(Events("a", 1))!;
        QueuedBatch torn = before.Append(Events("b", 1))!;
        File.WriteAllBytes(Path.Combine(_temp.Path, "00000000000000000099-1.batch.partial"), new byte[] { 1, 2 });
        File.WriteAllBytes(torn.Path, new byte[] { 0x0A, 0xFF }); // a length prefix with nothing after it

        var after = Open();

        Assert.Empty(Directory.GetFiles(_temp.Path, "*.partial"));
        Assert.NotNull(after.Read(after.Snapshot()[0]));
        Assert.Null(after.Read(after.Snapshot()[1]));
        Assert.Equal(new[] { good.Id }, after.Snapshot().Select(batch => batch.Id));
        Assert.Equal(1, after.DroppedBatchCount);
    }

    [Fact]
    public void Empty_batches_and_bad_bounds_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Open().Append(Array.Empty<Event>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileBatchQueue(_temp.Path, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileBatchQueue(_temp.Path, 1, 0));
    }

    private FileBatchQueue Open(long maxBytes = 1 << 20, int maxBatches = 100) => new(_temp.Path, maxBytes, maxBatches);

    private static List<Event> Events(string prefix, int count)
    {
        return Enumerable.Range(0, count)
            .Select(index => new Event { EventId = prefix + index, PlayerId = "player", SessionId = "session" })
            .ToList();
    }
}
