using System.Globalization;
using System.Text;
using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.BuiltIn;

/// <summary>
/// One real Slipway server shared by the built-in executor tests, with <see cref="Approver"/> holding the approver
/// role, plus small CSV files with a known signal: a training set and a holdout drawn from the same distribution.
/// </summary>
public sealed class BuiltInServerFixture : IAsyncLifetime
{
    public const string Requester = "pipeline-bot";
    public const string Approver = "bob";

    private SlipwayTestServer? _server;
    private SlipwayClient? _client;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The client the executors use (sends <see cref="Requester"/> as its user).</summary>
    public SlipwayClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A temporary folder holding <see cref="TrainFile"/> and <see cref="HoldoutFile"/>.</summary>
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("slipway-builtin-").FullName;

    public string TrainFile => Path.Combine(DataDirectory, "train.csv");

    public string HoldoutFile => Path.Combine(DataDirectory, "holdout.csv");

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: options => options.SetApprovers(Approver));
        _client = CreateClient(Requester);
        WriteCsv(TrainFile, rows: 2000, seed: 1);
        WriteCsv(HoldoutFile, rows: 600, seed: 2);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>A client that sends <paramref name="user"/> as its HTTP Basic user; the caller disposes it.</summary>
    public SlipwayClient CreateClient(string user) => new(Server.BaseAddress) { UserName = user, Password = "unused" };

    /// <summary>A name no other test uses, so tests can share one server.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private readonly SemaphoreSlim _modelsLock = new(1, 1);
    private string? _strongModelUri;
    private string? _weakModelUri;

    /// <summary>A binary model trained once on every feature (AUC well above chance): <c>runs:/…/model</c>.</summary>
    public Task<string> StrongModelAsync() => SharedModelAsync(weak: false);

    /// <summary>A binary model trained once without the informative features (AUC near chance).</summary>
    public Task<string> WeakModelAsync() => SharedModelAsync(weak: true);

    /// <summary>Runs the train executor outside a pipeline (a new run in the <c>builtin-train</c> experiment).</summary>
    public async Task<StepResult> TrainAsync(params (string Key, string Value)[] extra)
    {
        var with = With.Of(("data", TrainFile), ("label", "target"), ("task", "binary"), ("experiment", "builtin-train"),
            ("exclude", "amount"), ("iterations", "30"));
        foreach (var (key, value) in extra)
            with[key] = value;
        return await new TrainStepExecutor(Client).ExecuteAsync(Invocation("train", with), CancellationToken.None);
    }

    private async Task<string> SharedModelAsync(bool weak)
    {
        await _modelsLock.WaitAsync();
        try
        {
            if ((weak ? _weakModelUri : _strongModelUri) is { } known)
                return known;
            var result = weak ? await TrainAsync(("exclude", "amount,x0,x1,x2,color")) : await TrainAsync();
            Assert.True(result.Succeeded, result.Error);
            var uri = result.Outputs["model_uri"];
            if (weak)
                _weakModelUri = uri;
            else
                _strongModelUri = uri;
            return uri;
        }
        finally
        {
            _modelsLock.Release();
        }
    }

    /// <summary>A run standing in for a pipeline step's child run.</summary>
    public async Task<string> CreateStepRunAsync(string experiment = "builtin-steps")
    {
        var experimentId = await Client.GetOrCreateExperimentAsync(experiment);
        var run = await Client.CreateRunAsync(experimentId, "step");
        return run.Info.RunId;
    }

    /// <summary>An invocation of a built-in step with its <c>with:</c> values.</summary>
    public StepInvocation Invocation(string uses, IReadOnlyDictionary<string, string> with, string? mlflowRunId = null, InMemoryStepLog? log = null) => new()
    {
        PipelineName = "builtin-tests",
        RunId = "pipeline-run-1",
        StepId = uses + "-step",
        Uses = uses,
        With = with,
        WorkingDirectory = DataDirectory,
        Log = log ?? new InMemoryStepLog(),
        TrackingUri = Server.BaseAddress.AbsoluteUri,
        MlflowRunId = mlflowRunId,
    };

    /// <summary>
    /// Features x0…x4 and a category; <c>target</c> is 1 when a noisy linear score of x0, x1, x2 and the category is
    /// positive, so a model that sees those columns scores far above chance and one that does not stays near it.
    /// </summary>
    private static void WriteCsv(string path, int rows, int seed)
    {
        string[] colors = ["red", "green", "blue"];
        var random = new Random(seed);
        var text = new StringBuilder("x0,x1,x2,x3,x4,color,target,amount\n");
        for (var r = 0; r < rows; r++)
        {
            var x = new double[5];
            for (var c = 0; c < x.Length; c++)
                x[c] = Gaussian(random);
            var colorIndex = random.Next(colors.Length);
            var score = x[0] + 2 * x[1] - x[2] + (colorIndex - 1);
            var noisy = score + 0.7 * Gaussian(random);
            text.Append(string.Join(',', x.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))
                .Append(',').Append(colors[colorIndex])
                .Append(',').Append(noisy > 0 ? '1' : '0')
                .Append(',').Append((3 * score + 10 + 0.3 * Gaussian(random)).ToString("R", CultureInfo.InvariantCulture))
                .Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>Short-hand for a step's <c>with:</c> map.</summary>
internal static class With
{
    public static Dictionary<string, string> Of(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
