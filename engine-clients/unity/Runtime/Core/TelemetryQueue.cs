#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Status = Grpc.Core.Status;
using Vitrine.V1;

namespace Vitrine.Client
{
    /// <summary>
    /// Batches tracked events and delivers them without ever blocking the caller. Events wait in
    /// memory until a batch is full (<see cref="VitrineClientOptions.MaxBatchEvents"/>) or
    /// <see cref="VitrineClientOptions.FlushInterval"/> passes, then are sealed into a batch file
    /// on disk, then sent over the IngestEvents stream by one background loop. A batch file is
    /// deleted only after the server's ack, so a crash, a quit or a lost network loses nothing
    /// that reached the disk. Failed sends are retried with exponential backoff and full jitter
    /// when their status code is retryable; other codes halt sending until the next
    /// <see cref="FlushAsync"/>, while events keep queueing to disk.
    /// </summary>
    public sealed class TelemetryQueue : IAsyncDisposable
    {
        // The loop wakes at least this often even with nothing to do, so a clock change cannot strand it.
        private static readonly TimeSpan LongestIdleWait = TimeSpan.FromMinutes(1);

        private readonly VitrineClientOptions _options;
        private readonly FileBatchQueue _disk;
        private readonly IBatchSender _sender;
        private readonly ExponentialBackoff _backoff;
        private readonly object _pendingGate = new object();
        private readonly object _statsGate = new object();
        private readonly SemaphoreSlim _wake = new SemaphoreSlim(0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly List<TaskCompletionSource<bool>> _flushWaiters = new List<TaskCompletionSource<bool>>();
        private readonly TelemetryStats _counters = new TelemetryStats();
        private readonly Task _loop;
        private List<Event> _pending = new List<Event>();
        private long _unwritableBatches;
        private long _unwritableEvents;
        private bool _disposed;

        // Touched by the loop only.
        private DateTime _nextSendAllowedUtc = DateTime.MinValue;
        private bool _halted;

        internal TelemetryQueue(TelemetryService.TelemetryServiceClient client, VitrineClientOptions options)
        {
            _options = options;
            _disk = new FileBatchQueue(options.QueueDirectory, options.MaxQueueBytes, options.MaxQueueBatches);
            _sender = options.UseUnaryTelemetry
                ? new UnaryBatchSender(client, _disk, options.AckTimeout, OnAck)
                : new IngestStreamSender(client, _disk, options.MaxInFlightBatches, options.AckTimeout, OnAck);
            _backoff = new ExponentialBackoff(options.RetryBaseDelay, options.RetryMaxDelay);
            _loop = Task.Run(RunAsync);
        }

        /// <summary>
        /// Raised on a background thread for each batch the server acknowledged. Handlers must be
        /// quick and must not touch engine objects directly (marshal to the main thread).
        /// </summary>
        public event Action<BatchAck>? BatchAcknowledged;

        /// <summary>A snapshot of the counters.</summary>
        public TelemetryStats Stats
        {
            get
            {
                var stats = new TelemetryStats
                {
                    QueuedBatches = _disk.Count,
                    QueuedEvents = _disk.EventCount,
                };
                lock (_pendingGate)
                {
                    stats.PendingEvents = _pending.Count;
                }

                lock (_statsGate)
                {
                    stats.AcknowledgedBatches = _counters.AcknowledgedBatches;
                    stats.AcceptedEvents = _counters.AcceptedEvents;
                    stats.DuplicateEvents = _counters.DuplicateEvents;
                    stats.RejectedEvents = _counters.RejectedEvents;
                    stats.FailedSends = _counters.FailedSends;
                    stats.LastError = _counters.LastError;
                    stats.IsHalted = _counters.IsHalted;
                    stats.DroppedBatches = _disk.DroppedBatchCount + _unwritableBatches;
                    stats.DroppedEvents = _disk.DroppedEventCount + _unwritableEvents;
                }

                return stats;
            }
        }

        /// <summary>Adds an event to the next batch. Never blocks on the network or the disk.</summary>
        public void Enqueue(Event telemetryEvent)
        {
            if (telemetryEvent == null)
            {
                throw new ArgumentNullException(nameof(telemetryEvent));
            }

            if (string.IsNullOrEmpty(telemetryEvent.EventId))
            {
                throw new ArgumentException("the event needs an event_id; make events with EventBuilder", nameof(telemetryEvent));
            }

            bool batchFull;
            lock (_pendingGate)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(TelemetryQueue));
                }

                _pending.Add(telemetryEvent);
                batchFull = _pending.Count == _options.MaxBatchEvents;
            }

            if (batchFull)
            {
                _wake.Release();
            }
        }

        /// <summary>
        /// Seals the events tracked so far into batches and sends everything queued now, ignoring
        /// any backoff in progress and lifting a halt. Completes with true when the disk queue is
        /// empty afterwards, false when sending failed (the batches stay on disk for later).
        /// </summary>
        public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
        {
            var flushed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_pendingGate)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(TelemetryQueue));
                }

                _flushWaiters.Add(flushed);
            }

            _wake.Release();
            using (cancellationToken.Register(() => flushed.TrySetCanceled(cancellationToken)))
            {
                return await flushed.Task.ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Writes every event still in memory to the disk queue, on the caller's thread. Call it
        /// when the game may be killed without warning (Unity's <c>OnApplicationPause(true)</c>).
        /// </summary>
        public void SavePendingToDisk() => SealPending(onlyFullBatches: false);

        /// <summary>
        /// Stops the background loop: everything in memory goes to disk, then one last send is
        /// tried for at most <see cref="VitrineClientOptions.ShutdownTimeout"/>. What is not
        /// acknowledged by then stays on disk for the next client on the same directory.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            lock (_pendingGate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
            }

            _stop.Cancel();
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
            _wake.Dispose();
        }

        private async Task RunAsync()
        {
            DateTime nextSealUtc = DateTime.UtcNow + _options.FlushInterval;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await _wake.WaitAsync(TimeUntilNextWork(nextSealUtc), _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                List<TaskCompletionSource<bool>> flushWaiters = TakeFlushWaiters();
                bool flushRequested = flushWaiters.Count > 0;
                if (flushRequested || DateTime.UtcNow >= nextSealUtc)
                {
                    SealPending(onlyFullBatches: false);
                    nextSealUtc = DateTime.UtcNow + _options.FlushInterval;
                }
                else
                {
                    SealPending(onlyFullBatches: true);
                }

                if (flushRequested)
                {
                    SetHalted(false);
                }

                bool sendAllowed = flushRequested || (!_halted && DateTime.UtcNow >= _nextSendAllowedUtc);
                bool delivered = true;
                if (sendAllowed && _disk.Count > 0)
                {
                    delivered = await TrySendQueuedAsync(_stop.Token).ConfigureAwait(false);
                }

                bool drained = delivered && _disk.Count == 0;
                foreach (TaskCompletionSource<bool> waiter in flushWaiters)
                {
                    waiter.TrySetResult(drained);
                }
            }

            await ShutDownAsync().ConfigureAwait(false);
        }

        private async Task ShutDownAsync()
        {
            SealPending(onlyFullBatches: false);
            bool drained = _disk.Count == 0;
            if (!drained && !_halted && _options.ShutdownTimeout > TimeSpan.Zero)
            {
                using var deadline = new CancellationTokenSource(_options.ShutdownTimeout);
                drained = await TrySendQueuedAsync(deadline.Token).ConfigureAwait(false) && _disk.Count == 0;
            }

            foreach (TaskCompletionSource<bool> waiter in TakeFlushWaiters())
            {
                waiter.TrySetResult(drained);
            }
        }

        private TimeSpan TimeUntilNextWork(DateTime nextSealUtc)
        {
            DateTime due = nextSealUtc;
            if (!_halted && _nextSendAllowedUtc < due && _disk.Count > 0)
            {
                due = _nextSendAllowedUtc;
            }

            TimeSpan wait = due - DateTime.UtcNow;
            if (wait < TimeSpan.Zero)
            {
                return TimeSpan.Zero;
            }

            return wait < LongestIdleWait ? wait : LongestIdleWait;
        }

        private List<TaskCompletionSource<bool>> TakeFlushWaiters()
        {
            lock (_pendingGate)
            {
                var waiters = new List<TaskCompletionSource<bool>>(_flushWaiters);
                _flushWaiters.Clear();
                return waiters;
            }
        }

        private void SealPending(bool onlyFullBatches)
        {
            List<Event> toSeal;
            lock (_pendingGate)
            {
                if (_pending.Count == 0 || (onlyFullBatches && _pending.Count < _options.MaxBatchEvents))
                {
                    return;
                }

                // Between flushes only whole batches leave; the remainder waits for more events.
                int count = onlyFullBatches ? _pending.Count - _pending.Count % _options.MaxBatchEvents : _pending.Count;
                toSeal = _pending.GetRange(0, count);
                _pending.RemoveRange(0, count);
            }

            for (int start = 0; start < toSeal.Count; start += _options.MaxBatchEvents)
            {
                List<Event> chunk = toSeal.GetRange(start, Math.Min(_options.MaxBatchEvents, toSeal.Count - start));
                try
                {
                    _disk.Append(chunk);
                }
                catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
                {
                    lock (_statsGate)
                    {
                        _unwritableBatches++;
                        _unwritableEvents += chunk.Count;
                    }

                    Log("could not write a telemetry batch of " + chunk.Count + " events to disk: " + exception.Message);
                }
            }
        }

        private async Task<bool> TrySendQueuedAsync(CancellationToken cancellationToken)
        {
            try
            {
                await _sender.SendQueuedAsync(() => SealPending(onlyFullBatches: true), cancellationToken).ConfigureAwait(false);
                _backoff.Reset();
                _nextSendAllowedUtc = DateTime.MinValue;
                lock (_statsGate)
                {
                    _counters.LastError = null;
                }

                return true;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down, or the shutdown drain ran out of time: not a failure of the server.
                return false;
            }
            catch (RpcException exception)
            {
                return RecordFailure(exception);
            }
            catch (Exception unexpected)
            {
                // The loop must survive anything; an unforeseen failure is treated like a lost network.
                return RecordFailure(new RpcException(new Status(StatusCode.Unavailable, unexpected.Message, unexpected)));
            }
        }

        private bool RecordFailure(RpcException exception)
        {
            lock (_statsGate)
            {
                _counters.FailedSends++;
                _counters.LastError = exception.Status;
            }

            if (RetryableStatus.IsRetryable(exception.StatusCode))
            {
                TimeSpan delay = _backoff.NextDelay();
                TimeSpan? retryAfter = RetryableStatus.RetryAfter(exception);
                if (retryAfter.HasValue && retryAfter.Value > delay)
                {
                    delay = retryAfter.Value;
                }

                _nextSendAllowedUtc = DateTime.UtcNow + delay;
                Log("telemetry send failed (" + exception.StatusCode + "), retrying in "
                    + (long)delay.TotalMilliseconds + " ms: " + exception.Status.Detail);
            }
            else
            {
                SetHalted(true);
                Log("telemetry send failed (" + exception.StatusCode + "), halted until the next flush: "
                    + exception.Status.Detail);
            }

            return false;
        }

        private void SetHalted(bool halted)
        {
            _halted = halted;
            lock (_statsGate)
            {
                _counters.IsHalted = halted;
            }
        }

        private void OnAck(QueuedBatch batch, BatchAck ack)
        {
            lock (_statsGate)
            {
                _counters.AcknowledgedBatches++;
                _counters.AcceptedEvents += ack.AcceptedCount;
                _counters.DuplicateEvents += ack.DuplicateCount;
                _counters.RejectedEvents += ack.Rejected.Count;
            }

            foreach (RejectedEvent rejected in ack.Rejected)
            {
                Log("event " + rejected.EventId + " of batch " + batch.Id + " rejected (" + rejected.Reason + ", "
                    + rejected.Field + "): " + rejected.Message);
            }

            try
            {
                BatchAcknowledged?.Invoke(ack);
            }
            catch (Exception exception)
            {
                Log("a BatchAcknowledged handler threw: " + exception.Message);
            }
        }

        private void Log(string message) => _options.Log?.Invoke(message);
    }
}
