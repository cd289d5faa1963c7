using System.Net;
using System.Text.Json;

namespace Slipway.Registry.Tests.Api;

/// <summary>
/// <c>GET /api/slipway/v1/audit</c>: resource prefix, action and since filters, paging, argument checks, and no
/// route that changes or deletes an event.
/// </summary>
public sealed class AuditQueryTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Slipway = RegistryClient.Slipway;
    private readonly RegistryClient _client = fixture.Client;

    [Fact]
    public async Task SearchAudit_ResourcePrefix_FindsVersionAndAliasEventsButNotSiblingModel()
    {
        var name = RegistryServerFixture.UniqueName("prefix");
        var sibling = name + "2";
        await _client.CreateModelAsync(name);
        await _client.CreateModelAsync(sibling);
        await _client.CreateVersionAsync(name);
        await _client.CreateVersionAsync(sibling);
        (await _client.SetAliasAsync(name, "prod", "1")).Ok();

        var events = await _client.AuditAsync($"resource=models/{name}");

        Assert.Equal(
            [$"models/{name}", $"models/{name}/versions/1", $"models/{name}/aliases/prod"],
            events.Select(e => Text(e, "resource")));
        var versionOnly = await _client.AuditAsync($"resource=models/{name}/versions/1");
        Assert.Equal("model_version.created", Text(Assert.Single(versionOnly), "action"));
    }

    [Fact]
    public async Task SearchAudit_ActionFilter_ReturnsOnlyThatAction()
    {
        var name = RegistryServerFixture.UniqueName("action");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name);
        await _client.CreateVersionAsync(name);

        var events = await _client.AuditAsync($"resource=models/{name}&action=model_version.created");

        Assert.Equal([$"models/{name}/versions/1", $"models/{name}/versions/2"], events.Select(e => Text(e, "resource")));
    }

    [Fact]
    public async Task SearchAudit_Since_ReturnsOnlyEventsAtOrAfterIt()
    {
        var name = RegistryServerFixture.UniqueName("since");
        await _client.CreateModelAsync(name);
        var created = Assert.Single(await _client.AuditAsync($"resource=models/{name}"));
        var cutoff = created.GetProperty("timestamp").GetInt64() + 1;
        // Wait for the clock to pass the cutoff, so that the next event is stamped at or after it.
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= cutoff)
            await Task.Delay(5);
        await _client.CreateVersionAsync(name);

        var later = await _client.AuditAsync($"resource=models/{name}&since={cutoff}");
        var all = await _client.AuditAsync($"resource=models/{name}&since={created.GetProperty("timestamp").GetInt64()}");

        Assert.Equal("model_version.created", Text(Assert.Single(later), "action"));
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public async Task SearchAudit_MaxResultsAndPageToken_EveryEventOnceInOrder()
    {
        var name = RegistryServerFixture.UniqueName("pages");
        await _client.CreateModelAsync(name);
        for (var i = 0; i < 6; i++)
            await _client.CreateVersionAsync(name);
        var everything = await _client.AuditAsync($"resource=models/{name}");
        Assert.Equal(7, everything.Count);

        var paged = new List<JsonElement>();
        var pages = 0;
        string? token = null;
        do
        {
            var path = $"{Slipway}audit?resource=models/{name}&max_results=3" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token));
            var page = (await _client.GetAsync(path)).Ok();
            var items = page.GetProperty("events").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 3);
            paged.AddRange(items);
            token = page.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(everything.Select(e => e.GetProperty("id").GetInt64()), paged.Select(e => e.GetProperty("id").GetInt64()));
    }

    [Theory]
    [InlineData("max_results=0")]
    [InlineData("max_results=10001")]
    [InlineData("since=-1")]
    [InlineData("since=yesterday")]
    public async Task SearchAudit_InvalidArgument_InvalidParameter(string query)
    {
        var reply = await _client.GetAsync($"{Slipway}audit?{query}");

        reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [InlineData("PUT", "audit")]
    [InlineData("DELETE", "audit")]
    [InlineData("POST", "audit")]
    [InlineData("PATCH", "audit")]
    [InlineData("PUT", "audit/1")]
    [InlineData("DELETE", "audit/1")]
    [InlineData("POST", "audit/1")]
    [InlineData("PATCH", "audit/1")]
    public async Task AuditRoute_ModifyingMethod_NotFoundOrNotAllowedAndTrailUnchanged(string method, string path)
    {
        var name = RegistryServerFixture.UniqueName("immutable");
        await _client.CreateModelAsync(name);
        var before = await _client.AuditAsync($"resource=models/{name}");

        var reply = await _client.SendAsync(new HttpMethod(method), Slipway + path, new { id = before[0].GetProperty("id").GetInt64(), actor = "mallory" });

        Assert.True(reply.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {path} answered {(int)reply.Status}: {reply.Body}");
        var after = await _client.AuditAsync($"resource=models/{name}");
        Assert.Equal(before.Select(e => e.GetRawText()), after.Select(e => e.GetRawText()));
    }

    private static string Text(JsonElement e, string property) => e.GetProperty(property).GetString()!;
}
