#nullable enable
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Vitrine.V1;

namespace Vitrine.Client
{
    /// <summary>
    /// Sends queued batches one at a time with the unary <c>LogEvents</c> call, for transports
    /// without bidirectional streaming (gRPC-Web). Slower than the stream, with the same guarantees:
    /// a batch is deleted only after its ack.
    /// </summary>
    internal sealed class UnaryBatchSender : IBatchSender
    {
        private readonly TelemetryService.TelemetryServiceClient _client;
        private readonly FileBatchQueue _queue;
        private readonly TimeSpan _ackTimeout;
        private readonly Action<QueuedBatch, BatchAck> _onAck;

        public UnaryBatchSender(
            TelemetryService.TelemetryServiceClient client,
            FileBatchQueue queue,
            TimeSpan ackTimeout,
            Action<QueuedBatch, BatchAck> onAck)
        {
            _client = client;
            _queue = queue;
            _ackTimeout = ackTimeout;
            _onAck = onAck;
        }

        public async Task SendQueuedAsync(Action sealFullBatches, CancellationToken cancellationToken)
        {
            while (true)
            {
                sealFullBatches();
                IReadOnlyList<QueuedBatch> queued = _queue.Snapshot();
                if (queued.Count == 0)
                {
                    return;
                }

                QueuedBatch batch = queued[0];
                IngestEventsRequest? stored = _queue.Read(batch);
                if (stored == null)
                {
                    continue;
                }

                var request = new LogEventsRequest();
                request.Events.AddRange(stored.Events);
                LogEventsResponse response = await _client.LogEventsAsync(
                    request, deadline: DateTime.UtcNow + _ackTimeout, cancellationToken: cancellationToken)
                    .ResponseAsync.ConfigureAwait(false);
                _queue.Remove(batch);
                _onAck(batch, response.Ack ?? new BatchAck());
            }
        }
    }
}
