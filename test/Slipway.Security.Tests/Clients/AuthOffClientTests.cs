using Slipway.Cli;
using Slipway.Client;
using Slipway.Testing;

namespace Slipway.Security.Tests.Clients;

/// <summary>The clients against a server with auth off (the default on loopback): nobody is signed in and a token is not needed.</summary>
public sealed class AuthOffClientTests
{
    [Fact]
    public async Task WhoAmI_AuthOff_NoUserAndMethodNone()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = new SlipwayClient(server.BaseAddress);

        var me = await client.WhoAmIAsync();
        var cli = await SecurityCli.RunAsync("whoami", "--user", "someone", "--tracking-uri", server.BaseAddress.ToString());

        Assert.Null(me.User);
        Assert.Equal(AuthMethods.None, me.AuthMethod);
        Assert.True(cli.ExitCode == CliApp.Success, cli.ToString());
        Assert.Contains("authentication off", cli.Out, StringComparison.Ordinal);
    }
}
