using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Audit;
using static Slipway.Security.Tests.Api.AccountsApiFixture;

namespace Slipway.Security.Tests.Api;

/// <summary>The <c>permissions</c> routes: MANAGE on a resource (or an administrator) decides who else may use it.</summary>
public sealed class PermissionApiTests(AccountsApiFixture api) : IClassFixture<AccountsApiFixture>
{
    [Fact]
    public async Task Permissions_SetListDelete_RoundTripTakeEffectAndAuditTheActor()
    {
        var (ownerName, owner) = await api.NewUserAsync("owner");
        var (reader, readerCredentials) = await api.NewUserAsync("reader");
        var experiment = await api.NewExperimentAsync(owner);
        var grant = new { resource_type = "experiments", resource = experiment, user = reader, permission = "EDIT" };

        var set = await api.SendAsync(owner, "PUT", SlipwayApi + "permissions", grant);
        var listed = await api.SendAsync(owner, "GET", $"{SlipwayApi}permissions?resource_type=experiments&resource={experiment}");
        var edit = await api.SendAsync(readerCredentials, "POST", MlflowApi + "experiments/set-experiment-tag",
            new { experiment_id = experiment, key = "k", value = "v" });
        var deleted = await api.SendAsync(owner, "DELETE", SlipwayApi + "permissions", new { resource_type = "experiments", resource = experiment, user = reader });
        var afterDelete = await api.SendAsync(owner, "GET", $"{SlipwayApi}permissions?resource_type=experiments&resource={experiment}&user={reader}");
        var deleteAgain = await api.SendAsync(owner, "DELETE", SlipwayApi + "permissions", new { resource_type = "experiments", resource = experiment, user = reader });

        Assert.Equal(HttpStatusCode.OK, set.Status);
        var permission = set.Json.GetProperty("permission");
        Assert.Equal(("experiments", experiment, reader, "EDIT"), (permission.GetProperty("resource_type").GetString(),
            permission.GetProperty("resource").GetString(), permission.GetProperty("user").GetString(), permission.GetProperty("permission").GetString()));
        Assert.Contains(listed.Json.GetProperty("permissions").EnumerateArray(),
            p => p.GetProperty("user").GetString() == reader && p.GetProperty("permission").GetString() == "EDIT");
        Assert.Equal(HttpStatusCode.OK, edit.Status);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(0, afterDelete.Json.GetProperty("permissions").GetArrayLength());
        deleteAgain.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var audit = api.Server.Services.GetRequiredService<IAuditStore>();
        var (events, _) = await audit.SearchAsync(new AuditQuery($"experiments/{experiment}/permissions/{reader}", null, null, 10, 0), CancellationToken.None);
        Assert.Equal([("permission.set", ownerName), ("permission.deleted", ownerName)], events.Select(e => (e.Action, e.Actor)));
    }

    [Fact]
    public async Task Permissions_WithoutManage_Are403AndChangeNothing()
    {
        var (_, owner) = await api.NewUserAsync("owner");
        var (outsider, outsiderCredentials) = await api.NewUserAsync("outsider");
        var experiment = await api.NewExperimentAsync(owner);

        var selfGrant = await api.SendAsync(outsiderCredentials, "PUT", SlipwayApi + "permissions",
            new { resource_type = "experiments", resource = experiment, user = outsider, permission = "MANAGE" });
        var listOthers = await api.SendAsync(outsiderCredentials, "GET", $"{SlipwayApi}permissions?resource_type=experiments&resource={experiment}");
        var listAll = await api.SendAsync(outsiderCredentials, "GET", SlipwayApi + "permissions");
        var listOwn = await api.SendAsync(outsiderCredentials, "GET", $"{SlipwayApi}permissions?user={outsider}");

        selfGrant.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        listOthers.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        listAll.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, listOwn.Status);
        Assert.Equal(0, listOwn.Json.GetProperty("permissions").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"resource_type": "notebooks", "resource": "x", "user": "u", "permission": "READ"}""")]
    [InlineData("""{"resource_type": "models", "resource": "x", "user": "u", "permission": "OWNER"}""")]
    [InlineData("""{"resource_type": "models", "resource": "x", "user": "u:v", "permission": "READ"}""")]
    [InlineData("""{"resource": "x", "user": "u", "permission": "READ"}""")]
    [InlineData("""{"resource_type": "models", "user": "u", "permission": "READ"}""")]
    [InlineData("""{"resource_type": "models", "resource": "x", "permission": "READ"}""")]
    [InlineData("""{"resource_type": 7, "resource": "x", "user": "u", "permission": "READ"}""")]
    public async Task SetPermission_InvalidInput_Is400AndStoresNothing(string body)
    {
        var answer = await api.SendAsync(api.Admin, "PUT", SlipwayApi + "permissions", body);
        var stored = await api.SendAsync(api.Admin, "GET", SlipwayApi + "permissions?user=u");

        answer.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal(0, stored.Json.GetProperty("permissions").GetArrayLength());
    }

    [Fact]
    public async Task SetPermission_NoPermissions_DeniesAUserTheDefault()
    {
        var (_, owner) = await api.NewUserAsync("owner");
        var (denied, deniedCredentials) = await api.NewUserAsync("denied");
        var experiment = await api.NewExperimentAsync(owner);
        var before = await api.SendAsync(deniedCredentials, "GET", $"{MlflowApi}experiments/get?experiment_id={experiment}");

        await api.SendAsync(api.Admin, "PUT", SlipwayApi + "permissions",
            new { resource_type = "experiments", resource = experiment, user = denied, permission = "NO_PERMISSIONS" });
        var after = await api.SendAsync(deniedCredentials, "GET", $"{MlflowApi}experiments/get?experiment_id={experiment}");

        Assert.Equal(HttpStatusCode.OK, before.Status);
        after.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }
}
