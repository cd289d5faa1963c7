using Amazon.S3;
using Slipway.Testing;

namespace Slipway.Artifacts.Tests.Fixtures;

/// <summary>
/// s3rver (an S3-compatible server in Node.js) on a free port with one bucket. Its fixed key pair S3RVER/S3RVER is
/// given to stores through <see cref="Options"/>, the way a deployment sets explicit keys.
/// </summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    public const string Bucket = "slipway-test";
    private NodeToolProcess? _emulator;

    public string ServiceUrl => $"http://127.0.0.1:{_emulator!.Port}";

    /// <summary>s3rver's data folder: objects and the parts of unfinished multipart uploads are files here.</summary>
    public string DataDirectory => _emulator!.DataDirectory;

    /// <summary>Settings as an operator would write them for an S3-compatible server: endpoint URL, path style, keys.</summary>
    public S3ArtifactOptions Options()
    {
        var options = new S3ArtifactOptions { ServiceUrl = ServiceUrl, ForcePathStyle = true, Region = "us-east-1", AccessKeyId = "S3RVER", SecretAccessKey = "S3RVER" };
        // Small parts, so that a test-sized file already takes the multipart path (the S3 minimum is 5 MiB).
        options.PartSizeBytes = S3ArtifactOptions.MinPartSizeBytes;
        return options;
    }

    /// <summary>A store under a fresh prefix of the bucket, isolated from every other test's.</summary>
    public S3ArtifactStore CreateStore(string? prefix = null) =>
        new(Bucket, prefix ?? "t-" + Guid.NewGuid().ToString("N"), Options());

    public async Task InitializeAsync() =>
        _emulator = await NodeToolProcess.StartAsync("s3rver", (port, data) =>
            ["-d", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--address", "127.0.0.1", "--silent", "--configure-bucket", Bucket]);

    public Task DisposeAsync()
    {
        _emulator?.Dispose();
        return Task.CompletedTask;
    }
}
