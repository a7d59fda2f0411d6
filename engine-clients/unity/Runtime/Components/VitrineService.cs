#nullable enable
using System.IO;
using UnityEngine;
using Vitrine.Client;

namespace Vitrine.Unity
{
    /// <summary>
    /// Owns the scene's one <see cref="VitrineClient"/> and the player's session. Put one in the
    /// first scene; it survives scene loads. Pass an HTTP/2-capable handler (see the package README)
    /// through <see cref="HttpHandlerFactory"/> before it wakes, e.g. from a bootstrap script.
    /// </summary>
    [DefaultExecutionOrder(-1000)]
    public sealed class VitrineService : MonoBehaviour
    {
        [Tooltip("https://host:port for TLS, http://host:port for plaintext.")]
        [SerializeField] private string _address = "http://127.0.0.1:50051";

        [Tooltip("A key with the client scope. Prefer loading it from a build-time secret over committing it.")]
        [SerializeField] private string _apiKey = "";

        [Tooltip("The scene id Vitrine knows this Unity scene by.")]
        [SerializeField] private string _sceneId = "downtown-plaza";

        /// <summary>Makes the HTTP handler; null uses the platform default, which has no HTTP/2 in most players.</summary>
        public static System.Func<System.Net.Http.HttpMessageHandler>? HttpHandlerFactory { get; set; }

        /// <summary>The instance alive in the game, if any.</summary>
        public static VitrineService? Instance { get; private set; }

        /// <summary>The client; null before Awake or after the game quits.</summary>
        public VitrineClient? Client { get; private set; }

        /// <summary>Makes the current player's events.</summary>
        public EventBuilder? Events { get; private set; }

        private void Awake()
        {
            if (Instance != null)
            {
                Destroy(gameObject);
                return;
            }

            Instance = this;
            DontDestroyOnLoad(gameObject);
            Client = new VitrineClient(new VitrineClientOptions
            {
                Address = _address,
                ApiKey = _apiKey,
                QueueDirectory = Path.Combine(Application.persistentDataPath, "vitrine-telemetry"),
                HttpHandler = HttpHandlerFactory?.Invoke(),
                Log = message => Debug.LogWarning("[Vitrine] " + message),
            });
            // A stable pseudonymous id; the server hashes it again with the game's salt.
            Events = new EventBuilder(SystemInfo.deviceUniqueIdentifier, EventBuilder.NewSessionId(), _sceneId);
            Client.Track(Events.NewSessionStarted(new V1.SessionStarted
            {
                Platform = PlatformOf(Application.platform),
                Locale = Application.systemLanguage.ToString(),
                AppVersion = Application.version,
            }));
        }

        // Mobile platforms may kill a paused game without another callback: get events onto disk now.
        private void OnApplicationPause(bool paused)
        {
            if (paused)
            {
                Client?.Telemetry.SavePendingToDisk();
            }
        }

        private void OnApplicationQuit()
        {
            if (Client == null || Events == null)
            {
                return;
            }

            Client.Track(Events.NewSessionEnded((long)(Time.realtimeSinceStartupAsDouble * 1000)));
            // Waits at most ShutdownTimeout; whatever is unsent stays on disk for the next launch.
            Client.Dispose();
            Client = null;
        }

        private static V1.Platform PlatformOf(RuntimePlatform platform)
        {
            switch (platform)
            {
                case RuntimePlatform.WindowsPlayer:
                case RuntimePlatform.WindowsEditor:
                    return V1.Platform.Windows;
                case RuntimePlatform.OSXPlayer:
                case RuntimePlatform.OSXEditor:
                    return V1.Platform.Macos;
                case RuntimePlatform.LinuxPlayer:
                case RuntimePlatform.LinuxEditor:
                    return V1.Platform.Linux;
                case RuntimePlatform.IPhonePlayer:
                    return V1.Platform.Ios;
                case RuntimePlatform.Android:
                    return V1.Platform.Android;
                case RuntimePlatform.PS4:
                case RuntimePlatform.PS5:
                    return V1.Platform.Playstation;
                case RuntimePlatform.GameCoreXboxOne:
                case RuntimePlatform.GameCoreXboxSeries:
                    return V1.Platform.Xbox;
                case RuntimePlatform.Switch:
                    return V1.Platform.Switch;
                case RuntimePlatform.WebGLPlayer:
                    return V1.Platform.Web;
                default:
                    return V1.Platform.Unspecified;
            }
        }
    }
}
