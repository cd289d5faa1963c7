using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Slipway.LoadTest.ScaleOut;

/// <summary>
/// <c>slipway server</c> processes on one <see cref="Backend"/> and one artifact folder: one process, or several
/// replicas. Each listens on its own free loopback port; disposing kills them all.
/// </summary>
internal sealed class ReplicaServers : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly List<Process> _processes = [];
    private readonly List<Uri> _addresses = [];

    public IReadOnlyList<Uri> BaseAddresses => _addresses;

    public int Count => _processes.Count;

    public static async Task<ReplicaServers> StartAsync(string executable, Backend backend, int replicas, HttpClient http)
    {
        var servers = new ReplicaServers();
        try
        {
            for (var i = 0; i < replicas; i++)
                servers.Start(executable, backend, i);
            foreach (var address in servers._addresses)
                await WaitReadyAsync(http, address, servers);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>CPU seconds used by every replica so far (user + system, from /proc).</summary>
    public TimeSpan TotalProcessorTime()
    {
        var total = TimeSpan.Zero;
        foreach (var process in _processes)
        {
            process.Refresh();
            total += process.TotalProcessorTime;
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }

    private void Start(string executable, Backend backend, int index)
    {
        var port = FreePort();
        var workingDirectory = Directory.CreateDirectory(Path.Combine(backend.Folder, "replica-" + index.ToString(CultureInfo.InvariantCulture))).FullName;
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "server", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--grpc-port", "0",
                     "--backend-store-uri", backend.Uri, "--artifacts-destination", Path.Combine(backend.Folder, "artifacts"),
                 })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        // Drained, never kept: the benchmark only needs the server to keep running.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        _addresses.Add(new Uri($"http://127.0.0.1:{port}/"));
    }

    private static async Task WaitReadyAsync(HttpClient http, Uri address, ReplicaServers servers)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < ReadyTimeout)
        {
            if (servers._processes.Any(p => p.HasExited))
                throw new InvalidOperationException("a replica exited before it was ready");
            try
            {
                using var response = await http.GetAsync(new Uri(address, "health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"replica {address} not ready within {ReadyTimeout.TotalSeconds:0} s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
