using Slipway.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slipway.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>slipway server</c> executable as a child process (<c>dotnet slipway.dll server …</c>) on a free
/// loopback port. Disposing kills it if it is still running; its console output is kept for failure messages.
/// </summary>
internal sealed class SlipwayProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(100);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SlipwayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts the server on <paramref name="databasePath"/> and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<SlipwayProcess> StartAsync(string databasePath, string artifactsDestination, TimeSpan readyTimeout)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(databasePath)!,
        };
        foreach (var argument in new[]
                 {
                     RepositoryPaths.SlipwayDll(), "server",
                     "--host", "127.0.0.1",
                     "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--backend-store-uri", "sqlite:///" + databasePath,
                     "--artifacts-destination", artifactsDestination,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var server = new SlipwayProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyTimeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL on Linux: no shutdown hooks, no flushing; what is on disk is what survives.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        catch (OperationCanceledException)
        {
        }
        _process.Dispose();
    }

    private Task WaitUntilReadyAsync(TimeSpan timeout) =>
        ReadinessProbe.WaitAsync(BaseAddress, _process, "slipway", () => Output, timeout, ReadyPollInterval);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary>The host the tests run on (set by the dotnet CLI for child processes), else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
