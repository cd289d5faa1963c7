using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;

namespace Slipway.Web.Tests.Access;

public sealed class UiAccessTests
{
    private const string Open = "open";
    private const string AdminsOnly = "admins";

    private static UiAccess AccessFor(ClaimsPrincipal user)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorization(o =>
        {
            o.AddPolicy(Open, p => p.RequireAssertion(_ => true));
            o.AddPolicy(AdminsOnly, p => p.RequireRole("admin"));
        });
        var provider = services.BuildServiceProvider();
        return new UiAccess(provider.GetRequiredService<IAuthorizationService>(), new FixedAuthentication(user));
    }

    private static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    [Fact]
    public async Task DemandAsync_PolicyTheUserHolds_Passes()
    {
        var access = AccessFor(User("ada", "admin"));

        await access.DemandAsync(AdminsOnly);
        Assert.True(await access.AllowsAsync(Open));
    }

    [Fact]
    public async Task DemandAsync_PolicyTheUserLacks_ThrowsPermissionDeniedNamingThePolicy()
    {
        var access = AccessFor(User("grace"));

        var refused = await Assert.ThrowsAsync<SlipwayException>(() => access.DemandAsync(AdminsOnly));

        Assert.Equal(ErrorCode.PermissionDenied, refused.Code);
        Assert.Contains(AdminsOnly, refused.Message, StringComparison.Ordinal);
        Assert.False(await access.AllowsAsync(AdminsOnly));
    }

    [Fact]
    public async Task AllowsAsync_AnonymousUser_HoldsOnlyTheOpenPolicies()
    {
        var access = AccessFor(new ClaimsPrincipal(new ClaimsIdentity()));

        Assert.True(await access.AllowsAsync(Open));
        Assert.False(await access.AllowsAsync(AdminsOnly));
    }

    private sealed class FixedAuthentication(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
