using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Slipway.Server.Tests.Infrastructure;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// One real server with an experiment, a run (a param, a metric, a tag), an artifact, a canary file just outside the
/// artifact root, a governed registered model (see <c>BadInputFixture.Registry.cs</c>) and a served endpoint (see
/// <c>BadInputFixture.Serving.cs</c>), for the bad-input rows.
/// <see cref="SnapshotAsync"/> captures everything a bad request could have changed: the run, its metric history, every
/// experiment and run, the artifact tree, any file a traversal could have planted next to the data folder or in its
/// parent, the registry, the audit trail, the endpoints, and what the served endpoint answers.
/// </summary>
public sealed partial class BadInputFixture : IAsyncLifetime
{
    public const string CanaryContent = "canary: must survive every bad request";
    private WebApplication? _app;
    private HttpClient? _client;

    public HttpClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Unique per fixture; names every file a traversal attempt tries to create (<c>evil-{marker}</c>).</summary>
    public string Marker { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The server's data folder (database and artifact root), as <c>SlipwayTestServer</c> lays it out.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "slipway-test-" + Guid.NewGuid().ToString("N"));

    public string ExperimentId { get; private set; } = "";

    public string RunId { get; private set; } = "";

    public string ArtifactRoot => Path.Combine(DataDirectory, "artifacts");

    /// <summary>The folder that holds the server's data folder (the system temp folder).</summary>
    public string DataParent => Path.GetDirectoryName(DataDirectory.TrimEnd(Path.DirectorySeparatorChar))!;

    /// <summary>A file beside the artifact root: <c>&lt;root&gt;/../canary-{marker}.txt</c>.</summary>
    public string CanaryPath => Path.Combine(DataDirectory, $"canary-{Marker}.txt");

    /// <summary>The API routes the running server maps, read from its own endpoint table.</summary>
    public IReadOnlyList<MappedRoute> Routes { get; private set; } = [];

    public async Task InitializeAsync()
    {
        // Started through SlipwayHost rather than SlipwayTestServer so that the route table of this very server is
        // reachable (SlipwayTestServer keeps its WebApplication private).
        Directory.CreateDirectory(DataDirectory);
        var options = new SlipwayServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            BackendStoreUri = $"sqlite:///{Path.Combine(DataDirectory, "slipway.db")}",
            ArtifactsDestination = ArtifactRoot,
            GrpcPort = 0, // gRPC has its own tests; a fixed port would collide with other servers on the machine
        };
        options.SetApprovers($"{Requester},{Approver}");
        // Kept inside the data folder (the default is relative to the working folder) and out of the artifact tree.
        options.Serving.ModelCacheDirectory = Path.Combine(DataDirectory, "model-cache");
        _app = SlipwayHost.Build(options);
        await SlipwayHost.StartAsync(_app);
        _client = new HttpClient { BaseAddress = SlipwayHost.GetBaseAddress(_app), Timeout = TimeSpan.FromSeconds(60) };
        Routes = MappedRoute.ReadApiRoutes(_app.Services);

        ExperimentId = await Api.CreateExperimentAsync(Client, "bad-input-" + Marker);
        RunId = await Api.CreateRunAsync(Client, ExperimentId, "bad-input-run");
        await Api.PostAsync(Client, "runs/log-parameter", new { run_id = RunId, key = "fixed", value = "1" });
        await Api.PostAsync(Client, "runs/log-metric", new { run_id = RunId, key = "m", value = 1.5, timestamp = 1_700_000_000_000L, step = 0 });
        await Api.PostAsync(Client, "runs/set-tag", new { run_id = RunId, key = "t", value = "v" });
        await Api.PutArtifactAsync(Client, $"{ExperimentId}/{RunId}/artifacts/keep.txt", "keep");
        await File.WriteAllTextAsync(CanaryPath, CanaryContent);
        await SeedRegistryAsync();
        await SeedServedEndpointAsync();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Fills the placeholders of a row's target or body with this fixture's ids and folders.</summary>
    public string Expand(string template) => template
        .Replace("{exp}", ExperimentId, StringComparison.Ordinal)
        .Replace("{run}", RunId, StringComparison.Ordinal)
        .Replace("{marker}", Marker, StringComparison.Ordinal)
        .Replace("{model}", BadInputCases.Model, StringComparison.Ordinal)
        .Replace("{other}", BadInputCases.OtherModel, StringComparison.Ordinal)
        .Replace("{approval}", PendingApprovalId, StringComparison.Ordinal)
        .Replace("{rejected}", RejectedApprovalId, StringComparison.Ordinal)
        .Replace("{webhook}", WebhookId, StringComparison.Ordinal)
        .Replace("{parent}", DataParent.TrimStart('/'), StringComparison.Ordinal)
        .Replace("{parentEnc}", Uri.EscapeDataString(DataParent), StringComparison.Ordinal)
        .Replace("{dataDirEnc}", Uri.EscapeDataString(DataDirectory.TrimEnd('/')), StringComparison.Ordinal);

    /// <summary>The row's request, with the target sent byte for byte (no dot-segment removal, no unescaping by <see cref="Uri"/>).</summary>
    public HttpRequestMessage CreateRequest(BadInputCase row)
    {
        var authority = Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var uri = new Uri(authority + Expand(row.Target), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(new HttpMethod(row.Method), uri) { Content = row.Body?.Invoke(this) };
        if (row.Chunked)
            request.Headers.TransferEncodingChunked = true;
        if (row.User is not null)
            request.Headers.Authorization = BasicAuth(row.User);
        foreach (var (name, value) in row.Headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public async Task<IReadOnlyDictionary<string, string>> SnapshotAsync()
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["run"] = JsonCanonical.Of(await Api.GetTextAsync(Client, $"runs/get?run_id={RunId}")),
            ["metric history"] = JsonCanonical.Of(await Api.GetTextAsync(Client, $"metrics/get-history?run_id={RunId}&metric_key=m")),
            ["experiments"] = JsonCanonical.Of(await Api.PostTextAsync(Client, "experiments/search", new { view_type = "ALL", max_results = 1000 })),
            ["runs"] = JsonCanonical.Of(await Api.PostTextAsync(Client, "runs/search", new { experiment_ids = new[] { ExperimentId, "0" }, run_view_type = "ALL", max_results = 1000 })),
            ["artifact tree"] = DescribeTree(ArtifactRoot),
            ["planted files"] = string.Join("\n", PlantedFiles()),
            ["canary"] = File.Exists(CanaryPath) ? File.ReadAllText(CanaryPath) : "(deleted)",
        };
        await AddRegistrySnapshotAsync(snapshot);
        await AddServingSnapshotAsync(snapshot);
        return snapshot;
    }

    /// <summary>Files named <c>evil-{marker}</c> anywhere under the data folder (artifact root included) or directly in its parent.</summary>
    private IEnumerable<string> PlantedFiles()
    {
        var pattern = $"*evil-{Marker}*";
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        return Directory.EnumerateFileSystemEntries(DataDirectory, pattern, options)
            .Concat(Directory.EnumerateFileSystemEntries(DataParent, pattern, new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 }))
            .Order(StringComparer.Ordinal);
    }

    private static string DescribeTree(string root)
    {
        var lines = new StringBuilder();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", options).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, entry);
            if (Directory.Exists(entry))
                lines.Append(relative).AppendLine("/");
            else
                lines.Append(relative).Append(' ').AppendLine(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry))));
        }
        return lines.ToString();
    }
}
