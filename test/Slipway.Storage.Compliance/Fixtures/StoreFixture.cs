using Microsoft.Extensions.DependencyInjection;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance.Fixtures;

/// <summary>
/// One empty, migrated database per test class, with the store built through DI exactly as the server builds it
/// (<c>AddSlipwayStorage</c> then <c>MigrateSlipwayStorageAsync</c>). Tests in a class share it, so each test
/// creates its own experiments and never relies on the database being otherwise empty.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    public ITrackingStore Store =>
        _services?.GetRequiredService<ITrackingStore>() ?? throw new InvalidOperationException("The fixture has not been initialised.");

    /// <summary>Services added before the storage's (e.g. an EF interceptor that injects faults).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Creates an empty database and returns its backend store URI.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    /// <summary>Removes the database once every connection to it has been closed.</summary>
    protected abstract Task DropDatabaseAsync();

    public async Task InitializeAsync()
    {
        var uri = await CreateDatabaseAsync();
        var services = new ServiceCollection();
        ConfigureServices?.Invoke(services);
        services.AddSlipwayStorage(uri);
        _services = services.BuildServiceProvider();
        await _services.MigrateSlipwayStorageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
            await _services.DisposeAsync();
        await DropDatabaseAsync();
    }
}
