using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Slipway.LoadTest;

/// <summary>
/// The real <c>slipway server</c> as a child process on a fresh temporary folder (SQLite database and artifacts),
/// listening on 127.0.0.1 only. Start-up is timed from process start to the first 200 from <c>/health/ready</c>.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly Queue<string> _lastLines = new();
    private readonly StreamWriter? _log;

    private ServerProcess(Process process, DirectoryInfo folder, Uri baseAddress, bool keepData)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
        _log = keepData ? new StreamWriter(Path.Combine(folder.FullName, "server.log")) : null;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    /// <summary>The server's artifact folder (<c>--artifacts-destination</c>), for scenarios that lay out data directly.</summary>
    public string ArtifactRoot => Path.Combine(_folder.FullName, "art");

    public TimeSpan StartupTime { get; private set; }

    /// <param name="keepData">Keep the folder on dispose, with the server's console output in <c>server.log</c>.</param>
    /// <param name="environment">Extra environment variables for the server process.</param>
    public static async Task<ServerProcess> StartAsync(string executable, HttpClient http, TimeSpan readyTimeout, bool keepData,
        IReadOnlyDictionary<string, string> environment)
    {
        var folder = Directory.CreateTempSubdirectory("slipway-bench-");
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = folder.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        foreach (var arg in new[]
                 {
                     "server", "--host", "127.0.0.1", "--port", port.ToString(),
                     "--backend-store-uri", "sqlite:///" + Path.Combine(folder.FullName, "db"),
                     "--artifacts-destination", Path.Combine(folder.FullName, "art"),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var server = new ServerProcess(process, folder, new Uri($"http://127.0.0.1:{port}/"), keepData);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var ready = new Uri(server.BaseAddress, "health/ready");
        while (true)
        {
            if (process.HasExited)
            {
                var message = $"server exited with code {process.ExitCode} before it was ready:\n{server.LastLines()}";
                await server.DisposeAsync();
                throw new InvalidOperationException(message);
            }
            if (Stopwatch.GetElapsedTime(started) > readyTimeout)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"server not ready within {readyTimeout.TotalSeconds:0} s:\n{server.LastLines()}");
            }
            try
            {
                using var response = await http.GetAsync(ready);
                if (response.StatusCode == HttpStatusCode.OK)
                    break;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(5);
        }
        server.StartupTime = Stopwatch.GetElapsedTime(started);
        return server;
    }

    /// <summary>VmRSS and VmHWM (peak) of the server process, in MiB, from <c>/proc/PID/status</c>.</summary>
    public (double Rss, double Peak) Memory()
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = KibToMib(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = KibToMib(line);
        }
        return (rss, peak);
    }

    /// <summary>User + system CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public string LastLines()
    {
        lock (_lastLines)
            return string.Join('\n', _lastLines);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        if (_log is not null)
        {
            lock (_lastLines)
                _log.Dispose();
            Console.WriteLine($"  kept {_folder.FullName}");
            return;
        }
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
            return;
        lock (_lastLines)
        {
            _log?.WriteLine(line);
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
                _lastLines.Dequeue();
        }
    }

    private static double KibToMib(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
