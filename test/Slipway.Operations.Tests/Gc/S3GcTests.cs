using Slipway.Artifacts;
using Slipway.Operations.Tests.Support;
using Slipway.Server;

namespace Slipway.Operations.Tests.Gc;

/// <summary>
/// gc with an object store: the server keeps artifacts in s3rver under <c>s3://slipway-gc/&lt;prefix&gt;</c>, and
/// <c>slipway gc</c>, a separate process given the S3 settings the way a deployment does (<c>Slipway__Artifacts__S3__*</c>),
/// removes the purged runs' and experiment's objects through the same <see cref="IArtifactStore"/> and no others.
/// </summary>
public sealed class S3GcTests : GcTestBase
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("slipway-gc-s3-");
    private readonly string _prefix = "gc-" + Guid.NewGuid().ToString("N");
    private S3rverProcess? _s3;

    protected override string ArtifactsDestination => $"s3://{S3rverProcess.Bucket}/{_prefix}";

    protected override async Task<string> CreateStoreAsync()
    {
        _s3 = await S3rverProcess.StartAsync();
        return "sqlite:///" + Path.Combine(_folder.FullName, "slipway.db");
    }

    protected override void ConfigureServer(SlipwayServerOptions options)
    {
        var s3 = _s3!.Options();
        options.ArtifactsDestination = ArtifactsDestination;
        options.Artifacts.S3.ServiceUrl = s3.ServiceUrl;
        options.Artifacts.S3.ForcePathStyle = s3.ForcePathStyle;
        options.Artifacts.S3.Region = s3.Region;
        options.Artifacts.S3.AccessKeyId = s3.AccessKeyId;
        options.Artifacts.S3.SecretAccessKey = s3.SecretAccessKey;
    }

    protected override Task DropStoreAsync()
    {
        _s3?.Dispose();
        StoreSql.ReleaseSqlitePool(StoreUri);
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Gc_OnS3_RemovesThePurgedObjectsAndNoOthers()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-s3");
        var old = await CreateRunWithDataAsync(experimentId, "old");
        var active = await CreateRunWithDataAsync(experimentId, "active");
        var deletedExperiment = await Client.CreateExperimentAsync("gc-s3-deleted");
        var inDeleted = await CreateRunWithDataAsync(deletedExperiment, "inside");
        await Client.DeleteRunAsync(old);
        await BackdateRunDeletionAsync(old, days: 45);
        await Client.DeleteExperimentAsync(deletedExperiment);
        await BackdateExperimentDeletionAsync(deletedExperiment, days: 45);
        using var store = new S3ArtifactStore(S3rverProcess.Bucket, _prefix, _s3!.Options());
        Assert.NotEmpty(await store.ListAsync($"{experimentId}/{old}/artifacts/model", CancellationToken.None));
        Assert.NotEmpty(await store.ListAsync($"{deletedExperiment}/{inDeleted}/artifacts/model", CancellationToken.None));

        var result = await SlipwayCli.RunProcessAsync(_s3.Environment(),
            "gc", "--backend-store-uri", StoreUri, "--artifacts-destination", ArtifactsDestination, "--older-than", "30d");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Purged 1 experiment(s) and 1 run(s)", result.Out, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync($"{experimentId}/{old}", CancellationToken.None));
        Assert.Empty(await store.ListAsync(deletedExperiment, CancellationToken.None));
        Assert.Equal(["MLmodel"], (await store.ListAsync($"{experimentId}/{active}/artifacts/model", CancellationToken.None)).Select(e => e.Name));
        await AssertRunGoneAsync(old);
        await AssertRunGoneAsync(inDeleted);
        await AssertRunFullyPresentAsync(active);
    }
}
