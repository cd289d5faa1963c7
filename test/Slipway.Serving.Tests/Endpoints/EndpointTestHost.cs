using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Artifacts;
using Slipway.Core.Audit;
using Slipway.Registry;
using Slipway.Registry.Domain;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Inference;
using Slipway.Storage;
using Slipway.Tracking;

namespace Slipway.Serving.Tests.Endpoints;

/// <summary>
/// The serving module on real stores (a fresh SQLite database and artifact folder), built through DI as the server
/// builds it, with <see cref="FakeModelLoader"/> in place of ONNX unless a real loader is asked for. The manager's
/// loop is not started: tests drive it with <see cref="EndpointManager.ReconcileAsync"/>, or call <see cref="StartLoopAsync"/>.
/// </summary>
internal sealed class EndpointTestHost : IAsyncDisposable
{
    public static readonly AuditContext Alice = new("alice", "req-1");

    private readonly ServiceProvider _services;
    private bool _loopStarted;

    private EndpointTestHost(ServiceProvider services, string folder, FakeModelLoader loader)
    {
        _services = services;
        Folder = folder;
        Loader = loader;
    }

    public string Folder { get; }

    public string LocalModelRoot => Path.Combine(Folder, "local-models");

    public FakeModelLoader Loader { get; }

    public EndpointService Endpoints => _services.GetRequiredService<EndpointService>();

    public EndpointManager Manager => _services.GetRequiredService<EndpointManager>();

    public RegistryService Registry => _services.GetRequiredService<RegistryService>();

    public IArtifactStore Artifacts => _services.GetRequiredService<IArtifactStore>();

    public IAuditStore Audit => _services.GetRequiredService<IAuditStore>();

    public IServiceProvider Services => _services;

    public static async Task<EndpointTestHost> StartAsync(Action<ServingOptions>? configure = null, IModelLoader? realLoader = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "slipway-endpoints-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "local-models"));
        var loader = new FakeModelLoader();
        var options = new ServingOptions
        {
            ModelCacheDirectory = Path.Combine(folder, "model-cache"),
            LocalModelRoot = Path.Combine(folder, "local-models"),
            ReconcileInterval = TimeSpan.FromMilliseconds(100),
            SwapGracePeriod = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSlipwayStorage("sqlite:///" + Path.Combine(folder, "slipway.db"));
        services.AddSlipwayTracking(o => o.ArtifactsDestination = Path.Combine(folder, "artifacts"));
        services.AddSlipwayRegistry(new RegistryOptions());
        services.AddSingleton<IModelLoader>(realLoader ?? loader);
        services.AddSlipwayServing(options);
        var provider = services.BuildServiceProvider();
        await provider.MigrateSlipwayStorageAsync();
        return new EndpointTestHost(provider, folder, loader);
    }

    /// <summary>Registers model <paramref name="name"/> (if new) and a version whose fake model answers <paramref name="content"/>.</summary>
    public async Task<long> AddVersionAsync(string name, string content)
    {
        if (await _services.GetRequiredService<IRegistryStore>().GetRegisteredModelAsync(name, default) is null)
            await Registry.CreateRegisteredModelAsync(name, null, [], Alice, default);
        var folder = $"registry/{name}/{Guid.NewGuid():N}";
        await Artifacts.WriteAsync(folder + "/model.txt", new MemoryStream(Encoding.UTF8.GetBytes(content)), default);
        var version = await Registry.CreateModelVersionAsync(new NewModelVersion(name, "mlflow-artifacts:/" + folder, null, null, null, "alice", []), Alice, default);
        return version.Version;
    }

    /// <summary>Registers a version from a folder of files (a real MLflow model directory).</summary>
    public async Task<long> AddVersionFromFolderAsync(string name, string localFolder)
    {
        if (await _services.GetRequiredService<IRegistryStore>().GetRegisteredModelAsync(name, default) is null)
            await Registry.CreateRegisteredModelAsync(name, null, [], Alice, default);
        var folder = $"registry/{name}/{Guid.NewGuid():N}";
        foreach (var file in Directory.GetFiles(localFolder))
        {
            await using var stream = File.OpenRead(file);
            await Artifacts.WriteAsync(folder + "/" + Path.GetFileName(file), stream, default);
        }
        var version = await Registry.CreateModelVersionAsync(new NewModelVersion(name, "mlflow-artifacts:/" + folder, null, null, null, "alice", []), Alice, default);
        return version.Version;
    }

    public Task SetAliasAsync(string name, string alias, long version) => Registry.SetAliasAsync(name, alias, version, Alice, default);

    public Task<EndpointDetails> CreateEndpointAsync(string name, params RouteSpec[] routes) =>
        Endpoints.CreateAsync(Spec(name, routes), Alice, default);

    public static EndpointSpec Spec(string name, params RouteSpec[] routes) => new(name, null, routes, null, null, null, 0);

    public static RouteSpec Route(string name, string model, int weight = 100) => new(name, model, weight);

    public async Task StartLoopAsync()
    {
        _loopStarted = true;
        await Manager.StartAsync(default);
    }

    public ServedEndpoint Served(string name) => Manager.FindEndpoint(name) ?? throw new InvalidOperationException($"Endpoint {name} is not served.");

    public async Task<InferenceResult> InferAsync(string name) =>
        await Served(name).InferAsync(FakeModel.Request(), new InferenceContext("r", _ => null, "test"), default);

    public static string Version(long version) => version.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_loopStarted)
            await Manager.StopAsync(default);
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }
}
