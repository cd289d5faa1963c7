using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Server.Tests.Infrastructure;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// The registry the rows aim at: <see cref="BadInputCases.Model"/> with a tag, version 1 (from the fixture's run, in
/// Staging, alias <c>champion</c>, a model card) and version 2 (no source run, so it fails the metric gate; in
/// Production, alias <c>challenger</c>); a policy protecting <c>champion</c> and Production with two required approvals
/// and the gate <c>metrics.m &gt;= 1</c>; a pending request (version 1 to Production, by the requester, approved once by
/// the approver) and a rejected one; a webhook; and <see cref="BadInputCases.OtherModel"/>, a plain second model.
/// </summary>
public sealed partial class BadInputFixture
{
    public const string Requester = "alice";
    public const string Approver = "bob";
    private const string Slipway = BadInputCases.Governance;
    private const string Mlflow = BadInputCases.Api;

    /// <summary>Pending; approved once by <see cref="Approver"/>, one more approval would apply it.</summary>
    public string PendingApprovalId { get; private set; } = "";

    public string RejectedApprovalId { get; private set; } = "";

    public string WebhookId { get; private set; } = "";

    public static AuthenticationHeaderValue BasicAuth(string user) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":password")));

    private async Task SeedRegistryAsync()
    {
        const string model = BadInputCases.Model;
        await SendOkAsync("POST", Mlflow + "registered-models/create",
            new { name = model, description = "seeded", tags = new[] { new { key = "team", value = "core" } } });
        await SendOkAsync("POST", Mlflow + "registered-models/create", new { name = BadInputCases.OtherModel });
        await SendOkAsync("POST", Mlflow + "model-versions/create", new { name = model, source = $"runs:/{RunId}/model", run_id = RunId });
        await SendOkAsync("POST", Mlflow + "model-versions/create", new { name = model, source = "mlflow-artifacts:/bad-input/model" });
        await SendOkAsync("POST", Mlflow + "model-versions/transition-stage", new { name = model, version = "1", stage = "Staging" });
        await SendOkAsync("POST", Mlflow + "model-versions/transition-stage", new { name = model, version = "2", stage = "Production" });
        await SendOkAsync("POST", Mlflow + "registered-models/alias", new { name = model, alias = "champion", version = "1" });
        await SendOkAsync("POST", Mlflow + "registered-models/alias", new { name = model, alias = "challenger", version = "2" });
        await SendOkAsync("POST", Mlflow + "model-versions/set-tag", new { name = model, version = "1", key = "validated", value = "yes" });
        await SendOkAsync("PUT", Slipway + $"models/{model}/versions/1/card", new
        {
            intended_use = "bad-input tests",
            owners = new[] { Requester },
            evaluation_metrics = new[] { new { name = "m", value = 1.5, dataset = "holdout" } },
        });
        await SendOkAsync("PUT", Slipway + $"models/{model}/policy", new
        {
            protected_aliases = new[] { "champion" },
            protected_stages = new[] { "Production" },
            required_approvals = 2,
            metric_gates = new[] { "metrics.m >= 1" },
        });

        var rejected = await SendOkAsync("POST", Slipway + $"models/{model}/approvals", new { version = "1", alias = "champion" }, Requester);
        RejectedApprovalId = ApprovalId(rejected);
        await SendOkAsync("POST", Slipway + $"approvals/{RejectedApprovalId}/reject", new { comment = "not yet" }, Approver);
        var pending = await SendOkAsync("POST", Slipway + $"models/{model}/approvals", new { version = "1", stage = "Production" }, Requester);
        PendingApprovalId = ApprovalId(pending);
        await SendOkAsync("POST", Slipway + $"approvals/{PendingApprovalId}/approve", new { comment = "looks good" }, Approver);

        // Subscribed to an event no bad request can cause, so no delivery (whose status moves on its own) ever exists.
        var webhook = await SendOkAsync("POST", Slipway + "webhooks", new
        {
            name = "bad-input-hook",
            url = "http://127.0.0.1:9/bad-input",
            events = new[] { "registered_model.deleted" },
            model_name = model,
        });
        WebhookId = webhook.GetProperty("webhook").GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
    }

    private async Task AddRegistrySnapshotAsync(IDictionary<string, string> snapshot)
    {
        const string model = BadInputCases.Model;
        var parts = new (string Part, string Target)[]
        {
            ("registered models", Mlflow + "registered-models/search?max_results=1000"),
            ("model versions", Mlflow + "model-versions/search?max_results=1000"),
            // search leaves aliases out; get fills them in.
            ("model version 1", Mlflow + $"model-versions/get?name={model}&version=1"),
            ("model version 2", Mlflow + $"model-versions/get?name={model}&version=2"),
            ("policy", Slipway + $"models/{model}/policy"),
            ("other model's policy", Slipway + $"models/{BadInputCases.OtherModel}/policy"),
            ("approval requests", Slipway + "approvals?max_results=1000"),
            ("model card", Slipway + $"models/{model}/versions/1/card"),
            ("webhooks", Slipway + "webhooks"),
            ("webhook deliveries", Slipway + $"webhooks/{WebhookId}/deliveries?max_results=1000"),
            // A refused request must not leave a trace in the trail either (nor a webhook delivery in the outbox).
            ("audit trail", Slipway + "audit?max_results=10000"),
        };
        foreach (var (part, target) in parts)
            snapshot[part] = JsonCanonical.Of((await SendOkAsync("GET", target, null)).GetRawText());
    }

    private static string ApprovalId(JsonElement response) =>
        response.GetProperty("approval_request").GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

    private async Task<JsonElement> SendOkAsync(string method, string target, object? body, string? user = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (user is not null)
            request.Headers.Authorization = BasicAuth(user);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {target} answered {(int)response.StatusCode}: {MlflowError.Shorten(text)}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
