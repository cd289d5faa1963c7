using Slipway.Core.Security;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance.Security;

public abstract partial class SecurityStoreCompliance
{
    [Fact]
    public async Task PurgeExperiment_DropsItsGrantsInTheSameTransaction()
    {
        var tracking = fixture.Get<ITrackingStore>();
        var experiment = await tracking.CreateExperimentAsync(Unique("purged"), null, [], Now, Ct);
        var kept = await tracking.CreateExperimentAsync(Unique("kept"), null, [], Now, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Experiment, experiment, "alice", PermissionLevel.Manage), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Experiment, kept, "alice", PermissionLevel.Manage), Root, Ct);
        await tracking.SetExperimentLifecycleAsync(experiment, LifecycleStage.Deleted, Now, Root, Ct);

        var purged = await tracking.PurgeExperimentAsync(experiment, Now + 1, Now + 2, Root, Ct);

        Assert.True(purged);
        Assert.Empty(await Store.ListPermissionsAsync(ResourceKind.Experiment, experiment, null, Ct));
        Assert.Single(await Store.ListPermissionsAsync(ResourceKind.Experiment, kept, null, Ct));
        Assert.Contains("permission.deleted", (await EventsAsync($"experiments/{experiment}/permissions/alice")).Select(e => e.Action));
    }
}
