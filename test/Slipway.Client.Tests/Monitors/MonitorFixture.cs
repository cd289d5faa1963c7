using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Slipway.Client.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Client.Tests.Monitors;

/// <summary>
/// A real server set up as a user sets it up for monitoring, through the SDK: the kit's <c>linreg_diabetes</c> ONNX
/// model (10 float inputs) logged into a run and registered, served by two endpoints that log every request
/// (<see cref="TrafficEndpoint"/> gets traffic from the tests that need it, <see cref="QuietEndpoint"/> never does),
/// and a reference CSV of 10 uniform [0, 1) columns uploaded as <c>ref.csv</c> of a run (<see cref="ReferenceUri"/>).
/// </summary>
public sealed class MonitorFixture : IAsyncLifetime
{
    public const int Features = 10;
    public const int ReferenceRows = 200;
    public const string TrafficEndpoint = "diabetes-live";
    public const string QuietEndpoint = "diabetes-quiet";

    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);

    private SlipwayTestServer? _server;
    private SlipwayClient? _client;
    private readonly TempDirectory _files = new();

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public SlipwayClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    public string TrackingUri => Server.BaseAddress.ToString();

    /// <summary><c>runs:/&lt;run_id&gt;/ref.csv</c>: the reference data, columns <c>f0</c> … <c>f9</c> in the model's input order.</summary>
    public string ReferenceUri { get; private set; } = "";

    /// <summary>A folder for files the tests write (spec files, downloaded reports).</summary>
    public TempDirectory Files => _files;

    public async Task InitializeAsync()
    {
        // No scheduler: a monitor created with --schedule must not run behind a test's back.
        _server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            options.Monitoring.SchedulerEnabled = false;
            options.InferenceLog.FlushInterval = TimeSpan.FromMilliseconds(200);
        });
        _client = new SlipwayClient(_server.BaseAddress);

        var experiment = await Client.CreateExperimentAsync("diabetes-training");
        var run = await Client.CreateRunAsync(experiment);
        await Client.UploadArtifactAsync(run.Info, RepositoryFiles.KitModel("linreg_diabetes"), "model");
        await Client.CreateRegisteredModelAsync("diabetes");
        await Client.CreateModelVersionAsync("diabetes", run.Info.ArtifactUri + "/model", run.Info.RunId);
        await Client.UploadArtifactAsync(run.Info, _files.WriteFile("ref.csv", Csv(Rows(ReferenceRows, seed: 1, shift: 0))));
        ReferenceUri = $"runs:/{run.Info.RunId}/ref.csv";

        foreach (var endpoint in new[] { TrafficEndpoint, QuietEndpoint })
            await Client.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("default", "models:/diabetes/1")], LogSampleRate = 1 });
        foreach (var endpoint in new[] { TrafficEndpoint, QuietEndpoint })
            await WaitUntilReadyAsync(endpoint);
    }

    /// <summary>A spec on <paramref name="endpoint"/> against the reference CSV, with the server's defaults for the rest.</summary>
    public MonitorSpec DatasetSpec(string name, string endpoint = QuietEndpoint) =>
        new() { Name = name, Endpoint = endpoint, Reference = MonitorReference.Dataset(ReferenceUri) };

    /// <summary>Sends <paramref name="rows"/> to <paramref name="endpoint"/> over OIP REST in requests of 20 rows.</summary>
    public async Task SendTrafficAsync(string endpoint, IReadOnlyList<float[]> rows)
    {
        using var http = Server.CreateClient();
        foreach (var batch in rows.Chunk(20))
        {
            var body = new { inputs = new[] { new { name = "input", shape = new[] { batch.Length, Features }, datatype = "FP32", data = batch.SelectMany(r => r).ToArray() } } };
            using var response = await http.PostAsJsonAsync($"v2/models/{endpoint}/infer", body);
            Assert.True(response.IsSuccessStatusCode, $"infer answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Deterministic rows of uniform [shift, shift + 1) values.</summary>
    public static List<float[]> Rows(int count, int seed, float shift)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Features).Select(_ => shift + (float)random.NextDouble()).ToArray()).ToList();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        _files.Dispose();
    }

    private static byte[] Csv(IEnumerable<float[]> rows)
    {
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, Features).Select(i => "f" + i))).Append('\n');
        foreach (var row in rows)
            text.Append(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private async Task WaitUntilReadyAsync(string endpoint)
    {
        var deadline = DateTime.UtcNow + ReadyDeadline;
        while (true)
        {
            var state = await Client.GetEndpointAsync(endpoint);
            if (state.Status.Ready)
                return;
            Assert.True(DateTime.UtcNow < deadline, $"Endpoint {endpoint} never became ready: {string.Join("; ", state.Status.Routes.Select(r => $"{r.State} {r.Error}"))}");
            await Task.Delay(50);
        }
    }
}
