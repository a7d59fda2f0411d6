#nullable enable
using System;
using System.IO;
using System.Net.Http;

namespace Vitrine.Client
{
    /// <summary>How a <see cref="VitrineClient"/> connects, batches and retries.</summary>
    public sealed class VitrineClientOptions
    {
        /// <summary>The most events the server takes in one batch.</summary>
        public const int ServerMaxBatchEvents = 1000;

        /// <summary>The server's address: <c>https://host:port</c> for TLS, <c>http://host:port</c> for plaintext.</summary>
        public string Address { get; set; } = "";

        /// <summary>The game's API key with the <c>client</c> scope, sent as the <c>x-api-key</c> header.</summary>
        public string ApiKey { get; set; } = "";

        /// <summary>
        /// Where unsent telemetry batches are kept. In Unity use a folder under
        /// <c>Application.persistentDataPath</c>; one client per folder.
        /// </summary>
        public string QueueDirectory { get; set; } =
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Vitrine", "telemetry");

        /// <summary>A batch is sealed when it reaches this many events, 1..1000.</summary>
        public int MaxBatchEvents { get; set; } = 500;

        /// <summary>Events waiting this long are sealed into a batch and sent even if it is not full.</summary>
        public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(8);

        /// <summary>The most disk the unsent batches may take; past it the oldest are dropped.</summary>
        public long MaxQueueBytes { get; set; } = 16L * 1024 * 1024;

        /// <summary>The most unsent batches kept on disk; past it the oldest are dropped.</summary>
        public int MaxQueueBatches { get; set; } = 1000;

        /// <summary>How many batches may be sent before their acks arrive.</summary>
        public int MaxInFlightBatches { get; set; } = 4;

        /// <summary>
        /// Sends telemetry with unary LogEvents calls instead of the IngestEvents stream; needed over
        /// gRPC-Web, which has no bidirectional streaming.
        /// </summary>
        public bool UseUnaryTelemetry { get; set; }

        /// <summary>How long a sent batch may wait for its ack before the stream is given up as dead.</summary>
        public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>The deadline of each unary call (Recommend, Reward, LogEvents).</summary>
        public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>How many times an idempotent unary call is tried when it fails with a retryable code.</summary>
        public int MaxCallAttempts { get; set; } = 3;

        /// <summary>The ceiling of the first retry delay; it doubles with each failure.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>The largest retry delay.</summary>
        public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How long disposing the client may spend sending what is queued before it gives up (it stays on disk).</summary>
        public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>
        /// The HTTP handler that carries the calls. Unity's own stack has no HTTP/2: pass Cysharp's
        /// <c>YetAnotherHttpHandler</c>, or a <c>GrpcWebHandler</c> for gRPC-Web behind a proxy.
        /// Null uses the platform's default handler. The client disposes it.
        /// </summary>
        public HttpMessageHandler? HttpHandler { get; set; }

        /// <summary>Receives short diagnostics (failed sends, rejected events); called from background threads.</summary>
        public Action<string>? Log { get; set; }

        internal void Validate()
        {
            if (!Uri.TryCreate(Address, UriKind.Absolute, out Uri? uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException("Address must be an absolute http:// or https:// URI, got '" + Address + "'");
            }

            if (string.IsNullOrEmpty(ApiKey))
            {
                throw new ArgumentException("ApiKey is required");
            }

            if (string.IsNullOrEmpty(QueueDirectory))
            {
                throw new ArgumentException("QueueDirectory is required");
            }

            RequireInRange(MaxBatchEvents, 1, ServerMaxBatchEvents, nameof(MaxBatchEvents));
            RequireInRange(MaxQueueBatches, 1, int.MaxValue, nameof(MaxQueueBatches));
            RequireInRange(MaxInFlightBatches, 1, 64, nameof(MaxInFlightBatches));
            RequireInRange(MaxCallAttempts, 1, 10, nameof(MaxCallAttempts));
            RequirePositive(FlushInterval, nameof(FlushInterval));
            RequirePositive(AckTimeout, nameof(AckTimeout));
            RequirePositive(CallTimeout, nameof(CallTimeout));
            RequirePositive(RetryBaseDelay, nameof(RetryBaseDelay));
            if (MaxQueueBytes <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxQueueBytes), "must be positive");
            }

            if (RetryMaxDelay < RetryBaseDelay)
            {
                throw new ArgumentOutOfRangeException(nameof(RetryMaxDelay), "must be at least RetryBaseDelay");
            }

            if (ShutdownTimeout < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), "must not be negative");
            }
        }

        private static void RequireInRange(int value, int min, int max, string name)
        {
            if (value < min || value > max)
            {
                throw new ArgumentOutOfRangeException(name, value, "must be in " + min + ".." + max);
            }
        }

        private static void RequirePositive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, "must be positive");
            }
        }
    }
}
