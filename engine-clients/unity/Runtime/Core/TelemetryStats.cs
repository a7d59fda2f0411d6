#nullable enable
using Grpc.Core;

namespace Vitrine.Client
{
    /// <summary>A snapshot of what the telemetry queue has done since the client was made.</summary>
    public sealed class TelemetryStats
    {
        /// <summary>Batches the server acknowledged.</summary>
        public long AcknowledgedBatches { get; internal set; }

        /// <summary>Events the server stored as new.</summary>
        public long AcceptedEvents { get; internal set; }

        /// <summary>Events the server already had (resent after a lost ack, or tracked twice).</summary>
        public long DuplicateEvents { get; internal set; }

        /// <summary>Events the server refused; resending them would not help.</summary>
        public long RejectedEvents { get; internal set; }

        /// <summary>Events tracked but not yet sealed into a batch.</summary>
        public long PendingEvents { get; internal set; }

        /// <summary>Batches waiting on disk.</summary>
        public long QueuedBatches { get; internal set; }

        /// <summary>Events in the batches waiting on disk.</summary>
        public long QueuedEvents { get; internal set; }

        /// <summary>Batches dropped, oldest first, to keep the disk queue within its bounds.</summary>
        public long DroppedBatches { get; internal set; }

        /// <summary>Events in the dropped batches.</summary>
        public long DroppedEvents { get; internal set; }

        /// <summary>Send attempts that failed.</summary>
        public long FailedSends { get; internal set; }

        /// <summary>The status of the last failed send, or null if the last send succeeded.</summary>
        public Status? LastError { get; internal set; }

        /// <summary>Whether sending is stopped by a non-retryable error until the next <c>FlushAsync</c>.</summary>
        public bool IsHalted { get; internal set; }

        /// <inheritdoc/>
        public override string ToString()
        {
            return "acks=" + AcknowledgedBatches + " accepted=" + AcceptedEvents + " duplicates=" + DuplicateEvents
                + " rejected=" + RejectedEvents + " pending=" + PendingEvents + " queued=" + QueuedEvents
                + " dropped=" + DroppedEvents + " failedSends=" + FailedSends;
        }
    }
}
