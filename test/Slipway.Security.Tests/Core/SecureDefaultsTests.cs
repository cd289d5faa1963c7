using Slipway.Core.Errors;
using Slipway.Server;

namespace Slipway.Security.Tests.Core;

/// <summary>Without authentication the server only listens on loopback unless told, in so many words, that this is wanted.</summary>
public sealed class SecureDefaultsTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.10")]
    [InlineData("example.com")]
    public void Listening_beyond_loopback_without_auth_is_refused(string host)
    {
        var options = new SlipwayServerOptions { Host = host };

        var problem = Assert.Single(options.Validate(), p => p.Contains("--insecure-no-auth", StringComparison.Ordinal));
        Assert.Contains(host, problem);
        Assert.Throws<SlipwayException>(() => SlipwayHost.Build(options));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_needs_no_auth(string host) =>
        Assert.Empty(new SlipwayServerOptions { Host = host }.Validate());

    [Fact]
    public void Beyond_loopback_is_accepted_with_auth_or_with_the_explicit_insecure_flag()
    {
        var withAuth = new SlipwayServerOptions { Host = "0.0.0.0" };
        withAuth.Auth.Enabled = true;
        var insecure = new SlipwayServerOptions { Host = "0.0.0.0", InsecureNoAuth = true };

        Assert.Empty(withAuth.Validate());
        Assert.Empty(insecure.Validate());
    }

    [Fact]
    public void Bad_auth_settings_are_reported_before_the_server_starts()
    {
        var options = new SlipwayServerOptions();
        options.Auth.DefaultPermission = "WRITE";
        options.Auth.PasswordIterations = 1000;
        options.Auth.CorsOrigins.Add("https://app.example.com/path");
        options.Auth.Oidc.Authority = "http://idp.local";

        var problems = options.Validate();

        Assert.Contains(problems, p => p.Contains("DefaultPermission"));
        Assert.Contains(problems, p => p.Contains("PasswordIterations"));
        Assert.Contains(problems, p => p.Contains("CorsOrigins"));
        Assert.Contains(problems, p => p.Contains("RequireHttpsMetadata"));
        Assert.Contains(problems, p => p.Contains("Audience"));
    }
}
