using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Slipway.Client.Tests.Client;

/// <summary>Credentials and path escaping of the registry and governance calls, against a recording handler.</summary>
public sealed class GovernanceWireTests
{
    [Fact]
    public async Task UserName_Set_EveryRequestCarriesBasicCredentials()
    {
        var handler = new HeaderRecorder("""{"policy":{"protected_aliases":["champion"],"required_approvals":2}}""");
        using var client = new SlipwayClient(new Uri("http://slipway.test/"), handler) { UserName = "alice", Password = "s3cret" };

        var policy = await client.GetApprovalPolicyAsync("iris");
        await client.GetApprovalPolicyAsync("iris");

        Assert.Equal(2, handler.Authorizations.Count);
        Assert.All(handler.Authorizations, header =>
        {
            Assert.Equal("Basic", header?.Scheme);
            Assert.Equal("alice:s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(header!.Parameter!)));
        });
        Assert.Equal(["champion"], policy?.ProtectedAliases);
        Assert.Equal(2, policy?.RequiredApprovals);
        Assert.Equal(ApprovalPolicy.DefaultApproverRole, policy?.ApproverRole);
    }

    [Fact]
    public async Task UserName_Unset_NoAuthorizationHeader()
    {
        var handler = new HeaderRecorder("{}");
        using var client = new SlipwayClient(new Uri("http://slipway.test/"), handler);

        var policy = await client.GetApprovalPolicyAsync("iris");

        Assert.Null(Assert.Single(handler.Authorizations));
        Assert.Null(policy);
    }

    [Fact]
    public async Task ModelPaths_NameWithSlashAndSpace_AreEscaped()
    {
        var handler = new HeaderRecorder("""{"model_card":{"owners":["a"],"updated_timestamp":1,"updated_by":"a"}}""");
        using var client = new SlipwayClient(new Uri("http://slipway.test/prefix/"), handler);

        await client.GetModelCardAsync("team/iris v2", "3");

        Assert.Equal("/prefix/api/slipway/v1/models/team%2Firis%20v2/versions/3/card", Assert.Single(handler.Paths));
    }

    [Fact]
    public async Task RequestApprovalAsync_BothAliasAndStage_ThrowsBeforeSending()
    {
        var handler = new HeaderRecorder("{}");
        using var client = new SlipwayClient(new Uri("http://slipway.test/"), handler);

        await Assert.ThrowsAsync<ArgumentException>(
            () => client.RequestApprovalAsync("iris", "1", new ApprovalTarget { Alias = "champion", Stage = ModelStages.Production }));

        Assert.Empty(handler.Paths);
    }

    private sealed class HeaderRecorder(string json) : HttpMessageHandler
    {
        public List<AuthenticationHeaderValue?> Authorizations { get; } = [];

        public List<string> Paths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.Authorization);
            Paths.Add(request.RequestUri!.AbsolutePath);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }
}
