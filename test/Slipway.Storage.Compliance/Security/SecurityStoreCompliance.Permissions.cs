using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Storage.Compliance.Security;

public abstract partial class SecurityStoreCompliance
{
    [Fact]
    public async Task SetPermission_CreatesThenReplaces_AndAuditsBoth()
    {
        var model = Unique("model");
        var resource = new ResourceRef(ResourceKind.Model, model);

        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Model, model, "alice", PermissionLevel.Read), Root, Ct);
        var replaced = await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Model, model, "alice", PermissionLevel.Manage), Root, Ct);

        Assert.Equal(PermissionLevel.Manage, replaced.Level);
        Assert.Equal(replaced, await Store.GetPermissionAsync(resource, "alice", Ct));
        Assert.Null(await Store.GetPermissionAsync(resource, "bob", Ct));
        var events = await EventsAsync($"models/{model}");
        Assert.Equal(["permission.set", "permission.set"], events.Select(e => e.Action));
        Assert.Contains("\"permission\":\"READ\"", events[1].Before);
        Assert.Contains("\"permission\":\"MANAGE\"", events[1].After);
    }

    [Fact]
    public async Task SetPermission_None_IsStoredAsExplicitDenial()
    {
        var pipeline = Unique("pipe");

        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Pipeline, pipeline, "carol", PermissionLevel.None), Root, Ct);

        var grant = await Store.GetPermissionAsync(new ResourceRef(ResourceKind.Pipeline, pipeline), "carol", Ct);
        Assert.Equal(PermissionLevel.None, grant!.Level);
    }

    [Fact]
    public async Task DeletePermission_RemovesIt_AndMissingThrowsNotFound()
    {
        var monitor = Unique("mon");
        var resource = new ResourceRef(ResourceKind.Monitor, monitor);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Monitor, monitor, "dave", PermissionLevel.Edit), Root, Ct);

        await Store.DeletePermissionAsync(resource, "dave", Root, Ct);
        var again = await Assert.ThrowsAsync<SlipwayException>(() => Store.DeletePermissionAsync(resource, "dave", Root, Ct));

        Assert.Null(await Store.GetPermissionAsync(resource, "dave", Ct));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, again.Code);
        Assert.Equal(["permission.set", "permission.deleted"], (await EventsAsync($"monitors/{monitor}")).Select(e => e.Action));
    }

    [Fact]
    public async Task ListPermissions_FiltersByKindKeyAndUser()
    {
        var key = Unique("shared");
        var user = Unique("lister");
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Endpoint, key, user, PermissionLevel.Read), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Endpoint, key, "erin", PermissionLevel.Edit), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Model, key, user, PermissionLevel.Manage), Root, Ct);

        var onEndpoint = await Store.ListPermissionsAsync(ResourceKind.Endpoint, key, null, Ct);
        var ofUser = await Store.ListPermissionsAsync(null, null, user, Ct);
        var exact = await Store.ListPermissionsAsync(ResourceKind.Model, key, user, Ct);
        var keyOnly = await Store.ListPermissionsAsync(null, key, null, Ct);

        Assert.Equal([(user, PermissionLevel.Read), ("erin", PermissionLevel.Edit)],
            onEndpoint.Select(g => (g.User, g.Level)).OrderBy(p => p.Level));
        Assert.Equal([ResourceKind.Model, ResourceKind.Endpoint], ofUser.Select(g => g.Kind).Order());
        Assert.Equal(PermissionLevel.Manage, Assert.Single(exact).Level);
        Assert.Equal(3, keyOnly.Count);
    }

    [Fact]
    public async Task ForgetResource_DropsEveryGrantOnIt_Only()
    {
        var experiment = Unique("9");
        var other = Unique("10");
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Experiment, experiment, "alice", PermissionLevel.Manage), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Experiment, experiment, "bob", PermissionLevel.Read), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Experiment, other, "alice", PermissionLevel.Read), Root, Ct);

        await Store.ForgetResourceAsync(new ResourceRef(ResourceKind.Experiment, experiment), Root, Ct);

        Assert.Empty(await Store.ListPermissionsAsync(ResourceKind.Experiment, experiment, null, Ct));
        Assert.Single(await Store.ListPermissionsAsync(ResourceKind.Experiment, other, null, Ct));
        Assert.Equal(2, (await EventsAsync($"experiments/{experiment}")).Count(e => e.Action == "permission.deleted"));
    }

    [Fact]
    public async Task RenameResource_MovesGrantsToNewKey()
    {
        var from = Unique("old");
        var to = Unique("new");
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Model, from, "alice", PermissionLevel.Manage), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Model, from, "bob", PermissionLevel.None), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Model, to, "bob", PermissionLevel.Manage), Root, Ct);

        await Store.RenameResourceAsync(new ResourceRef(ResourceKind.Model, from), to, Root, Ct);

        Assert.Empty(await Store.ListPermissionsAsync(ResourceKind.Model, from, null, Ct));
        Assert.Equal([("alice", PermissionLevel.Manage), ("bob", PermissionLevel.None)],
            (await Store.ListPermissionsAsync(ResourceKind.Model, to, null, Ct)).Select(g => (g.User, g.Level)));
        Assert.Contains("permission.set", (await EventsAsync($"models/{to}/permissions/alice")).Select(e => e.Action));
    }
}
