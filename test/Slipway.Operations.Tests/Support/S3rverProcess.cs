using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Slipway.Artifacts;

namespace Slipway.Operations.Tests.Support;

/// <summary>
/// s3rver, the S3-compatible server from test/clients/node (installed by the test command's <c>npm ci</c>), on
/// 127.0.0.1 with a free port, one bucket and its data in a temp folder. Without Node.js or the package the test
/// fails: gc on object storage is checked against a real S3 peer, never skipped.
/// </summary>
public sealed class S3rverProcess : IDisposable
{
    public const string Bucket = "slipway-gc";
    private readonly Process _process;
    private readonly string _dataDirectory;

    private S3rverProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        ServiceUrl = $"http://127.0.0.1:{port}";
    }

    public string ServiceUrl { get; }

    /// <summary>Settings as an operator writes them for an S3-compatible server (s3rver's fixed key pair).</summary>
    public S3ArtifactOptions Options() => new()
    {
        ServiceUrl = ServiceUrl,
        ForcePathStyle = true,
        Region = "us-east-1",
        AccessKeyId = "S3RVER",
        SecretAccessKey = "S3RVER",
    };

    /// <summary>The same settings as <c>Slipway__Artifacts__S3__*</c> environment variables, for a <c>slipway</c> process.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["Slipway__Artifacts__S3__ServiceUrl"] = ServiceUrl,
        ["Slipway__Artifacts__S3__ForcePathStyle"] = "true",
        ["Slipway__Artifacts__S3__Region"] = "us-east-1",
        ["Slipway__Artifacts__S3__AccessKeyId"] = "S3RVER",
        ["Slipway__Artifacts__S3__SecretAccessKey"] = "S3RVER",
    };

    public static async Task<S3rverProcess> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "test", "clients", "node", "node_modules", ".bin", "s3rver");
        if (!File.Exists(script))
            throw new InvalidOperationException($"{script} is missing; run `npm ci` in test/clients/node (./scripts/test.sh does).");
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("slipway-s3rver-").FullName;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "-d", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--address", "127.0.0.1", "--silent", "--configure-bucket", Bucket })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3rverProcess(process, port, data);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"s3rver exited with {process.ExitCode} before listening.");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                server.Dispose();
                throw new TimeoutException($"s3rver did not listen on port {port} within 60 s.");
            }
        }
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
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Slipway.slnx")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"No Slipway.slnx above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
