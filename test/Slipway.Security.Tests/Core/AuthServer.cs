using System.Net.Http.Headers;
using System.Text;
using Slipway.Testing;

namespace Slipway.Security.Tests.Core;

/// <summary>A real server with authentication on, its administrator <c>admin</c> and a fast password hash for tests.</summary>
internal static class AuthServer
{
    public const string AdminPassword = "admin-password-for-tests";

    public static Task<SlipwayTestServer> StartAsync(Action<SecurityOptions>? configure = null) =>
        SlipwayTestServer.StartAsync(configure: o =>
        {
            o.Auth.Enabled = true;
            o.Auth.AdminPassword = AdminPassword;
            o.Auth.PasswordIterations = 10_000;
            configure?.Invoke(o.Auth);
        });

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public static HttpClient Client(SlipwayTestServer server, AuthenticationHeaderValue? authorization)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }
}
