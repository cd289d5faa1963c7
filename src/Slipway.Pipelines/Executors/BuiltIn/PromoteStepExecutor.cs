using System.Globalization;
using Slipway.Client;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// <c>uses: promote</c>: points an alias (default <c>champion</c>) at a version. When the model's approval policy
/// protects the alias, the step opens an approval request and waits for the approvers; the server moves the alias
/// itself when the request is approved, so the step only checks where it points afterwards.
/// </summary>
/// <remarks>
/// <c>with:</c> <c>model</c> (name), <c>version</c>, <c>alias</c>, <c>comment</c> (for the approvers),
/// <c>approval_timeout</c> (default 1h), <c>poll_interval</c> (default 5s). A rejected or timed-out request fails the
/// step naming the request id; a timed-out request stays open for the approvers. Outputs <c>model_name</c>,
/// <c>version</c>, <c>alias</c> and <c>approval_request</c> (the id, empty when no approval was needed).
/// </remarks>
public sealed class PromoteStepExecutor(SlipwayClient client, TimeProvider? timeProvider = null) : BuiltInStepExecutor(client)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    protected override async Task<StepResult> ExecuteCoreAsync(StepArguments arguments, StepInvocation invocation, CancellationToken cancellationToken)
    {
        var name = arguments.Required("model");
        var version = arguments.Required("version");
        var alias = arguments.Optional("alias") ?? "champion";
        var timeout = arguments.Duration("approval_timeout", TimeSpan.FromHours(1));
        var pollInterval = arguments.Duration("poll_interval", TimeSpan.FromSeconds(5));
        if (pollInterval <= TimeSpan.Zero)
            throw new StepArgumentException("poll_interval", $"with: poll_interval = '{arguments.Optional("poll_interval")}' must be positive");
        var comment = arguments.Optional("comment")
            ?? $"pipeline {invocation.PipelineName}, run {invocation.RunId}, step {invocation.StepId}";

        // Reading the version first turns a wrong name or number into a clear failure before any request is opened.
        await Client.GetModelVersionAsync(name, version, cancellationToken);
        var policy = await Client.GetApprovalPolicyAsync(name, cancellationToken);
        var requestId = "";
        if (policy is not null && policy.ProtectedAliases.Contains(alias, StringComparer.OrdinalIgnoreCase))
        {
            var request = await OpenRequestAsync(name, version, alias, comment, invocation, cancellationToken);
            requestId = request.Id.ToString(CultureInfo.InvariantCulture);
            await TagStepRunAsync(invocation, "slipway.approval_request", requestId, cancellationToken);
            request = await WaitForDecisionAsync(request, timeout, pollInterval, cancellationToken);
            if (request.Status == ApprovalStatuses.Rejected)
                return Fail(invocation, $"approval request {request.Id} was rejected{Reasons(request)}");
            if (request.Status != ApprovalStatuses.Approved)
                return Fail(invocation, $"approval request {request.Id} is still {request.Status} after {arguments.Optional("approval_timeout") ?? "1h"}; it stays open for the approvers");
            Log(invocation, $"approval request {request.Id} approved by {string.Join(", ", request.Decisions.Where(d => d.Decision == "approve").Select(d => d.Approver))}");

            var current = await Client.GetModelVersionByAliasAsync(name, alias, cancellationToken);
            if (current.Version != version)
                return Fail(invocation, $"approval request {request.Id} was approved but {name}@{alias} now points at version {current.Version}, not {version}");
        }
        else
        {
            await Client.SetModelAliasAsync(name, alias, version, cancellationToken);
        }

        Log(invocation, $"{name}@{alias} → version {version}");
        return StepResult.Success(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model_name"] = name,
            ["version"] = version,
            ["alias"] = alias,
            ["approval_request"] = requestId,
        });
    }

    private async Task<ApprovalRequest> OpenRequestAsync(string name, string version, string alias, string comment, StepInvocation invocation, CancellationToken ct)
    {
        try
        {
            var request = await Client.RequestApprovalAsync(name, version, ApprovalTarget.ForAlias(alias), comment, ct);
            Log(invocation, $"{name}@{alias} is protected by an approval policy; opened approval request {request.Id} (needs {request.RequiredApprovals} approval(s))");
            return request;
        }
        catch (SlipwayApiException e) when (e.ErrorCode == ApiErrorCodes.ResourceAlreadyExists)
        {
            // A retry of this step (or another run) already asked for the same change: wait for that request.
            await foreach (var pending in Client.SearchAllApprovalRequestsAsync(name, ApprovalStatuses.Pending, ct: ct))
            {
                if (pending.Version == version && string.Equals(pending.Target.Alias, alias, StringComparison.OrdinalIgnoreCase))
                {
                    Log(invocation, $"waiting for the pending approval request {pending.Id} for the same change");
                    return pending;
                }
            }
            throw;
        }
    }

    private async Task<ApprovalRequest> WaitForDecisionAsync(ApprovalRequest request, TimeSpan timeout, TimeSpan pollInterval, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (request.Status == ApprovalStatuses.Pending)
        {
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                break;
            await Task.Delay(left < pollInterval ? left : pollInterval, _time, ct);
            request = await Client.GetApprovalRequestAsync(request.Id, ct);
        }
        return request;
    }

    private static string Reasons(ApprovalRequest request)
    {
        var rejections = request.Decisions.Where(d => d.Decision == "reject")
            .Select(d => string.IsNullOrEmpty(d.Comment) ? d.Approver : $"{d.Approver}: {d.Comment}")
            .ToList();
        return rejections.Count == 0 ? "" : $" by {string.Join("; ", rejections)}";
    }
}
