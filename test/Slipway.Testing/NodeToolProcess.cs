using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slipway.Testing;

/// <summary>
/// A protocol peer from test/clients/node (azurite, s3rver) (installed by the test command's <c>npm ci</c>) run with <c>node</c> on
/// 127.0.0.1 and a free port, with its data in a temp folder. Missing Node.js or packages fail the test: the
/// suites that use it must run against the real protocol servers, never silently skip them.
/// </summary>
public sealed class NodeToolProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeToolProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary>Starts <c>node_modules/.bin/<paramref name="tool"/></c> with the arguments <paramref name="arguments"/> builds from (port, data folder), and waits until the port accepts connections.</summary>
    public static async Task<NodeToolProcess> StartAsync(string tool, Func<int, string, IEnumerable<string>> arguments)
    {
        var script = Path.Combine(NodeClients.Folder(), "node_modules", ".bin", tool);
        if (!File.Exists(script))
            throw new InvalidOperationException($"{script} is missing; run `npm ci` in test/clients/node (./scripts/test.sh does).");
        var port = LocalPorts.Free();
        var data = Path.Combine(Path.GetTempPath(), $"slipway-{tool}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments(port, data))
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"node could not be started ({e.Message}); install Node.js 18 or later and run ./scripts/test.sh.", e);
        }
        var emulator = new NodeToolProcess(process, port, data);
        process.OutputDataReceived += (_, e) => emulator.Append(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await emulator.WaitForPortAsync(tool);
        return emulator;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private async Task WaitForPortAsync(string tool)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{tool} exited with {_process.ExitCode} before listening:\n{Output()}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                Dispose();
                throw new TimeoutException($"{tool} did not listen on port {Port} within {StartTimeout}:\n{Output()}");
            }
        }
    }

    private string Output()
    {
        lock (_output)
            return _output.ToString();
    }


    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
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
}
