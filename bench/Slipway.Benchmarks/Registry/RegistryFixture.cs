using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Audit;
using Slipway.Registry;
using Slipway.Registry.Domain;
using Slipway.Registry.Webhooks;
using Slipway.Storage;

namespace Slipway.Benchmarks.Registry;

/// <summary>
/// A real <see cref="RegistryService"/> on the server's EF Core store over a fresh SQLite file, holding one model
/// with ten versions and a <c>champion</c> alias: what serving resolves <c>models:/fraud@champion</c> against.
/// </summary>
internal sealed class RegistryFixture : IAsyncDisposable
{
    public const string Model = "fraud";
    public const string Alias = "champion";

    private readonly ServiceProvider _services;
    private readonly string _folder;

    private RegistryFixture(ServiceProvider services, string folder)
    {
        _services = services;
        _folder = folder;
        Service = services.GetRequiredService<RegistryService>();
        Cache = services.GetRequiredService<AliasCache>();
    }

    public RegistryService Service { get; }

    public AliasCache Cache { get; }

    public static async Task<RegistryFixture> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "slipway-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSlipwayStorage($"sqlite:///{Path.Combine(folder, "bench.db")}");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new RegistryOptions());
        services.AddSingleton<AliasCache>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<RegistryService>();
        var provider = services.BuildServiceProvider();
        await provider.MigrateSlipwayStorageAsync();
        var service = provider.GetRequiredService<RegistryService>();
        await service.CreateRegisteredModelAsync(Model, null, [], AuditContext.System, CancellationToken.None);
        for (var v = 0; v < 10; v++)
            await service.CreateModelVersionAsync(new NewModelVersion(Model, $"mlflow-artifacts:/1/run{v}/artifacts/model", null, null, null, null, []), AuditContext.System, CancellationToken.None);
        await service.SetAliasAsync(Model, Alias, 7, AuditContext.System, CancellationToken.None);
        return new RegistryFixture(provider, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
