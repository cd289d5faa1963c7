using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Registry.Search;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

/// <summary>
/// The behaviour every <see cref="IRegistryStore"/> and <see cref="IAuditStore"/> provider must share, inherited
/// by <see cref="SqliteRegistryStoreTests"/> and <see cref="PostgresRegistryStoreTests"/>. Tests share one database
/// per class, so each creates models with unique names and scopes its searches and audit queries to them.
/// </summary>
public abstract partial class RegistryStoreCompliance(ServicesFixture fixture)
{
    protected const long Now = 1_700_000_000_000;

    protected static readonly AuditContext Alice = new("alice", "req-alice");

    protected IRegistryStore Store => fixture.Get<IRegistryStore>();

    protected IAuditStore Audit => fixture.Audit;

    protected static CancellationToken Ct => CancellationToken.None;

    protected static string Unique(string prefix = "model") => $"{prefix}-{Guid.NewGuid():N}";

    protected async Task<string> CreateModelAsync(string? name = null, long now = Now, params Tag[] tags)
    {
        name ??= Unique();
        await Store.CreateRegisteredModelAsync(name, null, tags, now, Alice, Ct);
        return name;
    }

    protected async Task<long> CreateVersionAsync(string name, long now = Now, string? runId = null, string source = "s3://bucket/model", params Tag[] tags)
    {
        var version = await Store.CreateModelVersionAsync(new NewModelVersion(name, source, runId, null, null, "alice", tags), now, Alice, Ct);
        return version.Version;
    }

    protected async Task<RegisteredModel> GetModelAsync(string name) =>
        Assert.IsType<RegisteredModel>(await Store.GetRegisteredModelAsync(name, Ct));

    protected async Task<ModelVersion> GetVersionAsync(string name, long version) =>
        Assert.IsType<ModelVersion>(await Store.GetModelVersionAsync(name, version, Ct));

    protected Task TransitionAsync(string name, long version, string stage, long now = Now, bool archiveExisting = false) =>
        Store.TransitionStageAsync(name, version, stage, archiveExisting, now, Alice, Ct);

    /// <summary>Every event on the model and below it, oldest first.</summary>
    protected async Task<IReadOnlyList<AuditEvent>> ModelEventsAsync(string name, string? action = null)
    {
        var (items, hasMore) = await Audit.SearchAsync(new AuditQuery(AuditResources.Model(name), action, null, 1000, 0), Ct);
        Assert.False(hasMore);
        return items;
    }

    protected async Task<string[]> SearchModelNamesAsync(string? filter, string[]? orderBy = null)
    {
        var query = new RegisteredModelQuery(RegistrySearchParser.ParseModelFilter(filter), RegistrySearchParser.ParseModelOrderBy(orderBy), 1000, 0);
        var (items, hasMore) = await Store.SearchRegisteredModelsAsync(query, Ct);
        Assert.False(hasMore);
        return items.Select(m => m.Name).ToArray();
    }

    protected async Task<IReadOnlyList<ModelVersion>> SearchVersionsAsync(string? filter, string[]? orderBy = null)
    {
        var query = new ModelVersionQuery(RegistrySearchParser.ParseVersionFilter(filter), RegistrySearchParser.ParseVersionOrderBy(orderBy), 1000, 0);
        var (items, hasMore) = await Store.SearchModelVersionsAsync(query, Ct);
        Assert.False(hasMore);
        return items;
    }

    /// <summary>"name/version" of each version, in result order.</summary>
    protected static string[] Keys(IEnumerable<ModelVersion> versions) => versions.Select(v => $"{v.Name}/{v.Version}").ToArray();

    protected static async Task<SlipwayException> AssertErrorAsync(ErrorCode expected, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(action);
        Assert.Equal(expected, error.Code);
        return error;
    }

    /// <summary>Null when the call succeeded, otherwise the domain error code it failed with.</summary>
    protected static async Task<ErrorCode?> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (SlipwayException e)
        {
            return e.Code;
        }
    }
}
