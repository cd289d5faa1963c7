using System.Net;
using Slipway.Client;

namespace Slipway.Security.Tests.Clients;

/// <summary>The SDK's admin API methods (users, whoami, tokens, permissions) against a real server with auth on.</summary>
public sealed class SdkAdminApiTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task Users_CreateGetUpdateListDelete_RoundTrip()
    {
        var name = "sdk-user-" + Guid.NewGuid().ToString("N")[..8];

        var created = await server.Admin.CreateUserAsync(name, "pw-" + Guid.NewGuid().ToString("N"), roles: ["approver"]);
        var updated = await server.Admin.UpdateUserAsync(name, admin: true, roles: []);
        var listed = await server.Admin.ListUsersAsync();
        await server.Admin.DeleteUserAsync(name);
        var afterDelete = await Assert.ThrowsAsync<SlipwayApiException>(() => server.Admin.GetUserAsync(name));

        Assert.Equal((name, false), (created.Name, created.Admin));
        Assert.Equal(["approver"], created.Roles);
        Assert.True(updated.Admin);
        Assert.Empty(updated.Roles);
        Assert.Contains(listed, u => u.Name == name && u.Admin);
        Assert.Contains(listed, u => u.Name == AuthServerFixture.AdminName);
        Assert.True(afterDelete.IsNotFound, afterDelete.ToString());
    }

    [Fact]
    public async Task ListUsers_NotAdmin_ThrowsPermissionDenied()
    {
        var eve = await server.NewUserAsync("sdk-eve");
        using var asEve = server.As(eve.Name, eve.Password);

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => asEve.ListUsersAsync());

        Assert.Equal((HttpStatusCode.Forbidden, ApiErrorCodes.PermissionDenied), (error.StatusCode, error.ErrorCode));
    }

    [Fact]
    public async Task UpdateUser_OwnPasswordWithCurrentPassword_OnlyNewPasswordWorks()
    {
        var frank = await server.NewUserAsync("sdk-frank");
        var newPassword = "new-pw-" + Guid.NewGuid().ToString("N");
        using (var asFrank = server.As(frank.Name, frank.Password))
            await asFrank.UpdateUserAsync(frank.Name, password: newPassword, currentPassword: frank.Password);

        using var withNew = server.As(frank.Name, newPassword);
        using var withOld = server.As(frank.Name, frank.Password);

        Assert.Equal(frank.Name, (await withNew.WhoAmIAsync()).User?.Name);
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => withOld.WhoAmIAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Tokens_CreateListRevoke_TokenWorksUntilRevoked()
    {
        var grace = await server.NewUserAsync("sdk-grace");
        using var asGrace = server.As(grace.Name, grace.Password);

        var created = await asGrace.CreateTokenAsync("laptop", expiresInDays: 7);
        using var withToken = server.WithToken(created.Secret);
        var me = await withToken.WhoAmIAsync();
        var listed = Assert.Single(await asGrace.ListTokensAsync(), t => t.Id == created.Token.Id);
        var revoked = await asGrace.RevokeTokenAsync(created.Token.Id);
        var afterRevoke = await Assert.ThrowsAsync<SlipwayApiException>(() => withToken.WhoAmIAsync());

        Assert.StartsWith("slw_", created.Secret, StringComparison.Ordinal);
        Assert.Equal((TokenKinds.Personal, grace.Name, "laptop"), (created.Token.Kind, created.Token.Subject, created.Token.Name));
        Assert.Equal((grace.Name, AuthMethods.Token), (me.User?.Name, me.AuthMethod));
        Assert.StartsWith(listed.Prefix, created.Secret, StringComparison.Ordinal);
        Assert.True(listed.Prefix.Length < created.Secret.Length);
        Assert.NotNull(revoked.RevokedTime);
        Assert.Equal(ApiErrorCodes.Unauthenticated, afterRevoke.ErrorCode);
    }

    [Fact]
    public async Task CreateToken_ForAnotherUserWhenNotAdmin_ThrowsPermissionDenied()
    {
        var henry = await server.NewUserAsync("sdk-henry");
        var ivy = await server.NewUserAsync("sdk-ivy");
        using var asHenry = server.As(henry.Name, henry.Password);

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => asHenry.CreateTokenAsync("stolen", user: ivy.Name));

        Assert.Equal(ApiErrorCodes.PermissionDenied, error.ErrorCode);
    }

    [Fact]
    public async Task Permissions_SetListDelete_GrantDecidesWhoMayLog()
    {
        var owner = await server.NewUserAsync("sdk-owner");
        var guest = await server.NewUserAsync("sdk-guest");
        using var asOwner = server.As(owner.Name, owner.Password);
        using var asGuest = server.As(guest.Name, guest.Password);
        var experimentId = await asOwner.CreateExperimentAsync("sdk-perm-" + Guid.NewGuid().ToString("N"));

        var before = await Assert.ThrowsAsync<SlipwayApiException>(() => asGuest.CreateRunAsync(experimentId));
        var grant = await asOwner.SetPermissionAsync(ResourceTypes.Experiments, experimentId, guest.Name, PermissionNames.Edit);
        var run = await asGuest.CreateRunAsync(experimentId);
        var listed = await asOwner.ListPermissionsAsync(ResourceTypes.Experiments, experimentId);
        await asOwner.DeletePermissionAsync(ResourceTypes.Experiments, experimentId, guest.Name);
        var after = await Assert.ThrowsAsync<SlipwayApiException>(() => asGuest.CreateRunAsync(experimentId));

        Assert.Equal(ApiErrorCodes.PermissionDenied, before.ErrorCode);
        Assert.Equal(new ResourcePermission(ResourceTypes.Experiments, experimentId, guest.Name, PermissionNames.Edit), grant);
        Assert.False(string.IsNullOrEmpty(run.Info.RunId));
        Assert.Contains(new ResourcePermission(ResourceTypes.Experiments, experimentId, guest.Name, PermissionNames.Edit), listed);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Fact]
    public void CreatedAccessToken_ToString_LeavesTheSecretOut()
    {
        var created = new CreatedAccessToken(new AccessTokenInfo { Id = "tok_0123456789abcdef", Name = "ci", Prefix = "slw_abcdefgh" }, "slw_abcdefgh-the-rest-of-the-secret");

        var text = created.ToString();

        Assert.Contains("tok_0123456789abcdef", text, StringComparison.Ordinal);
        Assert.DoesNotContain("the-rest-of-the-secret", text, StringComparison.Ordinal);
    }
}
