using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Storage.Compliance.Security;

public abstract partial class SecurityStoreCompliance
{
    [Fact]
    public async Task CreateToken_FindByHashAndId_RoundTrips()
    {
        var user = Unique("tok");
        var token = Token(user, expiry: Now + 1000);

        var created = await Store.CreateTokenAsync(token, Root, Ct);

        Assert.Equal(token, created);
        Assert.Equal(token, await Store.FindTokenByHashAsync(token.Hash, Ct));
        Assert.Equal(token, await Store.GetTokenAsync(token.Id, Ct));
        Assert.Null(await Store.FindTokenByHashAsync(new string('0', 64), Ct));
        Assert.Null(await Store.GetTokenAsync("tok_missing", Ct));
    }

    [Fact]
    public async Task CreateToken_DuplicateHash_ThrowsAlreadyExists()
    {
        var token = Token(Unique("duptok"));
        await Store.CreateTokenAsync(token, Root, Ct);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => Store.CreateTokenAsync(token with { Id = NewTokenId() }, Root, Ct));

        Assert.Equal(ErrorCode.ResourceAlreadyExists, error.Code);
    }

    [Fact]
    public async Task RevokeToken_Twice_KeepsFirstTimeAndAuditsOnce()
    {
        var user = Unique("rev");
        var token = await Store.CreateTokenAsync(Token(user), Root, Ct);

        var first = await Store.RevokeTokenAsync(token.Id, Now + 10, Root, Ct);
        var second = await Store.RevokeTokenAsync(token.Id, Now + 20, Root, Ct);
        var missing = await Assert.ThrowsAsync<SlipwayException>(() => Store.RevokeTokenAsync("tok_nope", Now, Root, Ct));
        var events = await EventsAsync($"users/{user}/tokens/{token.Id}");

        Assert.Equal((long?)(Now + 10), first.RevokedTime);
        Assert.Equal(first, second);
        Assert.False(second.IsActive(Now + 11));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
        Assert.Equal(["token.created", "token.revoked"], events.Select(e => e.Action));
    }

    [Fact]
    public void IsActive_HonoursExpiryAndRevocation()
    {
        var token = Token("anyone", expiry: Now + 100);

        Assert.True(token.IsActive(Now + 99));
        Assert.False(token.IsActive(Now + 100));
        Assert.True((token with { ExpiryTime = null }).IsActive(long.MaxValue));
        Assert.False((token with { RevokedTime = Now }).IsActive(Now - 1));
    }

    [Fact]
    public async Task ListTokens_FiltersByKindAndSubject_NewestFirst()
    {
        var user = Unique("lst");
        var endpoint = Unique("ep");
        var older = await Store.CreateTokenAsync(Token(user) with { CreationTime = Now }, Root, Ct);
        var newer = await Store.CreateTokenAsync(Token(user) with { CreationTime = Now + 5 }, Root, Ct);
        var forEndpoint = await Store.CreateTokenAsync(Token(endpoint, TokenKind.Endpoint), Root, Ct);
        await Store.RevokeTokenAsync(older.Id, Now + 6, Root, Ct);

        var personal = await Store.ListTokensAsync(TokenKind.Personal, user, Ct);
        var endpoints = await Store.ListTokensAsync(TokenKind.Endpoint, endpoint, Ct);
        var wrongKind = await Store.ListTokensAsync(TokenKind.Endpoint, user, Ct);
        var all = await Store.ListTokensAsync(null, null, Ct);

        Assert.Equal([newer.Id, older.Id], personal.Select(t => t.Id));
        Assert.Equal([forEndpoint.Id], endpoints.Select(t => t.Id));
        Assert.Empty(wrongKind);
        Assert.Superset(new HashSet<string> { older.Id, newer.Id, forEndpoint.Id }, all.Select(t => t.Id).ToHashSet());
    }

    [Fact]
    public async Task TouchToken_RecordsLastUseWithoutAudit()
    {
        var user = Unique("touch");
        var token = await Store.CreateTokenAsync(Token(user), Root, Ct);

        await Store.TouchTokenAsync(token.Id, Now + 50, Ct);
        await Store.TouchTokenAsync(token.Id, Now + 40, Ct);

        Assert.Equal((long?)(Now + 50), (await Store.GetTokenAsync(token.Id, Ct))!.LastUsedTime);
        Assert.Equal(["token.created"], (await EventsAsync($"users/{user}/tokens/{token.Id}")).Select(e => e.Action));
    }

    [Fact]
    public async Task EndpointRequiresToken_WhileAnyOfItsTokensIsNotRevoked()
    {
        var endpoint = Unique("secured");
        var open = Unique("open");
        await Store.CreateTokenAsync(Token(open), Root, Ct);
        var first = await Store.CreateTokenAsync(Token(endpoint, TokenKind.Endpoint), Root, Ct);
        var second = await Store.CreateTokenAsync(Token(endpoint, TokenKind.Endpoint), Root, Ct);

        Assert.True(await Store.EndpointRequiresTokenAsync(endpoint, Ct));
        await Store.RevokeTokenAsync(first.Id, Now, Root, Ct);
        Assert.True(await Store.EndpointRequiresTokenAsync(endpoint, Ct));
        await Store.RevokeTokenAsync(second.Id, Now, Root, Ct);
        Assert.False(await Store.EndpointRequiresTokenAsync(endpoint, Ct));
        // A personal token whose subject happens to share the name does not lock an endpoint.
        Assert.False(await Store.EndpointRequiresTokenAsync(open, Ct));
    }

    [Fact]
    public async Task DeleteUser_RevokesTokensDropsGrantsAndAuditsEach()
    {
        var user = Unique("gone");
        var other = Unique("stays");
        await Store.CreateUserAsync(User(user), Root, Ct);
        var token = await Store.CreateTokenAsync(Token(user), Root, Ct);
        var endpointToken = await Store.CreateTokenAsync(Token(user, TokenKind.Endpoint), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Model, "m-" + user, user, PermissionLevel.Edit), Root, Ct);
        await Store.SetPermissionAsync(new PermissionGrant(ResourceKind.Model, "m-" + user, other, PermissionLevel.Read), Root, Ct);

        await Store.DeleteUserAsync(user, Now + 7, Root, Ct);

        Assert.Null(await Store.FindUserAsync(user, Ct));
        Assert.Equal((long?)(Now + 7), (await Store.GetTokenAsync(token.Id, Ct))!.RevokedTime);
        Assert.Null((await Store.GetTokenAsync(endpointToken.Id, Ct))!.RevokedTime);
        Assert.Empty(await Store.ListPermissionsAsync(null, null, user, Ct));
        Assert.Single(await Store.ListPermissionsAsync(ResourceKind.Model, "m-" + user, null, Ct));
        Assert.Equal(["user.created", "token.created", "token.revoked", "user.deleted"],
            (await EventsAsync("users/" + user)).Select(e => e.Action));
        Assert.Contains("permission.deleted", (await EventsAsync($"models/m-{user}/permissions/{user}")).Select(e => e.Action));
    }

    [Fact]
    public async Task AuditEvents_NeverHoldPasswordOrTokenHashes()
    {
        var user = Unique("secret");
        await Store.CreateUserAsync(User(user), Root, Ct);
        await Store.UpdateUserAsync(user, new UserUpdate(PasswordHash: FakeHash + "2"), Now, Root, Ct);
        var token = await Store.CreateTokenAsync(Token(user), Root, Ct);
        await Store.RevokeTokenAsync(token.Id, Now, Root, Ct);
        await Store.DeleteUserAsync(user, Now, Root, Ct);

        var events = await EventsAsync("users/" + user);

        Assert.Equal(5, events.Count);
        foreach (var e in events)
        {
            var text = e.Before + e.After;
            Assert.DoesNotContain("pbkdf2", text);
            Assert.DoesNotContain(token.Hash, text);
            Assert.DoesNotContain("hash\"", text);
        }
        Assert.Contains("\"password_changed\":true", events[1].After);
    }

    private static AccessToken Token(string subject, TokenKind kind = TokenKind.Personal, long? expiry = null)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return new AccessToken(NewTokenId(), kind, subject, "ci", "slw_" + hash[..8], hash, Now, expiry, null, null, "root");
    }

    private static string NewTokenId() => "tok_" + Guid.NewGuid().ToString("N")[..16];
}
