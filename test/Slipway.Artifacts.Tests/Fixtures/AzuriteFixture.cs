using Azure.Storage.Blobs;
using Slipway.Testing;

namespace Slipway.Artifacts.Tests.Fixtures;

/// <summary>Azurite's blob service (Microsoft's Azure Storage emulator) on a free port, with one container.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Container = "slipway-test";

    // Azurite's documented development account; it is public and only valid against the emulator.
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private NodeToolProcess? _emulator;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};BlobEndpoint=http://127.0.0.1:{_emulator!.Port}/devstoreaccount1;";

    /// <summary>Small blocks, so that a test-sized file is uploaded as several blocks.</summary>
    public AzureBlobArtifactOptions Options() => new() { ConnectionString = ConnectionString, BlockSizeBytes = 4 * 1024 * 1024, MaxConcurrency = 2 };

    public BlobContainerClient ContainerClient() => new BlobServiceClient(ConnectionString).GetBlobContainerClient(Container);

    /// <summary>A store under a fresh prefix of the container, isolated from every other test's.</summary>
    public AzureBlobArtifactStore CreateStore(string? prefix = null) =>
        new(Container, prefix ?? "t-" + Guid.NewGuid().ToString("N"), Options());

    public async Task InitializeAsync()
    {
        _emulator = await NodeToolProcess.StartAsync("azurite-blob", (port, data) =>
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", data, "--silent", "--skipApiVersionCheck", "--loose"]);
        await ContainerClient().CreateIfNotExistsAsync();
    }

    public Task DisposeAsync()
    {
        _emulator?.Dispose();
        return Task.CompletedTask;
    }
}
