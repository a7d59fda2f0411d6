using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Vitrine.Client.Tests.Integration;

/// <summary>
/// A real Vitrine server run as a child process (<c>node bin/vitrine.js serve</c>) on a loopback
/// port, with its SQLite database in a directory the test owns.
/// </summary>
public sealed class VitrineServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private VitrineServerProcess(Process process, string databasePath)
    {
        _process = process;
        DatabasePath = databasePath;
    }

    public string DatabasePath { get; }

    public int Port { get; private set; }

    public string Address => "http://127.0.0.1:" + Port;

    /// <summary>
    /// Starts a server on a database file and waits for its "listening" log line and, on a new
    /// database, for the demo world to be seeded (the server seeds it after it starts listening).
    /// </summary>
    /// <param name="port">0 for an ephemeral port, or a port to take again after a restart.</param>
    public static async Task<VitrineServerProcess> StartAsync(string databasePath, int port = 0)
    {
        bool seedsDemoWorld = !File.Exists(databasePath);
        Process process = Node(databasePath, "serve");
        process.StartInfo.Environment["VITRINE_LISTEN_ADDRESS"] = "127.0.0.1:" + port;
        var server = new VitrineServerProcess(process, databasePath);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) => server.OnOutput(line.Data, listening, seeded);
        process.ErrorDataReceived += (_, line) => server.Record(line.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            var exited = new InvalidOperationException("the server exited while starting:\n" + server.Output);
            listening.TrySetException(exited);
            seeded.TrySetException(exited);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Task ready = seedsDemoWorld ? Task.WhenAll(listening.Task, seeded.Task) : listening.Task;
        if (await Task.WhenAny(ready, Task.Delay(StartTimeout)) != ready)
        {
            await server.DisposeAsync();
            throw new TimeoutException("the server was not ready within " + StartTimeout + ":\n" + server.Output);
        }

        await ready;
        server.Port = await listening.Task;
        return server;
    }

    /// <summary>Creates an API key for the demo game with every scope, through the CLI.</summary>
    public static async Task<string> CreateKeyAsync(string databasePath)
    {
        using Process process = Node(databasePath, "keys", "create", "--game", "demo", "--scopes", "client,designer,admin");
        process.Start();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        string[] lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException("keys create failed (" + process.ExitCode + "):\n" + await stderr);
        }

        return lines[^1];
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash or a power cut would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the server to shut down gracefully (SIGTERM) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, SigTerm);
            Task exited = _process.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(15))) != exited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static Process Node(string databasePath, params string[] arguments)
    {
        if (!File.Exists(Path.Combine(RepoPaths.Root, "bin", "vitrine.js")))
        {
            throw new InvalidOperationException("no server at " + Path.Combine(RepoPaths.Root, "bin", "vitrine.js"));
        }

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine("bin", "vitrine.js"));
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["VITRINE_DATABASE_PATH"] = databasePath;
        return new Process { StartInfo = startInfo };
    }

    private void OnOutput(string? line, TaskCompletionSource<int> listening, TaskCompletionSource seeded)
    {
        Record(line);
        if (line == null || !line.StartsWith('{'))
        {
            return;
        }

        using JsonDocument log = JsonDocument.Parse(line);
        string? message = log.RootElement.TryGetProperty("msg", out JsonElement msg) ? msg.GetString() : null;
        if (message == "listening" && log.RootElement.TryGetProperty("address", out JsonElement address))
        {
            string text = address.GetString() ?? "";
            listening.TrySetResult(int.Parse(text[(text.LastIndexOf(':') + 1)..]));
        }
        else if (message == "seeded demo game")
        {
            seeded.TrySetResult();
        }
    }

    private void Record(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
