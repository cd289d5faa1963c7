using System.Text.RegularExpressions;
using Slipway.Cli;
using Slipway.Client;

namespace Slipway.Security.Tests.Clients;

/// <summary>
/// <c>slipway users|tokens|permissions|whoami</c> end to end against a real server with auth on. The caller is named
/// by SLIPWAY_USER and MLFLOW_TRACKING_PASSWORD (or <c>--token</c>), so these tests change the environment and run alone.
/// </summary>
[Collection(ClientEnvironmentCollection.Name)]
public sealed partial class CliAuthTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private string Uri => server.BaseAddress.ToString();

    [Fact]
    public async Task Users_CreateListGetUpdateDelete_AsAdmin()
    {
        using var _ = SignedInAs(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);
        var name = "cli-user-" + Guid.NewGuid().ToString("N")[..8];
        var password = "pw-" + Guid.NewGuid().ToString("N");

        var created = await SecurityCli.RunWithInputAsync(password + "\n", "users", "create", name, "--role", "approver", "--password-stdin", "--tracking-uri", Uri);
        var listed = (await SecurityCli.RunAsync("users", "list", "--json", "--tracking-uri", Uri)).Json();
        var fetched = (await SecurityCli.RunAsync("users", "get", name, "--json", "--tracking-uri", Uri)).Json();
        var updated = (await SecurityCli.RunAsync("users", "update", name, "--admin", "--clear-roles", "--json", "--tracking-uri", Uri)).Json();
        using (var asNewUser = server.As(name, password))
            Assert.True((await asNewUser.WhoAmIAsync()).User?.Admin);
        var deleted = await SecurityCli.RunAsync("users", "delete", name, "--tracking-uri", Uri);

        Assert.True(created.ExitCode == CliApp.Success, created.ToString());
        Assert.Contains(name, created.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(password, created.Out + created.Error, StringComparison.Ordinal);
        Assert.Contains(listed.EnumerateArray(), u => u.GetProperty("name").GetString() == name);
        Assert.Equal("approver", Assert.Single(fetched.GetProperty("roles").EnumerateArray()).GetString());
        Assert.True(updated.GetProperty("admin").GetBoolean());
        Assert.Empty(updated.GetProperty("roles").EnumerateArray());
        Assert.True(deleted.ExitCode == CliApp.Success, deleted.ToString());
        Assert.True((await Assert.ThrowsAsync<SlipwayApiException>(() => server.Admin.GetUserAsync(name))).IsNotFound);
    }

    [Fact]
    public async Task UsersCreate_NotAdmin_FailsWithPermissionDenied()
    {
        var eve = await server.NewUserAsync("cli-eve");
        using var _ = SignedInAs(eve.Name, eve.Password);

        var outcome = await SecurityCli.RunWithInputAsync("pw-" + Guid.NewGuid().ToString("N") + "\n", "users", "create", "cli-mallory", "--password-stdin", "--tracking-uri", Uri);

        Assert.Equal(CliApp.Failure, outcome.ExitCode);
        Assert.Contains("PERMISSION_DENIED", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersCreate_PasswordStdinEmpty_IsUsageError()
    {
        using var _ = SignedInAs(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);

        var outcome = await SecurityCli.RunWithInputAsync("", "users", "create", "cli-nopassword", "--password-stdin", "--tracking-uri", Uri);

        Assert.Equal(CliApp.UsageError, outcome.ExitCode);
        Assert.True((await Assert.ThrowsAsync<SlipwayApiException>(() => server.Admin.GetUserAsync("cli-nopassword"))).IsNotFound);
    }

    [Fact]
    public async Task UsersUpdate_OwnPasswordSignedInWithIt_OnlyNewPasswordWorks()
    {
        var ivy = await server.NewUserAsync("cli-ivy");
        var newPassword = "new-pw-" + Guid.NewGuid().ToString("N");
        CliOutcome outcome;
        using (SignedInAs(ivy.Name, ivy.Password))
            outcome = await SecurityCli.RunWithInputAsync(newPassword + "\n", "users", "update", ivy.Name, "--password-stdin", "--tracking-uri", Uri);

        using var withNew = server.As(ivy.Name, newPassword);
        using var withOld = server.As(ivy.Name, ivy.Password);

        Assert.True(outcome.ExitCode == CliApp.Success, outcome.ToString());
        Assert.Contains("the password was changed", outcome.Out, StringComparison.Ordinal);
        Assert.Equal(ivy.Name, (await withNew.WhoAmIAsync()).User?.Name);
        Assert.Equal(ApiErrorCodes.Unauthenticated, (await Assert.ThrowsAsync<SlipwayApiException>(() => withOld.WhoAmIAsync())).ErrorCode);
    }

    [Fact]
    public async Task WhoAmI_Password_ShowsUserAndMethod()
    {
        var frank = await server.NewUserAsync("cli-frank", "approver");
        using var _ = SignedInAs(frank.Name, frank.Password);

        var me = (await SecurityCli.RunAsync("whoami", "--json", "--tracking-uri", Uri)).Json();
        var text = await SecurityCli.RunAsync("whoami", "--tracking-uri", Uri);

        Assert.Equal(frank.Name, me.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(AuthMethods.Password, me.GetProperty("auth_method").GetString());
        Assert.Contains($"{frank.Name} (not admin; roles: approver), signed in with password.", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoAmI_TokenInEnvironment_TokenWinsUnlessUserIsTyped()
    {
        var judy = await server.NewUserAsync("cli-judy");
        var kim = await server.NewUserAsync("cli-kim");
        using var asKim = server.As(kim.Name, kim.Password);
        var kimsToken = await asKim.CreateTokenAsync("env", expiresInDays: 1);
        using var _ = TrackingEnvironment.Set(server.BaseAddress, user: judy.Name, password: judy.Password, token: kimsToken.Secret);

        var fromEnvironment = (await SecurityCli.RunAsync("whoami", "--json", "--tracking-uri", Uri)).Json();
        var typedUser = (await SecurityCli.RunAsync("whoami", "--user", judy.Name, "--json", "--tracking-uri", Uri)).Json();

        Assert.Equal((kim.Name, AuthMethods.Token), (fromEnvironment.GetProperty("user").GetProperty("name").GetString(), fromEnvironment.GetProperty("auth_method").GetString()));
        Assert.Equal((judy.Name, AuthMethods.Password), (typedUser.GetProperty("user").GetProperty("name").GetString(), typedUser.GetProperty("auth_method").GetString()));
    }

    [Fact]
    public async Task WhoAmI_NoCredentials_FailsUnauthenticatedWithHint()
    {
        using var _ = TrackingEnvironment.Set(server.BaseAddress);

        var outcome = await SecurityCli.RunAsync("whoami", "--tracking-uri", Uri);

        Assert.Equal(CliApp.Failure, outcome.ExitCode);
        Assert.Contains("UNAUTHENTICATED", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("--token", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_CreateUseListRevoke_RevokedTokenGets401()
    {
        var grace = await server.NewUserAsync("cli-grace");
        using var _ = SignedInAs(grace.Name, grace.Password);

        var created = await SecurityCli.RunAsync("tokens", "create", "ci", "--expires-in", "7d", "--tracking-uri", Uri);
        var secret = SecretPattern().Match(created.Out).Value;
        var me = (await SecurityCli.RunAsync("whoami", "--token", secret, "--json", "--tracking-uri", Uri)).Json();
        var listOutcome = await SecurityCli.RunAsync("tokens", "list", "--json", "--tracking-uri", Uri);
        var token = Assert.Single(listOutcome.Json().EnumerateArray(), t => secret.StartsWith(t.GetProperty("prefix").GetString()!, StringComparison.Ordinal));
        var id = token.GetProperty("id").GetString()!;
        var revoked = await SecurityCli.RunAsync("tokens", "revoke", id, "--tracking-uri", Uri);
        var afterRevoke = await SecurityCli.RunAsync("whoami", "--token", secret, "--tracking-uri", Uri);

        Assert.True(created.ExitCode == CliApp.Success, created.ToString());
        Assert.Contains("not shown again", created.Out, StringComparison.Ordinal);
        Assert.Equal((grace.Name, AuthMethods.Token), (me.GetProperty("user").GetProperty("name").GetString(), me.GetProperty("auth_method").GetString()));
        Assert.DoesNotContain(secret, listOutcome.Out, StringComparison.Ordinal);
        Assert.True(token.TryGetProperty("expiry_time", out var expiry) && expiry.GetInt64() > DateTimeOffset.UtcNow.AddDays(6).ToUnixTimeMilliseconds());
        Assert.True(revoked.ExitCode == CliApp.Success, revoked.ToString());
        Assert.Equal(CliApp.Failure, afterRevoke.ExitCode);
        Assert.Contains("UNAUTHENTICATED", afterRevoke.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, afterRevoke.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensCreate_ForAnotherUserAsAdmin_TokenActsAsThatUser()
    {
        var henry = await server.NewUserAsync("cli-henry");
        using var _ = SignedInAs(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);

        var created = (await SecurityCli.RunAsync("tokens", "create", "batch", "--user", henry.Name, "--json", "--tracking-uri", Uri)).Json();
        using var withToken = server.WithToken(created.GetProperty("secret").GetString()!);

        Assert.Equal(henry.Name, created.GetProperty("token").GetProperty("subject").GetString());
        Assert.Equal(henry.Name, (await withToken.WhoAmIAsync()).User?.Name);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0d")]
    [InlineData("-3")]
    public async Task TokensCreate_BadExpiry_IsUsageError(string expiresIn)
    {
        using var _ = SignedInAs(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);

        var outcome = await SecurityCli.RunAsync("tokens", "create", "x", "--expires-in", expiresIn, "--tracking-uri", Uri);

        Assert.Equal(CliApp.UsageError, outcome.ExitCode);
    }

    [Fact]
    public async Task Permissions_SetListDenyDelete_DecideWhatTheUserMayDo()
    {
        var owner = await server.NewUserAsync("cli-owner");
        var guest = await server.NewUserAsync("cli-guest");
        using var asOwner = server.As(owner.Name, owner.Password);
        using var asGuest = server.As(guest.Name, guest.Password);
        var experimentId = await asOwner.CreateExperimentAsync("cli-perm-" + Guid.NewGuid().ToString("N"));
        using var _ = SignedInAs(owner.Name, owner.Password);
        string[] grant = ["--resource-type", "experiments", "--resource", experimentId, "--user", guest.Name, "--tracking-uri", Uri];

        var set = await SecurityCli.RunAsync(["permissions", "set", .. grant, "--permission", "EDIT"]);
        var run = await asGuest.CreateRunAsync(experimentId);
        var listed = (await SecurityCli.RunAsync(["permissions", "list", .. grant, "--json"])).Json();
        var deny = await SecurityCli.RunAsync(["permissions", "set", .. grant, "--permission", "NO_PERMISSIONS"]);
        var denied = await Assert.ThrowsAsync<SlipwayApiException>(() => asGuest.GetExperimentAsync(experimentId));
        var delete = await SecurityCli.RunAsync(["permissions", "delete", .. grant]);
        var readAgain = await asGuest.GetExperimentAsync(experimentId);

        Assert.True(set.ExitCode == CliApp.Success, set.ToString());
        Assert.Contains($"{guest.Name} now has EDIT on experiments/{experimentId}", set.Out, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(run.Info.RunId));
        var listedGrant = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("experiments", experimentId, guest.Name, "EDIT"), (
            listedGrant.GetProperty("resource_type").GetString(), listedGrant.GetProperty("resource").GetString(),
            listedGrant.GetProperty("user").GetString(), listedGrant.GetProperty("permission").GetString()));
        Assert.True(deny.ExitCode == CliApp.Success, deny.ToString());
        Assert.Equal(ApiErrorCodes.PermissionDenied, denied.ErrorCode);
        Assert.True(delete.ExitCode == CliApp.Success, delete.ToString());
        Assert.Equal(experimentId, readAgain.ExperimentId);
    }

    [Fact]
    public async Task PermissionsSet_UnknownResourceType_IsUsageError()
    {
        using var _ = SignedInAs(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);

        var outcome = await SecurityCli.RunAsync(
            "permissions", "set", "--resource-type", "widgets", "--resource", "1", "--user", "x", "--permission", "READ", "--tracking-uri", Uri);

        Assert.Equal(CliApp.UsageError, outcome.ExitCode);
        Assert.Contains("widgets", outcome.Error, StringComparison.Ordinal);
    }

    private TrackingEnvironment SignedInAs(string user, string password) =>
        TrackingEnvironment.Set(server.BaseAddress, password: password, slipwayUser: user);

    [GeneratedRegex("slw_[A-Za-z0-9_-]{20,}")]
    private static partial Regex SecretPattern();
}
