using System.Reflection;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Registry.Webhooks;
using Slipway.Tracking.Domain;

namespace Slipway.Registry.Tests.Unit;

/// <summary>
/// <see cref="RegistryService.ResolveAliasAsync"/> with the alias cache, against a store whose alias lookup can be held
/// open: a lookup that overlaps an alias move must not leave the old version in the cache after the move returned.
/// </summary>
public sealed class AliasResolutionRaceTests
{
    [Fact]
    public async Task ResolveAlias_LookupOverlapsAliasMove_NextResolveSeesNewVersion()
    {
        var store = DispatchProxy.Create<IRegistryStore, AliasStoreProxy>();
        var state = (AliasStoreProxy)(object)store;
        state.Version = 1;
        var options = new RegistryOptions { AliasCacheLifetime = TimeSpan.FromMinutes(5) };
        var service = new RegistryService(store, DispatchProxy.Create<ITrackingStore, UnusedProxy>(), options,
            new AliasCache(options, TimeProvider.System), new WebhookSignal(), TimeProvider.System);

        // A reader looks the alias up (finds version 1) and is held before it fills the cache.
        state.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = service.ResolveAliasAsync("m", "champion", CancellationToken.None).AsTask();
        await state.LookupStarted.Task;
        state.LookupStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Meanwhile the alias moves to version 2, and the move returns.
        await service.SetAliasAsync("m", "champion", 2, new AuditContext("alice", null), CancellationToken.None);
        state.Hold.SetResult();
        Assert.Equal(1, await reader);

        // A resolve that starts after the move returned must see it.
        state.Hold = null;
        Assert.Equal(2, await service.ResolveAliasAsync("m", "champion", CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAlias_AfterMove_SeesNewVersion()
    {
        var store = DispatchProxy.Create<IRegistryStore, AliasStoreProxy>();
        var state = (AliasStoreProxy)(object)store;
        state.Version = 1;
        var options = new RegistryOptions { AliasCacheLifetime = TimeSpan.FromMinutes(5) };
        var service = new RegistryService(store, DispatchProxy.Create<ITrackingStore, UnusedProxy>(), options,
            new AliasCache(options, TimeProvider.System), new WebhookSignal(), TimeProvider.System);
        Assert.Equal(1, await service.ResolveAliasAsync("m", "champion", CancellationToken.None));
        var lookups = state.Lookups;

        Assert.Equal(1, await service.ResolveAliasAsync("m", "champion", CancellationToken.None));
        Assert.Equal(lookups, state.Lookups);
        await service.SetAliasAsync("m", "champion", 2, new AuditContext("alice", null), CancellationToken.None);

        Assert.Equal(2, await service.ResolveAliasAsync("m", "champion", CancellationToken.None));
        Assert.Equal(lookups + 1, state.Lookups);
    }

    /// <summary>A store with one alias and no policy; the alias lookup reads the value first, then waits for <see cref="Hold"/>.</summary>
    public class AliasStoreProxy : DispatchProxy
    {
        public long? Version { get; set; }

        public int Lookups { get; private set; }

        public TaskCompletionSource? Hold { get; set; }

        public TaskCompletionSource LookupStarted { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            nameof(IRegistryStore.GetPolicyAsync) => Task.FromResult<ApprovalPolicy?>(null),
            nameof(IRegistryStore.SetAliasAsync) => SetAlias((long)args![2]!),
            nameof(IRegistryStore.ResolveAliasAsync) => ResolveAsync(),
            _ => throw new NotSupportedException(targetMethod?.Name),
        };

        private Task SetAlias(long version)
        {
            Version = version;
            return Task.CompletedTask;
        }

        private async Task<long?> ResolveAsync()
        {
            Lookups++;
            var found = Version;
            LookupStarted.TrySetResult();
            if (Hold is { } hold)
                await hold.Task;
            return found;
        }
    }

    public class UnusedProxy : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new NotSupportedException(targetMethod?.Name);
    }
}
