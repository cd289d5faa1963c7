using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Slipway.Testing;

namespace Slipway.Security.Tests.Hardening;

/// <summary>
/// The real <c>slipway server</c> as a child process (<c>dotnet slipway.dll server …</c>) on a free loopback port, with
/// everything it writes to its console kept: the log scan reads exactly what an operator's log collector would get.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts the server with <paramref name="arguments"/> after the usual ones and <paramref name="environment"/>
    /// set, and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "slipway-hardening-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var port = LocalPorts.Free();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        string[] standard =
        [
            Path.Combine(AppContext.BaseDirectory, "slipway.dll"), "server",
            "--host", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--grpc-port", "0",
            "--backend-store-uri", "sqlite:///" + Path.Combine(dataDirectory, "slipway.db"),
            "--artifacts-destination", Path.Combine(dataDirectory, "artifacts"),
        ];
        foreach (var argument in standard.Concat(arguments))
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), dataDirectory);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server and waits for it, so that every line it logged has been read.</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        return Output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task WaitUntilReadyAsync(TimeSpan timeout) =>
        ReadinessProbe.WaitAsync(BaseAddress, _process, "slipway", () => Output, timeout);

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
}
