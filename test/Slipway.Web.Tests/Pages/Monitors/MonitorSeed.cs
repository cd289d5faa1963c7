using Slipway.Testing;
using Slipway.Client;
using Slipway.Web.Tests.Browser;
using Slipway.Web.Tests.Pages.Endpoints;

namespace Slipway.Web.Tests.Pages.Monitors;

/// <summary>
/// A monitor with a history, made the way production makes one: an endpoint serving the breast cancer model with every
/// request logged, a monitor on four features against the benign rows as reference, and three runs over growing
/// traffic: first the reference rows themselves (no drift), then twice more with the first two features shifted by
/// three standard deviations (drift on exactly those two, which fires the alert rules).
/// </summary>
internal sealed record MonitorSeed(string Monitor, string Endpoint, string[] Features, IReadOnlyList<MonitorRun> Runs)
{
    public const int MonitoredFeatures = 4;
    public static readonly int[] ShiftedFeatures = [0, 1];

    // Tests of one collection run one at a time, so one seed per fixture is built once and shared.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (UiFixture Fixture, MonitorSeed Seed)? _built;

    public static async Task<MonitorSeed> GetAsync(UiFixture ui)
    {
        await Gate.WaitAsync();
        try
        {
            if (_built is { } built && ReferenceEquals(built.Fixture, ui))
                return built.Seed;
            var seed = await BuildAsync(ui);
            _built = (ui, seed);
            return seed;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<MonitorSeed> BuildAsync(UiFixture ui)
    {
        var serving = new ServingSeed(ui);
        var model = UiFixture.Unique("cancer");
        var endpoint = UiFixture.Unique("screening");
        var monitor = UiFixture.Unique("drift");
        var run = await serving.RegisterModelAsync(model, versions: 1);
        await ui.Client.UploadArtifactAsync(run.Info, ServingSeed.ReferenceFile, "datasets");
        await serving.CreateEndpointAsync(new EndpointSpec
        {
            Name = endpoint,
            Routes = [new EndpointRoute("primary", $"models:/{model}/1", 100)],
            LogSampleRate = 1,
        });
        var (header, reference) = ServingSeed.ReadReference();
        await ui.Client.CreateMonitorAsync(new MonitorSpec
        {
            Name = monitor,
            Endpoint = endpoint,
            Reference = MonitorReference.Dataset($"runs:/{run.Info.RunId}/datasets/{Path.GetFileName(ServingSeed.ReferenceFile)}"),
            Window = TimeSpan.FromHours(1),
            Features = [.. Enumerable.Range(0, MonitoredFeatures).Select(i => new MonitorFeature(header[i], $"in_input_{i}"))],
            Alerts =
            [
                new MonitorAlertRule { Name = "features", Kind = "feature_drift", Severity = "warning" },
                new MonitorAlertRule { Name = "share", Kind = "drift_share", Severity = "critical" },
            ],
        });

        var runs = new List<MonitorRun>();
        var shifted = Shift(reference);
        foreach (var rows in new[] { reference, shifted, shifted })
        {
            await serving.InferAsync(endpoint, rows);
            await InferenceLogProbe.WaitForRowsAsync(ui.Server, endpoint, (runs.Count + 1) * reference.Count);
            runs.Add(await ui.Client.RunMonitorAsync(monitor));
        }
        return new MonitorSeed(monitor, endpoint, header[..MonitoredFeatures], runs);
    }

    private static List<float[]> Shift(List<float[]> reference)
    {
        var rows = reference.Select(r => (float[])r.Clone()).ToList();
        foreach (var column in ShiftedFeatures)
        {
            var mean = rows.Average(r => r[column]);
            var sd = Math.Sqrt(rows.Average(r => (r[column] - mean) * (r[column] - mean)));
            foreach (var row in rows)
                row[column] += (float)(3 * sd);
        }
        return rows;
    }
}
