#nullable enable
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Vitrine.Client
{
    /// <summary>Delivers the disk queue's batches to the server, deleting each once acknowledged.</summary>
    internal interface IBatchSender
    {
        /// <summary>
        /// Sends queued batches until none is left unsent. <paramref name="sealFullBatches"/> runs
        /// before each batch so that events tracked meanwhile go out in the same pass. Every
        /// failure surfaces as an <see cref="Grpc.Core.RpcException"/>.
        /// </summary>
        Task SendQueuedAsync(Action sealFullBatches, CancellationToken cancellationToken);
    }
}
