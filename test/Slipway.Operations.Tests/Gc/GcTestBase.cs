using Slipway.Client;
using Slipway.Operations.Tests.Support;
using Slipway.Testing;

namespace Slipway.Operations.Tests.Gc;

/// <summary>
/// A real server on one provider's store, runs with every kind of row (metrics, params, tags, dataset inputs) and an
/// artifact file, and the means to look below the API: row counts per run, artifact folders on disk, and deletion
/// times moved into the past (the server stamps them with the real clock; gc compares with the real clock too).
/// </summary>
public abstract class GcTestBase : IAsyncLifetime
{
    private static readonly string[] RunTables = ["params", "tags", "metrics", "latest_metrics", "run_inputs", "run_input_tags", "runs"];
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("slipway-gc-files-");

    protected string StoreUri { get; private set; } = "";

    protected SlipwayTestServer Server { get; private set; } = null!;

    protected SlipwayClient Client { get; private set; } = null!;

    /// <summary>The server's artifact folder (when the store is local).</summary>
    protected string ArtifactsRoot => Path.Combine(Server.DataDirectory, "artifacts");

    /// <summary>What the server and gc are given as <c>--artifacts-destination</c>.</summary>
    protected virtual string ArtifactsDestination => ArtifactsRoot;

    protected abstract Task<string> CreateStoreAsync();

    /// <summary>Changes to the server's options before it starts (another artifact store).</summary>
    protected virtual void ConfigureServer(Slipway.Server.SlipwayServerOptions options)
    {
    }

    protected abstract Task DropStoreAsync();

    public async Task InitializeAsync()
    {
        StoreUri = await CreateStoreAsync();
        Server = await SlipwayTestServer.StartAsync(StoreUri, ConfigureServer);
        Client = new SlipwayClient(Server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await DropStoreAsync();
        _files.Delete(recursive: true);
    }

    protected Task<CliResult> GcAsync(params string[] options) =>
        SlipwayCli.RunAsync(["gc", "--backend-store-uri", StoreUri, "--artifacts-destination", ArtifactsDestination, .. options]);

    /// <summary>A run with three metric steps, two params, a tag, a dataset input and the artifact <c>model/MLmodel</c>.</summary>
    protected async Task<string> CreateRunWithDataAsync(string experimentId, string name)
    {
        var run = await Client.CreateRunAsync(experimentId, name);
        var runId = run.Info.RunId;
        await Client.LogBatchAsync(runId,
            [new Metric("loss", 0.9, 1, 0), new Metric("loss", 0.5, 2, 1), new Metric("loss", 0.2, 3, 2)],
            [new Param("lr", "0.01"), new Param("epochs", "3")],
            [new Tag("team", "vision")]);
        await Client.LogInputsAsync(runId,
        [
            new DatasetInput
            {
                Dataset = new Dataset { Name = "train-" + name, Digest = "d1", SourceType = "local", Source = "{\"uri\":\"file:///data\"}" },
                Tags = [new Tag("mlflow.data.context", "training")],
            },
        ]);
        var file = Path.Combine(_files.FullName, Guid.NewGuid().ToString("N"), "MLmodel");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "flavors: {}\n");
        await Client.UploadArtifactAsync(runId, file, "model");
        return runId;
    }

    protected string RunArtifactFile(string experimentId, string runId) =>
        Path.Combine(ArtifactsRoot, experimentId, runId, "artifacts", "model", "MLmodel");

    protected Task BackdateRunDeletionAsync(string runId, int days) =>
        StoreSql.ExecuteAsync(StoreUri, $"UPDATE runs SET deleted_time = deleted_time - {days * 86_400_000L} WHERE run_uuid = '{runId}'");

    protected Task BackdateExperimentDeletionAsync(string experimentId, int days) =>
        StoreSql.ExecuteAsync(StoreUri,
            $"UPDATE experiments SET last_update_time = last_update_time - {days * 86_400_000L} WHERE experiment_id = {experimentId}; "
            + $"UPDATE runs SET deleted_time = deleted_time - {days * 86_400_000L} WHERE experiment_id = {experimentId}");

    /// <summary>Rows of the run in each table that hangs off it, and the run row itself.</summary>
    protected async Task<Dictionary<string, long>> RunRowsAsync(string runId)
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in RunTables)
            rows[table] = await StoreSql.ScalarAsync(StoreUri, $"SELECT count(*) FROM {table} WHERE run_uuid = '{runId}'");
        return rows;
    }

    protected async Task AssertRunFullyPresentAsync(string runId)
    {
        var rows = await RunRowsAsync(runId);
        Assert.All(rows, table => Assert.True(table.Value > 0, $"Run {runId} has no rows left in {table.Key}."));
    }

    protected async Task AssertRunGoneAsync(string runId)
    {
        var rows = await RunRowsAsync(runId);
        Assert.All(rows, table => Assert.True(table.Value == 0, $"Run {runId} still has {table.Value} row(s) in {table.Key}."));
    }

    protected async Task<IReadOnlyList<AuditEvent>> AuditEventsAsync(string resource, string action) =>
        (await Client.SearchAuditEventsAsync(resource, action)).Items;
}
