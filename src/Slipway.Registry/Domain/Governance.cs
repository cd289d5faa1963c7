namespace Slipway.Registry.Domain;

/// <summary>
/// A registered model's approval policy. Protected aliases and stages change only through an approved
/// <see cref="ApprovalRequest"/>. <see cref="MetricGates"/> are conditions such as <c>metrics.auc &gt;= 0.90</c> on the
/// version's source run; <see cref="RequiredTags"/> must be set on the version or on its source run.
/// </summary>
public sealed record ApprovalPolicy(
    IReadOnlyList<string> ProtectedAliases,
    IReadOnlyList<string> ProtectedStages,
    int RequiredApprovals,
    string ApproverRole,
    IReadOnlyList<string> MetricGates,
    IReadOnlyList<string> RequiredTags,
    bool RequireModelCard)
{
    public const string DefaultApproverRole = "approver";
}

/// <summary>What an approval request would change: an alias to point at the version, or the version's stage.</summary>
public sealed record ApprovalTarget(ApprovalTargetKind Kind, string Value);

public enum ApprovalTargetKind
{
    Alias,
    Stage,
}

public static class ApprovalStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
}

/// <summary>One automatic gate evaluated against the source run: the condition, whether it passed, and what was found.</summary>
public sealed record GateResult(string Condition, bool Passed, string Detail);

public sealed record ApprovalDecision(string Approver, bool Approve, string? Comment, long Timestamp);

public sealed record ApprovalRequest(
    long Id,
    string ModelName,
    long Version,
    ApprovalTarget Target,
    string Status,
    string Requester,
    string? Comment,
    int RequiredApprovals,
    long CreatedTimestamp,
    long? DecidedTimestamp,
    IReadOnlyList<GateResult> Gates,
    IReadOnlyList<ApprovalDecision> Decisions);

public sealed record NewApprovalRequest(
    string ModelName,
    long Version,
    ApprovalTarget Target,
    string Requester,
    string? Comment,
    int RequiredApprovals,
    IReadOnlyList<GateResult> Gates);

public sealed record ApprovalQuery(string? ModelName, string? Status, int MaxResults, int Offset);

/// <summary>A model card: structured documentation stored with a model version.</summary>
public sealed record ModelCard(
    string? IntendedUse,
    string? TrainingData,
    IReadOnlyList<CardMetric> EvaluationMetrics,
    string? Limitations,
    IReadOnlyList<string> Owners,
    long UpdatedTimestamp,
    string UpdatedBy);

public sealed record CardMetric(string Name, double Value, string? Dataset);
