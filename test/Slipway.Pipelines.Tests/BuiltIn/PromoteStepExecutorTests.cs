using System.Globalization;
using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

public sealed class PromoteStepExecutorTests(BuiltInServerFixture fixture) : IClassFixture<BuiltInServerFixture>
{
    private Task<StepResult> PromoteAsync(Dictionary<string, string> with, InMemoryStepLog? log = null, CancellationToken ct = default) =>
        new PromoteStepExecutor(fixture.Client).ExecuteAsync(fixture.Invocation("promote", with, log: log), ct);

    /// <summary>A registered model with two versions of the strong model.</summary>
    private async Task<string> ModelWithVersionsAsync(ApprovalPolicy? policy = null)
    {
        var model = await fixture.StrongModelAsync();
        var name = BuiltInServerFixture.Unique("promoted");
        await fixture.Client.CreateRegisteredModelAsync(name);
        await fixture.Client.CreateModelVersionAsync(name, model, model.Split('/')[1]);
        await fixture.Client.CreateModelVersionAsync(name, model, model.Split('/')[1]);
        if (policy is not null)
            await fixture.Client.SetApprovalPolicyAsync(name, policy);
        return name;
    }

    private static ApprovalPolicy ProtectChampion() => new() { ProtectedAliases = ["champion"] };

    /// <summary>Acts as the approver: decides the first pending request of the model as soon as it appears.</summary>
    private async Task<ApprovalRequest> DecideWhenRequestedAsync(string name, bool approve, CancellationToken ct)
    {
        using var approver = fixture.CreateClient(BuiltInServerFixture.Approver);
        while (true)
        {
            var pending = await approver.SearchApprovalRequestsAsync(name, ApprovalStatuses.Pending, ct: ct);
            if (pending.Items.Count > 0)
            {
                var id = pending.Items[0].Id;
                return approve ? await approver.ApproveAsync(id, "ship it", ct) : await approver.RejectAsync(id, "not this week", ct);
            }
            await Task.Delay(100, ct);
        }
    }

    [Fact]
    public async Task ExecuteAsync_NoPolicy_SetsAliasDirectly()
    {
        var name = await ModelWithVersionsAsync();

        var result = await PromoteAsync(With.Of(("model", name), ("version", "2")));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((name, "2", "champion", ""), (result.Outputs["model_name"], result.Outputs["version"], result.Outputs["alias"], result.Outputs["approval_request"]));
        Assert.Equal("2", (await fixture.Client.GetModelVersionByAliasAsync(name, "champion")).Version);
    }

    [Fact]
    public async Task ExecuteAsync_PolicyProtectsOtherAlias_SetsThisAliasDirectly()
    {
        var name = await ModelWithVersionsAsync(ProtectChampion());

        var result = await PromoteAsync(With.Of(("model", name), ("version", "1"), ("alias", "staging")));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("1", (await fixture.Client.GetModelVersionByAliasAsync(name, "staging")).Version);
    }

    [Fact]
    public async Task ExecuteAsync_ProtectedAliasApproved_WaitsAndAliasMoves()
    {
        var name = await ModelWithVersionsAsync(ProtectChampion());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var log = new InMemoryStepLog();

        var promote = PromoteAsync(With.Of(("model", name), ("version", "2"), ("poll_interval", "100ms")), log, timeout.Token);
        var decision = await DecideWhenRequestedAsync(name, approve: true, timeout.Token);
        var result = await promote;

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(ApprovalStatuses.Approved, decision.Status);
        Assert.Equal(decision.Id.ToString(CultureInfo.InvariantCulture), result.Outputs["approval_request"]);
        Assert.Equal(BuiltInServerFixture.Requester, decision.Requester);
        Assert.Equal("2", (await fixture.Client.GetModelVersionByAliasAsync(name, "champion")).Version);
        Assert.Contains($"opened approval request {decision.Id}", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
        Assert.Contains($"approved by {BuiltInServerFixture.Approver}", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ProtectedAliasRejected_FailsWithRequestIdAndReason()
    {
        var name = await ModelWithVersionsAsync(ProtectChampion());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var promote = PromoteAsync(With.Of(("model", name), ("version", "2"), ("poll_interval", "100ms")), ct: timeout.Token);
        var decision = await DecideWhenRequestedAsync(name, approve: false, timeout.Token);
        var result = await promote;

        Assert.False(result.Succeeded);
        Assert.Equal($"approval request {decision.Id} was rejected by {BuiltInServerFixture.Approver}: not this week", result.Error);
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => fixture.Client.GetModelVersionByAliasAsync(name, "champion"));
        Assert.NotNull(error);
    }

    [Fact]
    public async Task ExecuteAsync_NobodyDecides_TimesOutNamingRequestAndRetryWaitsOnSameRequest()
    {
        var name = await ModelWithVersionsAsync(ProtectChampion());
        var with = With.Of(("model", name), ("version", "2"), ("approval_timeout", "500ms"), ("poll_interval", "100ms"));

        var first = await PromoteAsync(with);
        var log = new InMemoryStepLog();
        var retry = await PromoteAsync(with, log);

        var pending = await fixture.Client.SearchApprovalRequestsAsync(name, ApprovalStatuses.Pending);
        var request = Assert.Single(pending.Items);
        Assert.Equal($"approval request {request.Id} is still pending after 500ms; it stays open for the approvers", first.Error);
        Assert.Equal(first.Error, retry.Error);
        Assert.Contains($"waiting for the pending approval request {request.Id}", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileWaiting_Throws()
    {
        var name = await ModelWithVersionsAsync(ProtectChampion());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PromoteAsync(With.Of(("model", name), ("version", "1"), ("poll_interval", "100ms")), ct: cancel.Token));
    }

    [Theory]
    [InlineData("version", "9", "the server refused:")]
    [InlineData("approval_timeout", "forever", "with: approval_timeout = 'forever' is not a duration such as 30s, 10m or 1h")]
    [InlineData("poll_interval", "0s", "with: poll_interval = '0s' must be positive")]
    public async Task ExecuteAsync_BadWith_Fails(string key, string value, string expectedStart)
    {
        var name = await ModelWithVersionsAsync();
        var with = With.Of(("model", name), ("version", "1"));
        with[key] = value;

        var result = await PromoteAsync(with);

        Assert.False(result.Succeeded);
        Assert.StartsWith(expectedStart, result.Error, StringComparison.Ordinal);
    }
}
