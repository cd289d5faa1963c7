using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class RegistryStoreCompliance
{
    [Fact]
    public async Task Mutations_EachAppendOneAuditEvent_WithActionResourceActorAndRequest()
    {
        var name = Unique();
        var bob = new AuditContext("bob", "req-bob");

        await Store.CreateRegisteredModelAsync(name, null, [], Now, bob, Ct);
        await Store.UpdateRegisteredModelAsync(name, "d", Now, bob, Ct);
        await Store.SetRegisteredModelTagAsync(name, new Tag("k", "v"), bob, Ct);
        await Store.DeleteRegisteredModelTagAsync(name, "k", bob, Ct);
        await Store.CreateModelVersionAsync(new NewModelVersion(name, "s3://m", null, null, null, null, []), Now, bob, Ct);
        await Store.UpdateModelVersionAsync(name, 1, "d", Now, bob, Ct);
        await Store.SetModelVersionTagAsync(name, 1, new Tag("k", "v"), bob, Ct);
        await Store.DeleteModelVersionTagAsync(name, 1, "k", bob, Ct);
        await Store.TransitionStageAsync(name, 1, ModelStages.Staging, false, Now, bob, Ct);
        await Store.SetAliasAsync(name, "champion", 1, bob, Ct);
        await Store.DeleteAliasAsync(name, "champion", bob, Ct);
        await Store.SetModelCardAsync(name, 1, Card(), bob, Ct);
        await Store.SetPolicyAsync(name, Policy(), bob, Ct);
        await Store.SetPolicyAsync(name, null, bob, Ct);
        await Store.DeleteModelVersionAsync(name, 1, Now, bob, Ct);

        var events = await ModelEventsAsync(name);

        string[] expected =
        [
            $"{RegistryActions.ModelCreated} {AuditResources.Model(name)}",
            $"{RegistryActions.ModelUpdated} {AuditResources.Model(name)}",
            $"{RegistryActions.ModelTagSet} {AuditResources.Model(name)}",
            $"{RegistryActions.ModelTagDeleted} {AuditResources.Model(name)}",
            $"{RegistryActions.VersionCreated} {AuditResources.ModelVersion(name, 1)}",
            $"{RegistryActions.VersionUpdated} {AuditResources.ModelVersion(name, 1)}",
            $"{RegistryActions.VersionTagSet} {AuditResources.ModelVersion(name, 1)}",
            $"{RegistryActions.VersionTagDeleted} {AuditResources.ModelVersion(name, 1)}",
            $"{RegistryActions.VersionStageChanged} {AuditResources.ModelVersion(name, 1)}",
            $"{RegistryActions.AliasSet} {AuditResources.Alias(name, "champion")}",
            $"{RegistryActions.AliasDeleted} {AuditResources.Alias(name, "champion")}",
            $"{RegistryActions.ModelCardSet} {AuditResources.ModelVersion(name, 1)}",
            $"{RegistryActions.PolicySet} {AuditResources.Model(name)}",
            $"{RegistryActions.PolicyDeleted} {AuditResources.Model(name)}",
            $"{RegistryActions.VersionDeleted} {AuditResources.ModelVersion(name, 1)}",
        ];
        Assert.Equal(expected, events.Select(e => $"{e.Action} {e.Resource}"));
        Assert.All(events, e => Assert.Equal(("bob", "req-bob"), (e.Actor, e.RequestId)));
        Assert.Equal("""{"current_stage":"None"}""", events[8].Before);
        Assert.Equal("""{"current_stage":"Staging"}""", events[8].After);
        Assert.Equal("""{"key":"k","value":"v"}""", events[7].Before);
        Assert.Null(events[7].After);
    }

    [Fact]
    public async Task Search_NewestFirst_PagesFromTheLatestEventBackwards()
    {
        var name = Unique();
        var bob = new AuditContext("bob", null);
        await Store.CreateRegisteredModelAsync(name, null, [], Now, bob, Ct);
        for (var i = 0; i < 4; i++)
            await Store.UpdateRegisteredModelAsync(name, "description " + i, Now, bob, Ct);
        var oldestFirst = await ModelEventsAsync(name);

        var (first, firstHasMore) = await Audit.SearchAsync(new AuditQuery(AuditResources.Model(name), null, null, 3, 0, NewestFirst: true), Ct);
        var (second, secondHasMore) = await Audit.SearchAsync(new AuditQuery(AuditResources.Model(name), null, null, 3, 3, NewestFirst: true), Ct);

        Assert.Equal(oldestFirst.Select(e => e.Id).Reverse(), first.Concat(second).Select(e => e.Id));
        Assert.True(firstHasMore);
        Assert.False(secondHasMore);
        Assert.Equal(RegistryActions.ModelCreated, second[^1].Action);
    }

    [Fact]
    public async Task SetAlias_MovedTwiceThenDeleted_AuditBeforeAndAfterChain()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);

        await Store.SetAliasAsync(name, "champion", 1, Alice, Ct);
        await Store.SetAliasAsync(name, "champion", 2, Alice, Ct);
        await Store.DeleteAliasAsync(name, "champion", Alice, Ct);

        var (events, _) = await Audit.SearchAsync(new AuditQuery(AuditResources.Alias(name, "champion"), null, null, 10, 0), Ct);
        Assert.Equal([RegistryActions.AliasSet, RegistryActions.AliasSet, RegistryActions.AliasDeleted], events.Select(e => e.Action));
        Assert.Equal([null, """{"version":1}""", """{"version":2}"""], events.Select(e => e.Before));
        Assert.Equal(["""{"version":1}""", """{"version":2}""", null], events.Select(e => e.After));
    }

    [Fact]
    public async Task RenameRegisteredModel_AuditEvent_IsOnTheNewNameWithBothNames()
    {
        var name = await CreateModelAsync();
        var newName = Unique("renamed");

        await Store.RenameRegisteredModelAsync(name, newName, Now + 1, Alice, Ct);

        var renamed = Assert.Single(await ModelEventsAsync(newName));
        Assert.Equal(RegistryActions.ModelRenamed, renamed.Action);
        Assert.Equal($$"""{"name":"{{name}}"}""", renamed.Before);
        Assert.Equal($$"""{"name":"{{newName}}"}""", renamed.After);
        Assert.Equal(Now + 1, renamed.Timestamp);
    }

    [Fact]
    public async Task AuditSearch_ByResource_FindsItAndWhatIsBelowItButNotSiblingsSharingAPrefix()
    {
        var name = await CreateModelAsync();
        await CreateModelAsync(name + "2");
        await CreateModelAsync(name + "0");
        await CreateVersionAsync(name);
        await CreateVersionAsync(name + "2");

        var events = await ModelEventsAsync(name);
        var versionEvents = await Audit.SearchAsync(new AuditQuery(AuditResources.ModelVersion(name, 1), null, null, 10, 0), Ct);

        Assert.Equal([AuditResources.Model(name), AuditResources.ModelVersion(name, 1)], events.Select(e => e.Resource));
        Assert.Equal([RegistryActions.VersionCreated], versionEvents.Items.Select(e => e.Action));
    }

    [Fact]
    public async Task AuditSearch_SinceActionAndPaging_FilterOldestFirst()
    {
        var name = await CreateModelAsync(now: Now);
        await CreateVersionAsync(name, Now + 10);
        await CreateVersionAsync(name, Now + 20);
        await Store.UpdateRegisteredModelAsync(name, "d", Now + 30, Alice, Ct);
        var resource = AuditResources.Model(name);

        var since = await Audit.SearchAsync(new AuditQuery(resource, null, Now + 10, 10, 0), Ct);
        var created = await Audit.SearchAsync(new AuditQuery(resource, RegistryActions.VersionCreated, null, 10, 0), Ct);
        var firstPage = await Audit.SearchAsync(new AuditQuery(resource, null, null, 3, 0), Ct);
        var secondPage = await Audit.SearchAsync(new AuditQuery(resource, null, null, 3, 3), Ct);

        Assert.Equal([Now + 10, Now + 20, Now + 30], since.Items.Select(e => e.Timestamp));
        Assert.Equal([AuditResources.ModelVersion(name, 1), AuditResources.ModelVersion(name, 2)], created.Items.Select(e => e.Resource));
        Assert.Equal([RegistryActions.ModelCreated, RegistryActions.VersionCreated, RegistryActions.VersionCreated], firstPage.Items.Select(e => e.Action));
        Assert.True(firstPage.HasMore);
        Assert.Equal([RegistryActions.ModelUpdated], secondPage.Items.Select(e => e.Action));
        Assert.False(secondPage.HasMore);
        Assert.True(firstPage.Items[0].Id < firstPage.Items[1].Id);
    }

    [Fact]
    public async Task FailedMutation_AppendsNoAuditEvent()
    {
        var name = await CreateModelAsync();

        var other = await CreateModelAsync();

        await AssertErrorAsync(Core.Errors.ErrorCode.ResourceDoesNotExist, () => Store.SetAliasAsync(name, "champion", 9, Alice, Ct));
        await AssertErrorAsync(Core.Errors.ErrorCode.ResourceAlreadyExists, () => Store.RenameRegisteredModelAsync(name, other, Now, Alice, Ct));

        Assert.Equal([RegistryActions.ModelCreated], (await ModelEventsAsync(name)).Select(e => e.Action));
        Assert.Equal([RegistryActions.ModelCreated], (await ModelEventsAsync(other)).Select(e => e.Action));
    }
}
