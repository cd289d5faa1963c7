using System.Net;
using System.Text.Json;

namespace Slipway.Security.Tests.Serving;

/// <summary>
/// Per-endpoint permissions with authentication on: who may call an endpoint's inference routes (READ on it), who sees
/// it in lists, what its creator holds, and the models and artifacts endpoints and batch jobs may use.
/// </summary>
public sealed class EndpointPermissionTests(ServingAuthFixture fixture) : IClassFixture<ServingAuthFixture>
{
    [Fact]
    public async Task Infer_UserWithoutPermission_Gets403InEachProtocolsFormat()
    {
        var endpoint = await fixture.NewEndpointAsync();

        var oip = await fixture.InferAsync(fixture.Bob, endpoint);
        var metadata = await fixture.SendAsync(fixture.Bob, "GET", $"/v2/models/{endpoint}");
        var scoring = await fixture.SendAsync(fixture.Bob, "POST", $"/endpoints/{endpoint}/invocations", $$"""{"inputs": [{{fixture.FirstRow}}]}""");
        var grpc = await OipGrpcCalls.InferAsync(fixture.Server.GrpcAddress!, fixture.Bob, endpoint, fixture.FirstRow);

        oip.AssertOipError(HttpStatusCode.Forbidden);
        metadata.AssertOipError(HttpStatusCode.Forbidden);
        scoring.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, grpc.Status);
    }

    [Fact]
    public async Task Infer_AfterReadGrant_SucceedsAndTheEndpointIsListed()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var listedBefore = await ListedAsync(fixture.Bob, endpoint);

        await fixture.GrantAsync(endpoint, "bob", "READ");
        var oip = await fixture.InferAsync(fixture.Bob, endpoint);
        var scoring = await fixture.SendAsync(fixture.Bob, "POST", $"/endpoints/{endpoint}/invocations", $$"""{"inputs": [{{fixture.FirstRow}}]}""");
        var grpc = await OipGrpcCalls.InferAsync(fixture.Server.GrpcAddress!, fixture.Bob, endpoint, fixture.FirstRow);
        var update = await fixture.SendAsync(fixture.Bob, "PUT", $"/api/slipway/v1/endpoints/{endpoint}",
            new { name = endpoint, routes = new[] { new { name = "main", model = $"models:/{fixture.Model}/1" } } });

        Assert.False(listedBefore);
        Assert.True(oip.Status == HttpStatusCode.OK, oip.Text);
        Assert.Equal(endpoint, oip.Json.GetProperty("model_name").GetString());
        Assert.True(scoring.Status == HttpStatusCode.OK, scoring.Text);
        Assert.Equal((Grpc.Core.StatusCode.OK, 2), (grpc.Status, grpc.Outputs));
        Assert.True(await ListedAsync(fixture.Bob, endpoint));
        update.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task CreateEndpoint_CreatorGetsManage_AndAModelTheCreatorCannotReadIsRefused()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var grants = await fixture.CallOkAsync(fixture.Admin, "GET", $"/api/2.0/slipway/permissions?resource_type=endpoints&resource={endpoint}", null);

        var bobsEndpoint = ServingAuthFixture.Unique("bob-ep");
        var refused = await fixture.SendAsync(fixture.Bob, "POST", "/api/slipway/v1/endpoints",
            new { name = bobsEndpoint, routes = new[] { new { name = "main", model = $"models:/{fixture.Model}/1" } } });
        var missing = await fixture.SendAsync(fixture.Admin, "GET", $"/api/slipway/v1/endpoints/{bobsEndpoint}");

        var grant = Assert.Single(grants.GetProperty("permissions").EnumerateArray());
        Assert.Equal(("alice", "MANAGE"), (grant.GetProperty("user").GetString(), grant.GetProperty("permission").GetString()));
        refused.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task DeleteEndpoint_DropsGrantsAndRevokesItsTokens()
    {
        var endpoint = await fixture.NewEndpointAsync();
        await fixture.GrantAsync(endpoint, "bob", "READ");
        var (tokenId, _) = await fixture.NewEndpointTokenAsync(endpoint);

        await fixture.CallOkAsync(fixture.Alice, "DELETE", $"/api/slipway/v1/endpoints/{endpoint}", new { });
        var grants = await fixture.CallOkAsync(fixture.Admin, "GET", $"/api/2.0/slipway/permissions?resource_type=endpoints&resource={endpoint}", null);
        var tokens = await fixture.CallOkAsync(fixture.Admin, "GET", $"/api/2.0/slipway/tokens?endpoint={endpoint}", null);

        Assert.Empty(grants.GetProperty("permissions").EnumerateArray());
        var token = Assert.Single(tokens.GetProperty("tokens").EnumerateArray());
        Assert.Equal(tokenId, token.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, token.GetProperty("revoked_time").ValueKind);
    }

    [Fact]
    public async Task BatchPrediction_NeedsTheModelAndExperiment_AndJobsAreTheirCreatorsOnly()
    {
        var input = $"mlflow-artifacts:/{fixture.ExperimentId}/batch-{Guid.NewGuid():N}/in.csv";
        var output = $"mlflow-artifacts:/{fixture.ExperimentId}/batch-{Guid.NewGuid():N}/out.parquet";
        var job = new { model = $"models:/{fixture.Model}/1", input, output };

        var bobs = await fixture.SendAsync(fixture.Bob, "POST", "/api/slipway/v1/batch-predictions", job);
        var alices = await fixture.CallOkAsync(fixture.Alice, "POST", "/api/slipway/v1/batch-predictions", job);
        var id = alices.GetProperty("job").GetProperty("id").GetString()!;
        var bobGets = await fixture.SendAsync(fixture.Bob, "GET", $"/api/slipway/v1/batch-predictions/{id}");
        var bobLists = await fixture.CallOkAsync(fixture.Bob, "GET", "/api/slipway/v1/batch-predictions", null);
        var aliceLists = await fixture.CallOkAsync(fixture.Alice, "GET", "/api/slipway/v1/batch-predictions", null);

        bobs.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        bobGets.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.DoesNotContain(bobLists.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetString() == id);
        Assert.Contains(aliceLists.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task ServerRoutes_HealthIsOpen_MetadataNeedsASignedInUser()
    {
        var live = await fixture.SendAsync(null, "GET", "/v2/health/live");
        var ready = await fixture.SendAsync(null, "GET", "/v2/health/ready");
        var anonymousMetadata = await fixture.SendAsync(null, "GET", "/v2");
        var bobsMetadata = await fixture.SendAsync(fixture.Bob, "GET", "/v2");

        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.NotEqual(HttpStatusCode.Unauthorized, ready.Status);
        anonymousMetadata.AssertOipError(HttpStatusCode.Unauthorized);
        Assert.Equal("slipway", bobsMetadata.Json.GetProperty("name").GetString());
    }

    private async Task<bool> ListedAsync(System.Net.Http.Headers.AuthenticationHeaderValue caller, string endpoint)
    {
        var list = await fixture.CallOkAsync(caller, "GET", "/api/slipway/v1/endpoints", null);
        return list.GetProperty("endpoints").EnumerateArray().Any(e => e.GetProperty("name").GetString() == endpoint);
    }
}
