using System.Security.Cryptography;
using System.Text;
using Slipway.Server.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// One real server with an experiment, a run (a param, a metric, a tag), an artifact, and a canary file just
/// outside the artifact root, for the bad-input rows. <see cref="SnapshotAsync"/> captures everything a bad
/// request could have changed: the run, its metric history, every experiment and run, the artifact tree, and
/// any file a traversal could have planted next to the data folder or in its parent.
/// </summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public const string CanaryContent = "canary: must survive every bad request";
    private SlipwayTestServer? _server;
    private HttpClient? _client;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Unique per fixture; names every file a traversal attempt tries to create (<c>evil-{marker}</c>).</summary>
    public string Marker { get; } = Guid.NewGuid().ToString("N");

    public string ExperimentId { get; private set; } = "";

    public string RunId { get; private set; } = "";

    public string ArtifactRoot => Path.Combine(Server.DataDirectory, "artifacts");

    /// <summary>The folder that holds the server's data folder (the system temp folder).</summary>
    public string DataParent => Path.GetDirectoryName(Server.DataDirectory.TrimEnd(Path.DirectorySeparatorChar))!;

    /// <summary>A file beside the artifact root: <c>&lt;root&gt;/../canary-{marker}.txt</c>.</summary>
    public string CanaryPath => Path.Combine(Server.DataDirectory, $"canary-{Marker}.txt");

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync();
        _client = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        ExperimentId = await Api.CreateExperimentAsync(Client, "bad-input-" + Marker);
        RunId = await Api.CreateRunAsync(Client, ExperimentId, "bad-input-run");
        await Api.PostAsync(Client, "runs/log-parameter", new { run_id = RunId, key = "fixed", value = "1" });
        await Api.PostAsync(Client, "runs/log-metric", new { run_id = RunId, key = "m", value = 1.5, timestamp = 1_700_000_000_000L, step = 0 });
        await Api.PostAsync(Client, "runs/set-tag", new { run_id = RunId, key = "t", value = "v" });
        await Api.PutArtifactAsync(Client, $"{ExperimentId}/{RunId}/artifacts/keep.txt", "keep");
        await File.WriteAllTextAsync(CanaryPath, CanaryContent);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>Fills the placeholders of a row's target or body with this fixture's ids and folders.</summary>
    public string Expand(string template) => template
        .Replace("{exp}", ExperimentId, StringComparison.Ordinal)
        .Replace("{run}", RunId, StringComparison.Ordinal)
        .Replace("{marker}", Marker, StringComparison.Ordinal)
        .Replace("{parent}", DataParent.TrimStart('/'), StringComparison.Ordinal)
        .Replace("{parentEnc}", Uri.EscapeDataString(DataParent), StringComparison.Ordinal)
        .Replace("{dataDirEnc}", Uri.EscapeDataString(Server.DataDirectory.TrimEnd('/')), StringComparison.Ordinal);

    /// <summary>The row's request, with the target sent byte for byte (no dot-segment removal, no unescaping by <see cref="Uri"/>).</summary>
    public HttpRequestMessage CreateRequest(BadInputCase row)
    {
        var authority = Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var uri = new Uri(authority + Expand(row.Target), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(new HttpMethod(row.Method), uri) { Content = row.Body?.Invoke(this) };
        if (row.Chunked)
            request.Headers.TransferEncodingChunked = true;
        return request;
    }

    public async Task<IReadOnlyDictionary<string, string>> SnapshotAsync() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["run"] = JsonCanonical.Of(await Api.GetTextAsync(Client, $"runs/get?run_id={RunId}")),
        ["metric history"] = JsonCanonical.Of(await Api.GetTextAsync(Client, $"metrics/get-history?run_id={RunId}&metric_key=m")),
        ["experiments"] = JsonCanonical.Of(await Api.PostTextAsync(Client, "experiments/search", new { view_type = "ALL", max_results = 1000 })),
        ["runs"] = JsonCanonical.Of(await Api.PostTextAsync(Client, "runs/search", new { experiment_ids = new[] { ExperimentId, "0" }, run_view_type = "ALL", max_results = 1000 })),
        ["artifact tree"] = DescribeTree(ArtifactRoot),
        ["planted files"] = string.Join("\n", PlantedFiles()),
        ["canary"] = File.Exists(CanaryPath) ? File.ReadAllText(CanaryPath) : "(deleted)",
    };

    /// <summary>Files named <c>evil-{marker}</c> anywhere under the data folder (artifact root included) or directly in its parent.</summary>
    private IEnumerable<string> PlantedFiles()
    {
        var pattern = $"*evil-{Marker}*";
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        return Directory.EnumerateFileSystemEntries(Server.DataDirectory, pattern, options)
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
