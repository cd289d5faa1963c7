using System.Net;
using System.Text.Json;
using Slipway.Security.Tests.Core;
using static Slipway.Security.Tests.Api.AccountsApiFixture;

namespace Slipway.Security.Tests.Api;

/// <summary>MLflow's auth REST API (what MLflow's <c>AuthServiceClient</c> sends), with MLflow's answer shapes.</summary>
public sealed class MlflowAuthApiTests(AccountsApiFixture api) : IClassFixture<AccountsApiFixture>
{
    [Fact]
    public async Task UsersCreateAndGet_AnswerMlflowsUserShape()
    {
        var name = Unique("mlflow-user");

        var created = await api.SendAsync(api.Admin, "POST", MlflowApi + "users/create", new { username = name, password = UserPassword });
        var fetched = await api.SendAsync(api.Admin, "GET", $"{MlflowApi}users/get?username={name}");
        var missing = await api.SendAsync(api.Admin, "GET", $"{MlflowApi}users/get?username={Unique("nobody")}");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var user = created.Json.GetProperty("user");
        Assert.Equal(["id", "username", "is_admin", "experiment_permissions", "registered_model_permissions"],
            user.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Number, user.GetProperty("id").ValueKind);
        Assert.Equal((name, false), (user.GetProperty("username").GetString(), user.GetProperty("is_admin").GetBoolean()));
        Assert.Equal(user.GetProperty("id").GetInt64(), fetched.Json.GetProperty("user").GetProperty("id").GetInt64());
        missing.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task ExperimentPermissions_CreateGetUpdateDelete_WithMlflowShapesAndErrors()
    {
        var (_, owner) = await api.NewUserAsync("owner");
        var (member, _) = await api.NewUserAsync("member");
        var experiment = await api.NewExperimentAsync(owner);
        var path = MlflowApi + "experiments/permissions/";

        var created = await api.SendAsync(owner, "POST", path + "create", new { experiment_id = experiment, username = member, permission = "READ" });
        var duplicate = await api.SendAsync(owner, "POST", path + "create", new { experiment_id = experiment, username = member, permission = "EDIT" });
        var updated = await api.SendAsync(owner, "PATCH", path + "update", new { experiment_id = experiment, username = member, permission = "MANAGE" });
        var fetched = await api.SendAsync(owner, "GET", $"{path}get?experiment_id={experiment}&username={member}");
        var userView = await api.SendAsync(api.Admin, "GET", $"{MlflowApi}users/get?username={member}");
        var deleted = await api.SendAsync(owner, "DELETE", path + "delete", new { experiment_id = experiment, username = member });
        var gone = await api.SendAsync(owner, "GET", $"{path}get?experiment_id={experiment}&username={member}");
        var unknownUser = await api.SendAsync(owner, "POST", path + "create", new { experiment_id = experiment, username = Unique("ghost"), permission = "READ" });

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var permission = created.Json.GetProperty("experiment_permission");
        Assert.Equal(["experiment_id", "user_id", "permission"], permission.EnumerateObject().Select(p => p.Name));
        Assert.Equal((experiment, "READ"), (permission.GetProperty("experiment_id").GetString(), permission.GetProperty("permission").GetString()));
        duplicate.AssertError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        Assert.Equal((HttpStatusCode.OK, "{}"), (updated.Status, updated.Text));
        Assert.Equal("MANAGE", fetched.Json.GetProperty("experiment_permission").GetProperty("permission").GetString());
        var listed = Assert.Single(userView.Json.GetProperty("user").GetProperty("experiment_permissions").EnumerateArray());
        Assert.Equal(permission.GetProperty("user_id").GetInt64(), listed.GetProperty("user_id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        gone.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        unknownUser.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task RegisteredModelPermissions_AnswerWithName()
    {
        var (member, _) = await api.NewUserAsync("model-member");
        var model = Unique("model");

        var created = await api.SendAsync(api.Admin, "POST", MlflowApi + "registered-models/permissions/create",
            new { name = model, username = member, permission = "EDIT" });
        var fetched = await api.SendAsync(api.Admin, "GET", $"{MlflowApi}registered-models/permissions/get?name={model}&username={member}");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var permission = fetched.Json.GetProperty("registered_model_permission");
        Assert.Equal(["name", "user_id", "permission"], permission.EnumerateObject().Select(p => p.Name));
        Assert.Equal((model, "EDIT"), (permission.GetProperty("name").GetString(), permission.GetProperty("permission").GetString()));
    }

    [Fact]
    public async Task UpdatePassword_SelfSignedInWithPassword_Works_OtherUser_Is403()
    {
        var (name, credentials) = await api.NewUserAsync("mlflow-self");
        var (other, _) = await api.NewUserAsync("mlflow-other");
        const string changed = "changed-through-mlflow";

        var others = await api.SendAsync(credentials, "PATCH", MlflowApi + "users/update-password", new { username = other, password = changed });
        var own = await api.SendAsync(credentials, "PATCH", MlflowApi + "users/update-password", new { username = name, password = changed });

        others.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(AuthServer.Basic(name, changed), "GET", SlipwayApi + "whoami")).Status);
    }

    [Fact]
    public async Task UpdateAdminAndDelete_AdminOnly()
    {
        var (name, credentials) = await api.NewUserAsync("mlflow-admin");

        var selfPromote = await api.SendAsync(credentials, "PATCH", MlflowApi + "users/update-admin", new { username = name, is_admin = true });
        var promote = await api.SendAsync(api.Admin, "PATCH", MlflowApi + "users/update-admin", new { username = name, is_admin = true });
        var view = await api.SendAsync(api.Admin, "GET", $"{MlflowApi}users/get?username={name}");
        var missingFlag = await api.SendAsync(api.Admin, "PATCH", MlflowApi + "users/update-admin", new { username = name });
        var delete = await api.SendAsync(api.Admin, "DELETE", MlflowApi + "users/delete", new { username = name });

        selfPromote.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, promote.Status);
        Assert.True(view.Json.GetProperty("user").GetProperty("is_admin").GetBoolean());
        missingFlag.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal(HttpStatusCode.OK, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(api.Admin, "GET", $"{MlflowApi}users/get?username={name}")).Status);
    }
}
