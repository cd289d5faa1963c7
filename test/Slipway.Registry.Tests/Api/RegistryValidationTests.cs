using System.Net;

namespace Slipway.Registry.Tests.Api;

/// <summary>MLflow registry edge cases the conformance traces do not reach: names, reserved aliases, sources, protected deletes.</summary>
public sealed class RegistryValidationTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Mlflow = RegistryClient.Mlflow;
    private readonly RegistryClient _client = fixture.Client;

    [Theory]
    [InlineData("team/model")]
    [InlineData("/leading")]
    [InlineData("trailing/")]
    public async Task CreateRegisteredModel_NameWithSlash_InvalidParameter(string name)
    {
        var reply = await _client.PostAsync(Mlflow + "registered-models/create", new { name });

        reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _client.GetAsync($"{Mlflow}registered-models/get?name={Uri.EscapeDataString(name)}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task RenameRegisteredModel_NewNameWithSlash_InvalidParameter()
    {
        var name = RegistryServerFixture.UniqueName("edge");
        await _client.CreateModelAsync(name);

        var reply = await _client.PostAsync(Mlflow + "registered-models/rename", new { name, new_name = name + "/x" });

        reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _client.GetAsync($"{Mlflow}registered-models/get?name={name}")).Ok();
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("LATEST")]
    [InlineData("v3")]
    [InlineData("V12")]
    public async Task SetAlias_ReservedName_InvalidParameter(string alias)
    {
        var name = RegistryServerFixture.UniqueName("edge");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name);

        var reply = await _client.SetAliasAsync(name, alias, "1");

        Assert.Contains("reserved", reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1beta")]
    [InlineData("version3")]
    [InlineData("latest-good")]
    public async Task SetAlias_NameOnlyResemblingReserved_Succeeds(string alias)
    {
        var name = RegistryServerFixture.UniqueName("edge");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name);

        (await _client.SetAliasAsync(name, alias, "1")).Ok();

        Assert.Equal("1", await _client.AliasVersionAsync(name, alias));
    }

    [Theory]
    [InlineData("../model")]
    [InlineData("mlflow-artifacts:/1/abc/../../../etc")]
    [InlineData("s3://bucket/%2e%2e/secrets")]
    [InlineData("runs:/abc/..\\..\\model")]
    [InlineData("/etc/passwd")]
    [InlineData("file:///x")]
    [InlineData("FILE:/tmp/model")]
    [InlineData("C:\\models\\m")]
    public async Task CreateModelVersion_TraversalOrLocalSource_InvalidParameter(string source)
    {
        var name = RegistryServerFixture.UniqueName("edge");
        await _client.CreateModelAsync(name);

        var reply = await _client.PostAsync(Mlflow + "model-versions/create", new { name, source });

        reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var model = (await _client.GetAsync($"{Mlflow}registered-models/get?name={name}")).Ok().GetProperty("registered_model");
        Assert.False(model.TryGetProperty("latest_versions", out _), model.GetRawText());
    }

    [Theory]
    [InlineData("s3://bucket/models/m")]
    [InlineData("mlflow-artifacts:/1/abc/artifacts/model")]
    [InlineData("runs:/abc/model")]
    [InlineData("models:/other/1")]
    public async Task CreateModelVersion_RemoteSource_Created(string source)
    {
        var name = RegistryServerFixture.UniqueName("edge");
        await _client.CreateModelAsync(name);

        Assert.Equal("1", await _client.CreateVersionAsync(name, source: source));
    }

    [Fact]
    public async Task DeleteModelVersion_HoldsProtectedAlias_PermissionDeniedAndVersionKept()
    {
        var name = RegistryServerFixture.UniqueName("edge");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name);
        (await _client.PutPolicyAsync(name, new { protected_aliases = new[] { "champion" }, required_approvals = 1 }, "alice")).Ok();
        var request = (await _client.RequestApprovalAsync(name, new { version = "1", alias = "champion" }, "alice")).Ok().GetProperty("approval_request");
        (await _client.ApproveAsync(RegistryClient.Number(request.GetProperty("id")), "bob")).Ok();

        var reply = await _client.SendAsync(HttpMethod.Delete, Mlflow + "model-versions/delete", new { name, version = "1" }, "alice");

        Assert.Contains("champion", reply.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED"), StringComparison.Ordinal);
        Assert.Equal("1", await _client.AliasVersionAsync(name, "champion"));
    }

    [Fact]
    public async Task DeleteModelVersion_HoldsUnprotectedAlias_DeletedWithAlias()
    {
        var name = RegistryServerFixture.UniqueName("edge");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name);
        (await _client.PutPolicyAsync(name, new { protected_aliases = new[] { "champion" } }, "alice")).Ok();
        (await _client.SetAliasAsync(name, "challenger", "1")).Ok();

        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "model-versions/delete", new { name, version = "1" })).Ok();

        (await _client.GetAsync($"{Mlflow}model-versions/get?name={name}&version=1")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }
}
