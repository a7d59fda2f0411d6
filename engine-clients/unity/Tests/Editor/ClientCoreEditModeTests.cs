using System;
using System.IO;
using NUnit.Framework;
using Vitrine.Client;

namespace Vitrine.Unity.Editor.Tests
{
    /// <summary>
    /// Smoke tests that the shared core runs inside Unity's scripting runtime (the full suite runs
    /// under dotnet test in engine-clients/dotnet).
    /// </summary>
    public sealed class ClientCoreEditModeTests
    {
        [Test]
        public void The_viewability_rule_holds_in_the_editor()
        {
            Assert.That(Viewability.IsViewable(0.015, 0.5, 54.9, 1000), Is.True);
            Assert.That(Viewability.IsViewable(0.015, 0.5, 55, 1000), Is.False);
        }

        [Test]
        public void The_disk_queue_works_on_the_editors_file_system()
        {
            string directory = Path.Combine(Path.GetTempPath(), "vitrine-editor-test-" + Guid.NewGuid().ToString("N"));
            try
            {
                var builder = new EventBuilder("player", EventBuilder.NewSessionId());
                new FileBatchQueue(directory, 1 << 20, 10).Append(new[] { builder.NewSessionEnded(1000) });

                Assert.That(new FileBatchQueue(directory, 1 << 20, 10).EventCount, Is.EqualTo(1));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
