using System.Globalization;
using Slipway.Artifacts;
using Slipway.Testing;

namespace Slipway.Operations.Tests.Support;

/// <summary>
/// s3rver, the S3-compatible server from test/clients/node (installed by the test command's <c>npm ci</c>), on
/// 127.0.0.1 with a free port, one bucket and its data in a temp folder. Without Node.js or the package the test
/// fails: gc on object storage is checked against a real S3 peer, never skipped.
/// </summary>
public sealed class S3rverProcess : IDisposable
{
    public const string Bucket = "slipway-gc";
    private readonly NodeToolProcess _process;

    private S3rverProcess(NodeToolProcess process)
    {
        _process = process;
        ServiceUrl = $"http://127.0.0.1:{process.Port}";
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

    public static async Task<S3rverProcess> StartAsync() =>
        new(await NodeToolProcess.StartAsync("s3rver", (port, data) =>
            ["-d", data, "-p", port.ToString(CultureInfo.InvariantCulture), "--address", "127.0.0.1", "--silent", "--configure-bucket", Bucket]));

    public void Dispose() => _process.Dispose();
}
