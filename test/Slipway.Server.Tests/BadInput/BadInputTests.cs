using Slipway.Server.Tests.Infrastructure;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// Every row of <see cref="BadInputCases"/> against one real server: the exact MLflow status (never a 5xx),
/// <c>application/json</c>, <c>{"error_code", "message"}</c>, and nothing changed: not the run, its history, the
/// experiments and runs, the artifact tree, nor any file beside the data folder.
/// </summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    public static TheoryData<string> Cases { get; } = new(BadInputCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_WithBadInput_AnswersMlflowErrorAndChangesNothing(string name)
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
            MlflowError.Assert(response, body, row.Status, row.Codes, $"{row.Method} {request.RequestUri!.OriginalString}");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            failures.Add(e.Message);
        }
        failures.AddRange(StateDifferences(before, after));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Cases_EveryMappedRoute_HasAtLeastOneRow()
    {
        string[] routes =
        [
            "experiments/create", "experiments/get?", "experiments/get-by-name", "experiments/search", "experiments/list",
            "experiments/update", "experiments/delete", "experiments/restore", "experiments/set-experiment-tag",
            "experiments/delete-experiment-tag", "runs/create", "runs/get?", "runs/update", "runs/delete", "runs/restore",
            "runs/log-metric", "runs/log-parameter", "runs/set-tag", "runs/delete-tag", "runs/log-batch", "runs/log-inputs",
            "runs/log-model", "runs/search", "metrics/get-history", "mlflow/artifacts/list", "mlflow-artifacts/artifacts/",
            "mlflow-artifacts/artifacts?", "mlflow-artifacts/mpu/create/", "mlflow-artifacts/mpu/complete/", "mlflow-artifacts/mpu/abort/",
        ];
        var targets = BadInputCases.All.Select(c => c.Target).ToList();

        var uncovered = routes.Where(route => !targets.Any(t => t.Contains(route, StringComparison.Ordinal))).ToList();

        Assert.Empty(uncovered);
        Assert.Equal(BadInputCases.All.Count, BadInputCases.All.Select(c => c.Name).Distinct().Count());
        Assert.Contains(BadInputCases.All, c => c.Method == "PUT");
        Assert.Contains(BadInputCases.All, c => c.Method == "DELETE");
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
