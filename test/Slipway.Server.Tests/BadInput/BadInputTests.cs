using Slipway.Server.Tests.Infrastructure;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// Every row of <see cref="BadInputCases"/> against one real server: the exact status (never a 5xx),
/// <c>application/json</c>, the protocol's error body (MLflow's <c>{"error_code", "message"}</c>, or OIP's
/// <c>{"error"}</c> alone), and nothing changed: not the run, its history, the experiments and runs, the artifact tree,
/// any file beside the data folder, the registry, the audit trail, the endpoints nor what the served one answers.
/// </summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    public static TheoryData<string> Cases { get; } = new(BadInputCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_WithBadInput_AnswersProtocolErrorAndChangesNothing(string name)
    {
        var row = BadInputCases.Find(name);
        var before = await fixture.SnapshotAsync();

        using var request = fixture.CreateRequest(row);
        using var response = await fixture.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var after = await fixture.SnapshotAsync();

        var failures = new List<string>();
        try
        {
            var context = $"{row.Method} {request.RequestUri!.OriginalString}";
            if (row.Format == ErrorFormat.Oip)
                OipError.Assert(response, body, row.Status, context);
            else
                MlflowError.Assert(response, body, row.Status, row.Codes, context);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            failures.Add(e.Message);
        }
        failures.AddRange(StateDifferences(before, after));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Routes that read no input at all (no parameter, no body, no path value), so no request to them is bad; and
    /// the serving replicas' token check, which with authentication off (this suite) answers "not checked" to anything.</summary>
    private static readonly string[] RoutesWithoutInput =
    [
        "GET /api/slipway/v1/webhooks", "GET /api/slipway/v1/endpoints", "GET /api/slipway/v1/monitors", "GET /api/slipway/v1/pipelines",
        "GET /v2", "GET /v2/health/live", "GET /v2/health/ready",
        "GET /health", "GET /ping", "GET /version",
        "GET /api/2.0/slipway/users", "GET /api/2.0/slipway/whoami", "POST /api/2.0/slipway/endpoints/{name}/verify-token",
    ];

    [Fact]
    public void Cases_EveryMappedRoute_HasAtLeastOneRow()
    {
        var routes = fixture.Routes.Select(route => route.ToString()).ToList();
        var targets = BadInputCases.All.Select(row => (row.Method, Target: fixture.Expand(row.Target))).ToList();

        var uncovered = fixture.Routes
            .Where(route => !RoutesWithoutInput.Contains(route.ToString()))
            .Where(route => !targets.Any(row => route.Matches(row.Method, row.Target)))
            .Select(route => route.ToString())
            .ToList();

        // The route table is the server's own: a wrong filter would make this test pass vacuously.
        Assert.Contains("POST /api/2.0/mlflow/runs/log-metric", routes);
        Assert.Contains("PUT /api/2.0/mlflow-artifacts/artifacts/{**path}", routes);
        Assert.Contains("DELETE /api/2.0/mlflow/registered-models/alias", routes);
        Assert.Contains("POST /api/slipway/v1/approvals/{id}/approve", routes);
        Assert.Contains("POST /v2/models/{name}/versions/{version}/infer", routes);
        Assert.Contains("POST /endpoints/{name}/invocations", routes);
        Assert.Contains("POST /invocations", routes);
        Assert.DoesNotContain(routes, route => route.Contains("/ajax-api/", StringComparison.Ordinal));
        Assert.Empty(uncovered);
        Assert.All(RoutesWithoutInput, route => Assert.Contains(route, routes));
        Assert.Equal(BadInputCases.All.Count, BadInputCases.All.Select(c => c.Name).Distinct().Count());
        // OIP answers {"error"}; everything else, the scoring routes included, MLflow's {"error_code","message"}.
        Assert.All(BadInputCases.All, row => Assert.True(
            row.Format == (row.Target.StartsWith("/v2/", StringComparison.Ordinal) ? ErrorFormat.Oip : ErrorFormat.Mlflow),
            $"row '{row.Name}' expects the wrong error format for {row.Target}"));
    }

    private static IEnumerable<string> StateDifferences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        foreach (var (part, value) in before)
        {
            if (after[part] != value)
                yield return $"state changed: {part}\n{Difference(value, after[part])}";
        }
    }

    /// <summary>The neighbourhood of the first differing character, which a plain shortened dump could cut off.</summary>
    private static string Difference(string before, string after)
    {
        var at = 0;
        while (at < before.Length && at < after.Length && before[at] == after[at])
            at++;
        var start = Math.Max(0, at - 200);
        string Window(string text) => start >= text.Length ? "(end)" : text.Substring(start, Math.Min(600, text.Length - start));
        return $"  from character {start}, before: {Window(before)}\n  after: {Window(after)}";
    }
}
