using System.Globalization;
using System.Text.Json;

namespace Vitrine.Headless;

/// <summary>What a headless run does: from a JSON script file, then overridden by command-line flags.</summary>
public sealed class HeadlessOptions
{
    public const string Usage = """
        Usage: Vitrine.Headless --address URL --api-key KEY [options]
          --address URL            the server, e.g. http://127.0.0.1:50051 (https:// for TLS)
          --api-key KEY            a key with the client scope
          --players N              players to simulate, concurrently (default 10)
          --events-per-player N    telemetry events per player, at least 2 (default 20)
          --scene ID               the scene they play in (default downtown-plaza)
          --queue-dir DIR          the telemetry queue directory (default: a fresh temp dir)
          --resend-duplicates      send every event a second time; the server must count them as duplicates
          --script FILE            a JSON file with any of the fields above in camelCase
                                   (address, apiKey, players, eventsPerPlayer, sceneId, queueDir, resendDuplicates);
                                   flags given too override it
        """;

    private static readonly JsonSerializerOptions ScriptJson = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public string Address { get; set; } = "";

    public string ApiKey { get; set; } = "";

    public int Players { get; set; } = 10;

    public int EventsPerPlayer { get; set; } = 20;

    public string SceneId { get; set; } = "downtown-plaza";

    public string QueueDir { get; set; } = "";

    public bool ResendDuplicates { get; set; }

    /// <summary>Reads the flags (and the script file they name); throws <see cref="ArgumentException"/> on bad input.</summary>
    public static HeadlessOptions Parse(IReadOnlyList<string> args)
    {
        int scriptIndex = IndexOf(args, "--script");
        HeadlessOptions options = scriptIndex >= 0
            ? FromScript(ValueAfter(args, scriptIndex))
            : new HeadlessOptions();

        for (int index = 0; index < args.Count; index++)
        {
            switch (args[index])
            {
                case "--script":
                    index++;
                    break;
                case "--address":
                    options.Address = ValueAfter(args, index++);
                    break;
                case "--api-key":
                    options.ApiKey = ValueAfter(args, index++);
                    break;
                case "--players":
                    options.Players = IntAfter(args, index++);
                    break;
                case "--events-per-player":
                    options.EventsPerPlayer = IntAfter(args, index++);
                    break;
                case "--scene":
                    options.SceneId = ValueAfter(args, index++);
                    break;
                case "--queue-dir":
                    options.QueueDir = ValueAfter(args, index++);
                    break;
                case "--resend-duplicates":
                    options.ResendDuplicates = true;
                    break;
                default:
                    throw new ArgumentException("unknown flag " + args[index]);
            }
        }

        options.Validate();
        return options;
    }

    private static HeadlessOptions FromScript(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<HeadlessOptions>(File.ReadAllText(path), ScriptJson)
                ?? throw new ArgumentException("the script " + path + " is empty");
        }
        catch (Exception error) when (error is IOException or JsonException)
        {
            throw new ArgumentException("cannot read the script " + path + ": " + error.Message, error);
        }
    }

    private void Validate()
    {
        if (string.IsNullOrEmpty(Address))
        {
            throw new ArgumentException("--address is required");
        }

        if (string.IsNullOrEmpty(ApiKey))
        {
            throw new ArgumentException("--api-key is required");
        }

        if (Players < 1)
        {
            throw new ArgumentException("--players must be at least 1");
        }

        if (EventsPerPlayer < 2)
        {
            throw new ArgumentException("--events-per-player must be at least 2 (a session start and end)");
        }
    }

    private static int IndexOf(IReadOnlyList<string> args, string flag)
    {
        for (int index = 0; index < args.Count; index++)
        {
            if (args[index] == flag)
            {
                return index;
            }
        }

        return -1;
    }

    private static string ValueAfter(IReadOnlyList<string> args, int flagIndex)
    {
        if (flagIndex + 1 >= args.Count)
        {
            throw new ArgumentException(args[flagIndex] + " needs a value");
        }

        return args[flagIndex + 1];
    }

    private static int IntAfter(IReadOnlyList<string> args, int flagIndex)
    {
        string value = ValueAfter(args, flagIndex);
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number))
        {
            throw new ArgumentException(args[flagIndex] + " needs a whole number, got " + value);
        }

        return number;
    }
}
