namespace Slipway.Client;

/// <summary>
/// A registered model's approval policy. Protected aliases and stages change only through an approved
/// <see cref="ApprovalRequest"/>; the gates are checked against the version when a request is opened.
/// </summary>
public sealed record ApprovalPolicy
{
    /// <summary>The role approvers must hold when a policy does not name one.</summary>
    public const string DefaultApproverRole = "approver";

    /// <summary>Aliases (e.g. <c>champion</c>) that only an approved request may move.</summary>
    public IReadOnlyList<string> ProtectedAliases { get; init => field = value ?? []; } = [];

    /// <summary>Stages (e.g. <c>Production</c>) that only an approved request may put a version in.</summary>
    public IReadOnlyList<string> ProtectedStages { get; init => field = value ?? []; } = [];

    /// <summary>How many distinct approvers must approve (1–10).</summary>
    public int RequiredApprovals { get; init; } = 1;

    /// <summary>The role an approver must hold.</summary>
    public string ApproverRole { get; init => field = value ?? DefaultApproverRole; } = DefaultApproverRole;

    /// <summary>Conditions on the source run, e.g. <c>metrics.auc &gt;= 0.9</c>.</summary>
    public IReadOnlyList<string> MetricGates { get; init => field = value ?? []; } = [];

    /// <summary>Tag keys that must be set on the version or its source run, e.g. <c>model_card</c>.</summary>
    public IReadOnlyList<string> RequiredTags { get; init => field = value ?? []; } = [];

    /// <summary>True when the version must have a model card.</summary>
    public bool RequireModelCard { get; init; }
}

/// <summary>A request to point a protected alias at a version, or to move a version into a protected stage.</summary>
public sealed record ApprovalRequest
{
    /// <summary>The request id.</summary>
    public long Id { get; init; }

    /// <summary>The registered model.</summary>
    public string ModelName { get; init => field = value ?? ""; } = "";

    /// <summary>The version the request is for (a string, as on the wire).</summary>
    public string Version { get; init => field = value ?? ""; } = "";

    /// <summary>The alias or the stage the request would change.</summary>
    public ApprovalTarget Target { get; init => field = value ?? new(); } = new();

    /// <summary><see cref="ApprovalStatuses.Pending"/>, <see cref="ApprovalStatuses.Approved"/> or <see cref="ApprovalStatuses.Rejected"/>.</summary>
    public string Status { get; init => field = value ?? ""; } = "";

    /// <summary>The user who opened the request.</summary>
    public string Requester { get; init => field = value ?? ""; } = "";

    /// <summary>The requester's comment.</summary>
    public string? Comment { get; init; }

    /// <summary>How many approvals the request needs.</summary>
    public int RequiredApprovals { get; init; }

    /// <summary>When the request was opened, milliseconds since the Unix epoch.</summary>
    public long CreatedTimestamp { get; init; }

    /// <summary>When the request was approved or rejected; null while pending.</summary>
    public long? DecidedTimestamp { get; init; }

    /// <summary>The policy's gates as evaluated when the request was opened.</summary>
    public IReadOnlyList<GateResult> Gates { get; init => field = value ?? []; } = [];

    /// <summary>The approvals and rejections so far, oldest first.</summary>
    public IReadOnlyList<ApprovalDecision> Decisions { get; init => field = value ?? []; } = [];
}

/// <summary>What an approval request changes: exactly one of <see cref="Alias"/> and <see cref="Stage"/> is set.</summary>
public sealed record ApprovalTarget
{
    /// <summary>A target that points <paramref name="alias"/> at the version.</summary>
    public static ApprovalTarget ForAlias(string alias) => new() { Alias = alias };

    /// <summary>A target that moves the version to <paramref name="stage"/>.</summary>
    public static ApprovalTarget ForStage(string stage) => new() { Stage = stage };

    /// <summary>The alias to point at the version.</summary>
    public string? Alias { get; init; }

    /// <summary>The stage to move the version to.</summary>
    public string? Stage { get; init; }

    /// <inheritdoc />
    public override string ToString() => Alias is not null ? $"alias {Alias}" : $"stage {Stage}";
}

/// <summary>One gate of a policy as evaluated for a request.</summary>
/// <param name="Condition">The condition, e.g. <c>metrics.auc &gt;= 0.9</c>.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Detail">What was found, e.g. <c>metrics.auc = 0.93</c>.</param>
public sealed record GateResult(string Condition, bool Passed, string Detail);

/// <summary>One approver's decision on a request.</summary>
public sealed record ApprovalDecision
{
    /// <summary>The user who decided.</summary>
    public string Approver { get; init => field = value ?? ""; } = "";

    /// <summary><c>approve</c> or <c>reject</c>.</summary>
    public string Decision { get; init => field = value ?? ""; } = "";

    /// <summary>The approver's comment.</summary>
    public string? Comment { get; init; }

    /// <summary>When the decision was made, milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; init; }
}

/// <summary>The states of an approval request.</summary>
public static class ApprovalStatuses
{
    /// <summary>Waiting for approvers.</summary>
    public const string Pending = "pending";

    /// <summary>Approved; the alias or stage has been changed.</summary>
    public const string Approved = "approved";

    /// <summary>Rejected; nothing was changed.</summary>
    public const string Rejected = "rejected";
}
