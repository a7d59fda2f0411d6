#nullable enable
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Vitrine.V1;

namespace Vitrine.Client
{
    /// <summary>
    /// The game's one connection to Vitrine: one gRPC channel, the API key on every call,
    /// a <see cref="TelemetryQueue"/> that streams events in the background, and helpers for
    /// recommendations and rewards. Every method is asynchronous; none blocks the caller's thread
    /// on the network. Thread-safe; make one per game and dispose it when the game quits.
    /// </summary>
    public sealed class VitrineClient : IAsyncDisposable, IDisposable
    {
        /// <summary>The metadata header that carries the API key.</summary>
        public const string ApiKeyHeader = "x-api-key";

        private readonly VitrineClientOptions _options;
        private readonly GrpcChannel _channel;
        private readonly RecommendationService.RecommendationServiceClient _recommendations;
        private readonly TelemetryService.TelemetryServiceClient _telemetry;
        private int _disposed;

        /// <summary>Opens the channel (lazily: nothing connects until the first call) and starts the telemetry loop.</summary>
        public VitrineClient(VitrineClientOptions options)
        {
            options.Validate();
            _options = options;
            _channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions
            {
                HttpHandler = options.HttpHandler,
                DisposeHttpClient = true,
            });
            string apiKey = options.ApiKey;
            CallInvoker invoker = _channel.Intercept(metadata =>
            {
                metadata.Add(ApiKeyHeader, apiKey);
                return metadata;
            });
            _recommendations = new RecommendationService.RecommendationServiceClient(invoker);
            _telemetry = new TelemetryService.TelemetryServiceClient(invoker);
            Telemetry = new TelemetryQueue(_telemetry, options);
        }

        /// <summary>The telemetry queue: its counters and its ack notifications.</summary>
        public TelemetryQueue Telemetry { get; }

        /// <summary>The channel, for calling the other services with the same connection.</summary>
        /// <remarks>Calls made on it directly carry no API key; add the <see cref="ApiKeyHeader"/> header.</remarks>
        public GrpcChannel Channel => _channel;

        /// <summary>Queues an event for delivery; returns at once.</summary>
        public void Track(Event telemetryEvent) => Telemetry.Enqueue(telemetryEvent);

        /// <summary>Sends everything tracked so far now; see <see cref="TelemetryQueue.FlushAsync"/>.</summary>
        public Task<bool> FlushAsync(CancellationToken cancellationToken = default) => Telemetry.FlushAsync(cancellationToken);

        /// <summary>Asks what a placement should show a player. Retried on retryable codes.</summary>
        public async Task<Decision> RecommendAsync(RecommendRequest request, CancellationToken cancellationToken = default)
        {
            RecommendResponse response = await CallAsync(
                options => _recommendations.RecommendAsync(request, options), cancellationToken)
                .ConfigureAwait(false);
            return response.Decision;
        }

        /// <summary>Asks what a placement should show a player, with the common fields only.</summary>
        public Task<Decision> RecommendAsync(
            string placementId,
            string playerId,
            string sessionId,
            PlayerContext? context = null,
            CancellationToken cancellationToken = default)
        {
            var request = new RecommendRequest
            {
                PlacementId = placementId,
                PlayerId = playerId,
                SessionId = sessionId,
                Context = context,
            };
            return RecommendAsync(request, cancellationToken);
        }

        /// <summary>Fills many placements of a scene at once. Retried on retryable codes.</summary>
        public async Task<IReadOnlyList<Decision>> RecommendSceneAsync(
            RecommendSceneRequest request, CancellationToken cancellationToken = default)
        {
            RecommendSceneResponse response = await CallAsync(
                options => _recommendations.RecommendSceneAsync(request, options), cancellationToken)
                .ConfigureAwait(false);
            return response.Decisions;
        }

        /// <summary>
        /// Rewards a decision and returns its total reward so far. Retried on retryable codes:
        /// every attempt carries the same reward id (<paramref name="rewardId"/>, or a new one),
        /// so the server adds the reward once. A game that resends a reward later (after a
        /// restart, say) passes the id it used the first time.
        /// </summary>
        public async Task<double> RewardAsync(
            string decisionId, double value, string itemId = "", string? rewardId = null,
            CancellationToken cancellationToken = default)
        {
            var request = new RewardRequest
            {
                DecisionId = decisionId, Value = value, ItemId = itemId, RewardId = rewardId ?? EventBuilder.NewId(),
            };
            RewardResponse response = await CallAsync(
                options => _recommendations.RewardAsync(request, options), cancellationToken).ConfigureAwait(false);
            return response.TotalReward;
        }

        /// <summary>
        /// Sends one batch directly with the unary LogEvents call, bypassing the queue, and returns
        /// its ack. For tools and tests; games should use <see cref="Track"/>. Retried on retryable
        /// codes, which is safe because event ids make the server store each event once.
        /// </summary>
        public async Task<BatchAck> LogEventsAsync(IEnumerable<Event> events, CancellationToken cancellationToken = default)
        {
            var request = new LogEventsRequest();
            request.Events.AddRange(events);
            LogEventsResponse response = await CallAsync(
                options => _telemetry.LogEventsAsync(request, options), cancellationToken)
                .ConfigureAwait(false);
            return response.Ack;
        }

        /// <summary>Stops telemetry (saving what is unsent to disk) and closes the channel.</summary>
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            await Telemetry.DisposeAsync().ConfigureAwait(false);
            _channel.Dispose();
        }

        /// <summary>
        /// Like <see cref="DisposeAsync"/>, but waits on the calling thread for up to
        /// <see cref="VitrineClientOptions.ShutdownTimeout"/>; meant for a game that is quitting.
        /// </summary>
        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

        private async Task<TResponse> CallAsync<TResponse>(
            Func<CallOptions, AsyncUnaryCall<TResponse>> call, CancellationToken cancellationToken)
        {
            var backoff = new ExponentialBackoff(_options.RetryBaseDelay, _options.RetryMaxDelay);
            for (int attempt = 1; ; attempt++)
            {
                var callOptions = new CallOptions(
                    deadline: DateTime.UtcNow + _options.CallTimeout, cancellationToken: cancellationToken);
                try
                {
                    return await call(callOptions).ResponseAsync.ConfigureAwait(false);
                }
                catch (RpcException exception) when (attempt < _options.MaxCallAttempts && RetryableStatus.IsRetryable(exception.StatusCode))
                {
                    TimeSpan delay = backoff.NextDelay();
                    TimeSpan? retryAfter = RetryableStatus.RetryAfter(exception);
                    if (retryAfter.HasValue && retryAfter.Value > delay)
                    {
                        delay = retryAfter.Value;
                    }

                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
