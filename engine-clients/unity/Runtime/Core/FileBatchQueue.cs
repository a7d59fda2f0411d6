#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Google.Protobuf;
using Vitrine.V1;

namespace Vitrine.Client
{
    /// <summary>
    /// A bounded queue of event batches kept as files in one directory, so telemetry survives
    /// the game going offline or quitting. Each file holds one <see cref="IngestEventsRequest"/>,
    /// exactly what goes on the wire, named <c>{id:D20}-{eventCount}.batch</c> so the queue can be
    /// rebuilt from the directory listing alone. When a new batch would pass the byte or count
    /// bound, the oldest batches are dropped and counted. Thread-safe.
    /// </summary>
    public sealed class FileBatchQueue
    {
        private const string BatchExtension = ".batch";
        private const string PartialExtension = ".partial";

        private readonly object _gate = new object();
        private readonly LinkedList<QueuedBatch> _batches = new LinkedList<QueuedBatch>();
        private readonly string _directory;
        private readonly long _maxBytes;
        private readonly int _maxBatches;
        private ulong _nextId = 1;
        private long _totalBytes;
        private long _droppedBatches;
        private long _droppedEvents;

        /// <summary>Opens the queue in a directory, creating it if needed and picking up the batches already there.</summary>
        /// <param name="directory">The directory; one queue per directory.</param>
        /// <param name="maxBytes">The most the batch files may take together.</param>
        /// <param name="maxBatches">The most batch files kept.</param>
        public FileBatchQueue(string directory, long maxBytes, int maxBatches)
        {
            if (string.IsNullOrEmpty(directory))
            {
                throw new ArgumentException("a queue directory is required", nameof(directory));
            }

            if (maxBytes <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxBytes), "must be positive");
            }

            if (maxBatches <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxBatches), "must be positive");
            }

            _directory = directory;
            _maxBytes = maxBytes;
            _maxBatches = maxBatches;
            Directory.CreateDirectory(directory);
            LoadExistingBatches();
        }

        /// <summary>How many batches wait to be sent.</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _batches.Count;
                }
            }
        }

        /// <summary>How many events the waiting batches hold.</summary>
        public long EventCount
        {
            get
            {
                lock (_gate)
                {
                    long events = 0;
                    foreach (QueuedBatch batch in _batches)
                    {
                        events += batch.EventCount;
                    }

                    return events;
                }
            }
        }

        /// <summary>The bytes the waiting batches take.</summary>
        public long TotalBytes
        {
            get
            {
                lock (_gate)
                {
                    return _totalBytes;
                }
            }
        }

        /// <summary>How many batches were dropped to stay within the bounds since the queue was opened.</summary>
        public long DroppedBatchCount
        {
            get
            {
                lock (_gate)
                {
                    return _droppedBatches;
                }
            }
        }

        /// <summary>How many events those dropped batches held.</summary>
        public long DroppedEventCount
        {
            get
            {
                lock (_gate)
                {
                    return _droppedEvents;
                }
            }
        }

        /// <summary>
        /// Writes a batch to disk and queues it behind the others, dropping the oldest batches
        /// if the bounds require it. Returns null when the batch alone is larger than the
        /// whole queue may be, in which case it is counted as dropped.
        /// </summary>
        public QueuedBatch? Append(IReadOnlyCollection<Event> events)
        {
            if (events.Count == 0)
            {
                throw new ArgumentException("a batch holds at least one event", nameof(events));
            }

            lock (_gate)
            {
                ulong id = _nextId++;
                var request = new IngestEventsRequest { Sequence = id };
                request.Events.AddRange(events);
                byte[] bytes = request.ToByteArray();
                if (bytes.Length > _maxBytes)
                {
                    _droppedBatches++;
                    _droppedEvents += events.Count;
                    return null;
                }

                while (_batches.Count > 0
                    && (_batches.Count + 1 > _maxBatches || _totalBytes + bytes.Length > _maxBytes))
                {
                    QueuedBatch oldest = _batches.First!.Value;
                    RemoveLocked(oldest);
                    _droppedBatches++;
                    _droppedEvents += oldest.EventCount;
                }

                string path = Path.Combine(_directory, FileNameFor(id, events.Count));
                WriteDurably(path, bytes);
                var batch = new QueuedBatch(id, events.Count, bytes.Length, path);
                _batches.AddLast(batch);
                _totalBytes += bytes.Length;
                return batch;
            }
        }

        /// <summary>The waiting batches, oldest first.</summary>
        public IReadOnlyList<QueuedBatch> Snapshot()
        {
            lock (_gate)
            {
                return new List<QueuedBatch>(_batches);
            }
        }

        /// <summary>
        /// Reads a batch's request. Returns null when its file is gone (dropped meanwhile) or
        /// unreadable (cut short by a crash), in which case it leaves the queue.
        /// </summary>
        public IngestEventsRequest? Read(QueuedBatch batch)
        {
            try
            {
                byte[] bytes = File.ReadAllBytes(batch.Path);
                return IngestEventsRequest.Parser.ParseFrom(bytes);
            }
            catch (Exception exception) when (exception is IOException || exception is InvalidProtocolBufferException)
            {
                lock (_gate)
                {
                    if (RemoveLocked(batch))
                    {
                        _droppedBatches++;
                        _droppedEvents += batch.EventCount;
                    }
                }

                return null;
            }
        }

        /// <summary>Deletes a batch that the server acknowledged. Removing one already gone does nothing.</summary>
        public void Remove(QueuedBatch batch)
        {
            lock (_gate)
            {
                RemoveLocked(batch);
            }
        }

        private static string FileNameFor(ulong id, int eventCount)
        {
            return id.ToString("D20", CultureInfo.InvariantCulture) + "-"
                + eventCount.ToString(CultureInfo.InvariantCulture) + BatchExtension;
        }

        private static bool TryParseFileName(string fileName, out ulong id, out int eventCount)
        {
            id = 0;
            eventCount = 0;
            string stem = Path.GetFileNameWithoutExtension(fileName);
            int dash = stem.IndexOf('-');
            return dash > 0
                && ulong.TryParse(stem.Substring(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out id)
                && int.TryParse(stem.Substring(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out eventCount);
        }

        // Written aside then renamed, so a crash mid-write leaves a partial file, never a torn batch.
        private static void WriteDurably(string path, byte[] bytes)
        {
            string partialPath = path + PartialExtension;
            using (var stream = new FileStream(partialPath, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            File.Move(partialPath, path);
        }

        private void LoadExistingBatches()
        {
            foreach (string partial in Directory.GetFiles(_directory, "*" + PartialExtension))
            {
                File.Delete(partial);
            }

            var found = new List<QueuedBatch>();
            foreach (string path in Directory.GetFiles(_directory, "*" + BatchExtension))
            {
                if (TryParseFileName(Path.GetFileName(path), out ulong id, out int eventCount))
                {
                    found.Add(new QueuedBatch(id, eventCount, new FileInfo(path).Length, path));
                }
            }

            found.Sort((left, right) => left.Id.CompareTo(right.Id));
            foreach (QueuedBatch batch in found)
            {
                _batches.AddLast(batch);
                _totalBytes += batch.SizeBytes;
                _nextId = batch.Id + 1;
            }

            // The bounds may have shrunk since the files were written.
            while (_batches.Count > _maxBatches || _totalBytes > _maxBytes)
            {
                QueuedBatch oldest = _batches.First!.Value;
                RemoveLocked(oldest);
                _droppedBatches++;
                _droppedEvents += oldest.EventCount;
            }
        }

        private bool RemoveLocked(QueuedBatch batch)
        {
            LinkedListNode<QueuedBatch>? node = _batches.First;
            while (node != null && node.Value.Id != batch.Id)
            {
                node = node.Next;
            }

            if (node == null)
            {
                return false;
            }

            _batches.Remove(node);
            _totalBytes -= node.Value.SizeBytes;
            try
            {
                File.Delete(node.Value.Path);
            }
            catch (IOException)
            {
                // Left behind, it would be resent after a restart and acked as duplicates: harmless.
            }

            return true;
        }
    }
}
