#nullable enable
namespace Vitrine.Client
{
    /// <summary>One batch of events waiting on disk for the server's ack.</summary>
    public sealed class QueuedBatch
    {
        internal QueuedBatch(ulong id, int eventCount, long sizeBytes, string path)
        {
            Id = id;
            EventCount = eventCount;
            SizeBytes = sizeBytes;
            Path = path;
        }

        /// <summary>The batch's number, increasing in the order batches were made; sent as its sequence.</summary>
        public ulong Id { get; }

        /// <summary>How many events the batch holds.</summary>
        public int EventCount { get; }

        /// <summary>The size of its file in bytes.</summary>
        public long SizeBytes { get; }

        /// <summary>Its file.</summary>
        public string Path { get; }
    }
}
