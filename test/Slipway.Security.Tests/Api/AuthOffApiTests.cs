using System.Net;
using Slipway.Testing;
using static Slipway.Security.Tests.Api.AccountsApiFixture;

namespace Slipway.Security.Tests.Api;

/// <summary>
/// With authentication off (the loopback default) the API acts for an administrator, so users and grants can be
/// prepared before authentication is turned on; there is nobody for <c>whoami</c> to name.
/// </summary>
public sealed class AuthOffApiTests
{
    [Fact]
    public async Task AuthOff_AdminRoutesWork_AndWhoAmINamesNobody()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        var name = Unique("prepared");

        var created = await AccountsApiFixture.SendAsync(server, null, "POST", SlipwayApi + "users", new { name, password = UserPassword });
        var token = await AccountsApiFixture.SendAsync(server, null, "POST", SlipwayApi + "tokens", new { name = "ci", user = name });
        var grant = await AccountsApiFixture.SendAsync(server, null, "PUT", SlipwayApi + "permissions",
            new { resource_type = "models", resource = "fraud", user = name, permission = "EDIT" });
        var ownToken = await AccountsApiFixture.SendAsync(server, null, "POST", SlipwayApi + "tokens", new { name = "mine" });
        var whoami = await AccountsApiFixture.SendAsync(server, null, "GET", SlipwayApi + "whoami");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(name, token.Json.GetProperty("token").GetProperty("subject").GetString());
        Assert.Equal("EDIT", grant.Json.GetProperty("permission").GetProperty("permission").GetString());
        ownToken.AssertError(HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Equal((HttpStatusCode.OK, "none"), (whoami.Status, whoami.Json.GetProperty("auth_method").GetString()));
        Assert.False(whoami.Json.TryGetProperty("user", out _));
    }
}
