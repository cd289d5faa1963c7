using Slipway.Testing;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slipway.Replicas.Tests.Infrastructure;

/// <summary>
/// One replica: the real <c>slipway server</c> executable (<c>dotnet slipway.dll server …</c>) on a free loopback port,
/// with its working directory (model cache) under a temp folder and settings given as <c>Slipway__…</c> environment
/// variables. Disposing kills it; its console output is kept for failure messages.
/// </summary>
internal sealed class ReplicaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ReplicaProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client of this replica only.</summary>
    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts the process; call <see cref="WaitUntilReadyAsync"/> before using it.</summary>
    public static ReplicaProcess Start(string name, string backendStoreUri, string artifacts, string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        Directory.CreateDirectory(workingDirectory);
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in new[]
                 {
                     SlipwayDll(), "server",
                     "--host", "127.0.0.1",
                     "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--grpc-port", "0",
                     "--backend-store-uri", backendStoreUri,
                     "--artifacts-destination", artifacts,
                 })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var replica = new ReplicaProcess(name, process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => replica.Append(e.Data);
        process.ErrorDataReceived += (_, e) => replica.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return replica;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (migrations applied, listening).</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout) =>
        ReadinessProbe.WaitAsync(BaseAddress, _process, $"replica {Name}", () => Output, timeout);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
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

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary><c>slipway.dll</c>, copied next to the tests by the project reference to Slipway.Cli.</summary>
    private static string SlipwayDll()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "slipway.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"slipway.dll is not beside the tests ({path}); build the test project.");
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
