using System.Net;
using Slipway.Security.Tests.Core;
using static Slipway.Security.Tests.Api.AccountsApiFixture;

namespace Slipway.Security.Tests.Api;

/// <summary>The <c>users</c> and <c>whoami</c> routes against a real server with authentication on.</summary>
public sealed class UserApiTests(AccountsApiFixture api) : IClassFixture<AccountsApiFixture>
{
    [Fact]
    public async Task CreateUser_ThenSignInWithBasic_WhoAmINamesTheUser()
    {
        var name = Unique("carol");

        var created = await api.SendAsync(api.Admin, "POST", SlipwayApi + "users", new { name, password = UserPassword, roles = new[] { "approver" } });
        var whoami = await api.SendAsync(AuthServer.Basic(name, UserPassword), "GET", SlipwayApi + "whoami");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var user = created.Json.GetProperty("user");
        Assert.Equal((name, false), (user.GetProperty("name").GetString(), user.GetProperty("admin").GetBoolean()));
        Assert.Equal(["approver"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(user.GetProperty("creation_time").GetInt64() > 0);
        Assert.DoesNotContain("password", created.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, whoami.Status);
        Assert.Equal(name, whoami.Json.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("password", whoami.Json.GetProperty("auth_method").GetString());
    }

    [Fact]
    public async Task WhoAmI_WithoutCredentials_Is401()
    {
        var answer = await api.SendAsync(null, "GET", SlipwayApi + "whoami");

        answer.AssertError(HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    [Theory]
    [InlineData("""{"name": "bad:name", "password": "user-password-for-tests"}""")]
    [InlineData("""{"name": "bad/name", "password": "user-password-for-tests"}""")]
    [InlineData("""{"name": "", "password": "user-password-for-tests"}""")]
    [InlineData("""{"name": "NAME", "password": "short"}""")]
    [InlineData("""{"name": "NAME", "password": "user-password-for-tests", "roles": ["admin"]}""")]
    [InlineData("""{"name": "NAME", "password": "user-password-for-tests", "admin": "yes"}""")]
    public async Task CreateUser_InvalidInput_Is400AndCreatesNothing(string body)
    {
        var name = Unique("invalid");
        var before = await api.SendAsync(api.Admin, "GET", SlipwayApi + "users");

        var answer = await api.SendAsync(api.Admin, "POST", SlipwayApi + "users", body.Replace("NAME", name, StringComparison.Ordinal));
        var after = await api.SendAsync(api.Admin, "GET", SlipwayApi + "users");

        answer.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal(before.Json.GetProperty("users").GetArrayLength(), after.Json.GetProperty("users").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(api.Admin, "GET", SlipwayApi + "users/" + name)).Status);
    }

    [Fact]
    public async Task CreateUser_Duplicate_Is400AlreadyExists()
    {
        var (name, _) = await api.NewUserAsync("twice");

        var again = await api.SendAsync(api.Admin, "POST", SlipwayApi + "users", new { name, password = UserPassword });

        again.AssertError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
    }

    [Fact]
    public async Task UsersRoutes_AsNonAdmin_Are403ExceptOwnAccount()
    {
        var (name, credentials) = await api.NewUserAsync("plain");
        var (other, _) = await api.NewUserAsync("other");

        var list = await api.SendAsync(credentials, "GET", SlipwayApi + "users");
        var create = await api.SendAsync(credentials, "POST", SlipwayApi + "users", new { name = Unique("sneaky"), password = UserPassword });
        var promote = await api.SendAsync(credentials, "PATCH", SlipwayApi + "users/" + name, new { admin = true });
        var readOther = await api.SendAsync(credentials, "GET", SlipwayApi + "users/" + other);
        var readSelf = await api.SendAsync(credentials, "GET", SlipwayApi + "users/" + name);

        list.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        create.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        promote.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        readOther.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, readSelf.Status);
        Assert.False((await api.SendAsync(api.Admin, "GET", SlipwayApi + "users/" + name)).Json.GetProperty("user").GetProperty("admin").GetBoolean());
    }

    [Fact]
    public async Task UpdateUser_OwnPassword_NeedsCurrentPassword()
    {
        var (name, credentials) = await api.NewUserAsync("repass");
        const string changed = "a-brand-new-password";

        var without = await api.SendAsync(credentials, "PATCH", SlipwayApi + "users/" + name, new { password = changed });
        var wrong = await api.SendAsync(credentials, "PATCH", SlipwayApi + "users/" + name, new { password = changed, current_password = "not-my-password" });
        var right = await api.SendAsync(credentials, "PATCH", SlipwayApi + "users/" + name, new { password = changed, current_password = UserPassword });

        without.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        wrong.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(credentials, "GET", SlipwayApi + "whoami")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(AuthServer.Basic(name, changed), "GET", SlipwayApi + "whoami")).Status);
    }

    [Fact]
    public async Task UpdateUser_AdminSetsRolesAndFlag_NullRolesLeaveThem()
    {
        var (name, _) = await api.NewUserAsync("promoted");

        var answer = await api.SendAsync(api.Admin, "PATCH", SlipwayApi + "users/" + name, new { admin = true, roles = new[] { "approver" } });
        var nullRoles = await api.SendAsync(api.Admin, "PATCH", SlipwayApi + "users/" + name, """{"admin": false, "roles": null}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var user = answer.Json.GetProperty("user");
        Assert.True(user.GetProperty("admin").GetBoolean());
        Assert.Equal(["approver"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        // A null list leaves the roles as they are.
        var after = nullRoles.Json.GetProperty("user");
        Assert.False(after.GetProperty("admin").GetBoolean());
        Assert.Equal(["approver"], after.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task DeleteUser_Yourself_Is400_AndDeletedUserCannotSignIn()
    {
        var (name, credentials) = await api.NewUserAsync("leaving");
        var token = await api.SendAsync(credentials, "POST", SlipwayApi + "tokens", new { name = "laptop" });

        var self = await api.SendAsync(api.Admin, "DELETE", SlipwayApi + "users/admin");
        var deleted = await api.SendAsync(api.Admin, "DELETE", SlipwayApi + "users/" + name);
        var missing = await api.SendAsync(api.Admin, "DELETE", SlipwayApi + "users/" + name);

        self.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        missing.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(credentials, "GET", SlipwayApi + "whoami")).Status);
        var secret = token.Json.GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(Bearer(secret), "GET", SlipwayApi + "whoami")).Status);
    }

    [Fact]
    public async Task LastAdministrator_CannotBeDemotedOrDeleted()
    {
        // A server of its own: the shared one must keep its administrator.
        await using var server = await AuthServer.StartAsync();
        var admin = AuthServer.Basic("admin", AuthServer.AdminPassword);
        var deputy = AuthServer.Basic("deputy", UserPassword);

        var demoteOnly = await AccountsApiFixture.SendAsync(server, admin, "PATCH", SlipwayApi + "users/admin", new { admin = false });
        await AccountsApiFixture.SendAsync(server, admin, "POST", SlipwayApi + "users", new { name = "deputy", password = UserPassword, admin = true });
        var deleteFirst = await AccountsApiFixture.SendAsync(server, deputy, "DELETE", SlipwayApi + "users/admin");
        var demoteLast = await AccountsApiFixture.SendAsync(server, deputy, "PATCH", SlipwayApi + "users/deputy", new { admin = false });

        demoteOnly.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal(HttpStatusCode.OK, deleteFirst.Status);
        demoteLast.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var whoami = await AccountsApiFixture.SendAsync(server, deputy, "GET", SlipwayApi + "whoami");
        Assert.True(whoami.Json.GetProperty("user").GetProperty("admin").GetBoolean());
    }
}
