#nullable enable
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Status = Grpc.Core.Status;
using Vitrine.V1;

namespace Vitrine.Client
{
    /// <summary>
    /// Sends the disk queue's batches over one <c>TelemetryService.IngestEvents</c> stream, a few
    /// in flight at a time, and deletes each batch only when its ack arrives (the server acks a
    /// batch once it is durable, in the order sent). Every failure surfaces as an
    /// <see cref="RpcException"/> so the caller can decide on retrying by status code.
    /// </summary>
    internal sealed class IngestStreamSender : IBatchSender
    {
        private readonly TelemetryService.TelemetryServiceClient _client;
        private readonly FileBatchQueue _queue;
        private readonly int _maxInFlight;
        private readonly TimeSpan _ackTimeout;
        private readonly Action<QueuedBatch, BatchAck> _onAck;

        public IngestStreamSender(
            TelemetryService.TelemetryServiceClient client,
            FileBatchQueue queue,
            int maxInFlight,
            TimeSpan ackTimeout,
            Action<QueuedBatch, BatchAck> onAck)
        {
            _client = client;
            _queue = queue;
            _maxInFlight = maxInFlight;
            _ackTimeout = ackTimeout;
            _onAck = onAck;
        }

        /// <inheritdoc/>
        /// <remarks>The stream is closed once every ack is in.</remarks>
        public async Task SendQueuedAsync(Action sealFullBatches, CancellationToken cancellationToken)
        {
            using var streamCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var window = new SemaphoreSlim(_maxInFlight);
            using AsyncDuplexStreamingCall<IngestEventsRequest, IngestEventsResponse> call =
                _client.IngestEvents(cancellationToken: streamCancellation.Token);
            var awaitingAck = new Queue<QueuedBatch>();
            Task readAcks = ReadAcksAsync(call.ResponseStream, awaitingAck, window, streamCancellation);
            try
            {
                var sent = new HashSet<ulong>();
                while (true)
                {
                    sealFullBatches();
                    QueuedBatch? next = FirstUnsent(sent);
                    if (next == null)
                    {
                        break;
                    }

                    await window.WaitAsync(streamCancellation.Token).ConfigureAwait(false);
                    sent.Add(next.Id);
                    IngestEventsRequest? request = _queue.Read(next);
                    if (request == null)
                    {
                        window.Release();
                        continue;
                    }

                    lock (awaitingAck)
                    {
                        awaitingAck.Enqueue(next);
                        if (awaitingAck.Count == 1)
                        {
                            streamCancellation.CancelAfter(_ackTimeout);
                        }
                    }

                    await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
                }

                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                await readAcks.ConfigureAwait(false);
            }
            catch (Exception writeError)
            {
                streamCancellation.Cancel();
                Exception? readError = await FailureOf(readAcks).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw AsRpcException(readError, writeError);
            }
        }

        private QueuedBatch? FirstUnsent(HashSet<ulong> sent)
        {
            foreach (QueuedBatch batch in _queue.Snapshot())
            {
                if (!sent.Contains(batch.Id))
                {
                    return batch;
                }
            }

            return null;
        }

        private async Task ReadAcksAsync(
            IAsyncStreamReader<IngestEventsResponse> responses,
            Queue<QueuedBatch> awaitingAck,
            SemaphoreSlim window,
            CancellationTokenSource streamCancellation)
        {
            try
            {
                while (await responses.MoveNext(CancellationToken.None).ConfigureAwait(false))
                {
                    BatchAck ack = responses.Current.Ack ?? new BatchAck();
                    QueuedBatch batch;
                    lock (awaitingAck)
                    {
                        if (awaitingAck.Count == 0)
                        {
                            throw new RpcException(new Status(StatusCode.Internal, "the server acked a batch that was not sent"));
                        }

                        batch = awaitingAck.Dequeue();
                        streamCancellation.CancelAfter(awaitingAck.Count > 0 ? _ackTimeout : Timeout.InfiniteTimeSpan);
                    }

                    if (ack.Sequence != batch.Id)
                    {
                        throw new RpcException(new Status(
                            StatusCode.Internal,
                            "the server acked sequence " + ack.Sequence + " where " + batch.Id + " was expected"));
                    }

                    _queue.Remove(batch);
                    _onAck(batch, ack);
                    window.Release();
                }

                lock (awaitingAck)
                {
                    if (awaitingAck.Count > 0)
                    {
                        throw new RpcException(new Status(
                            StatusCode.Unavailable,
                            "the stream ended with " + awaitingAck.Count + " batches unacknowledged"));
                    }
                }
            }
            catch
            {
                // Unblocks the writer, which may be waiting for a free slot in the window.
                streamCancellation.Cancel();
                throw;
            }
        }

        private static async Task<Exception?> FailureOf(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
                return null;
            }
            catch (Exception exception)
            {
                return exception;
            }
        }

        // Cancelling the stream makes the other half fail with CANCELLED too, so the root cause is
        // whichever failure is not a cancellation; when both are, only the ack timer cancelled it.
        private RpcException AsRpcException(Exception? readError, Exception writeError)
        {
            Exception cause = readError == null || IsCancellation(readError) ? writeError : readError;
            if (IsCancellation(cause))
            {
                return new RpcException(new Status(
                    StatusCode.DeadlineExceeded, "no ack within " + _ackTimeout.TotalMilliseconds + " ms"));
            }

            if (cause is RpcException rpcException)
            {
                return rpcException;
            }

            // Transport failures outside gRPC's own mapping (sockets, TLS) mean the server is unreachable.
            return new RpcException(new Status(StatusCode.Unavailable, cause.Message, cause));
        }

        private static bool IsCancellation(Exception error)
        {
            return error is OperationCanceledException
                || (error is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled);
        }
    }
}
