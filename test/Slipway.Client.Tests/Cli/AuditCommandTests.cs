using System.Text.Json;
using Slipway.Client.Tests.Client;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway audit</c> and <c>slipway webhooks</c> against a real server.</summary>
public sealed class AuditCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly string _uri = fixture.BaseAddress.ToString();

    [Fact]
    public async Task Audit_ModelResource_TableShowsActorsActionsAndChanges()
    {
        var name = Names.Unique("cli-audit");
        await CliRunner.RunAsync("models", "create", name, "--user", "erin", "--tracking-uri", _uri);
        await CliRunner.RunAsync("models", "register", name, "--source", "s3://bucket/a", "--user", "erin", "--tracking-uri", _uri);
        await CliRunner.RunAsync("models", "stage", name, "1", "Staging", "--user", "frank", "--tracking-uri", _uri);

        var result = await CliRunner.RunAsync("audit", "--resource", $"models/{name}", "--tracking-uri", _uri);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n');
        var created = Assert.Single(lines, l => l.Contains("registered_model.created", StringComparison.Ordinal));
        Assert.Contains("erin", created, StringComparison.Ordinal);
        Assert.Contains("created", created.Replace("registered_model.created", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var staged = Assert.Single(lines, l => l.Contains("model_version.stage_changed", StringComparison.Ordinal));
        Assert.Contains("frank", staged, StringComparison.Ordinal);
        Assert.Contains($"models/{name}/versions/1", staged, StringComparison.Ordinal);
        Assert.Contains("None → Staging", staged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_SinceInTheFuture_NoEvents()
    {
        var name = Names.Unique("cli-audit-since");
        await fixture.Client.CreateRegisteredModelAsync(name);

        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var later = await CliRunner.RunAsync("audit", "--resource", $"models/{name}", "--since", future, "--json", "--tracking-uri", _uri);
        var all = await CliRunner.RunAsync("audit", "--resource", $"models/{name}", "--since", "0", "--json", "--tracking-uri", _uri);

        Assert.Equal(0, later.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(later.Out).RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal(1, JsonDocument.Parse(all.Out).RootElement.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Audit_BadSince_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("audit", "--since", "yesterday-ish", "--tracking-uri", _uri);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhooksCreateListDelete_SecretShownOnceThenGone()
    {
        var name = Names.Unique("cli-hook");

        var created = await CliRunner.RunAsync(
            "webhooks", "create", "--name", name, "--url", "http://127.0.0.1:9/hook", "--event", "model_version.created", "--secret", "0123456789-topsecret", "--tracking-uri", _uri);
        Assert.Equal(0, created.ExitCode);
        var listed = await CliRunner.RunAsync("webhooks", "list", "--json", "--tracking-uri", _uri);
        var hook = Assert.Single(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray(), w => w.GetProperty("name").GetString() == name);
        var id = hook.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var deliveries = await CliRunner.RunAsync("webhooks", "deliveries", id, "--tracking-uri", _uri);
        var deleted = await CliRunner.RunAsync("webhooks", "delete", id, "--tracking-uri", _uri);
        var afterDelete = await CliRunner.RunAsync("webhooks", "list", "--tracking-uri", _uri);

        Assert.Contains("0123456789-topsecret", created.Out, StringComparison.Ordinal);
        Assert.Contains("not shown again", created.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789-topsecret", listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, deliveries.ExitCode);
        Assert.Equal(0, deleted.ExitCode);
        Assert.DoesNotContain(name, afterDelete.Out, StringComparison.Ordinal);
    }
}
