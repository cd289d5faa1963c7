namespace Slipway.Core.Audit;

/// <summary>Who made a change and under which request; every store mutation that is audited takes one.</summary>
/// <param name="Actor">The authenticated user, else the user the client named, else <c>anonymous</c>.</param>
/// <param name="RequestId">The request's id (the <c>X-Request-Id</c> header or the server's trace identifier).</param>
public sealed record AuditContext(string Actor, string? RequestId)
{
    public const string Anonymous = "anonymous";

    /// <summary>For changes the server makes by itself (background workers, migrations).</summary>
    public static readonly AuditContext System = new("system", null);
}

/// <summary>
/// One immutable audit record. <see cref="Resource"/> is a path such as <c>models/iris/versions/3</c>, so that a
/// query for <c>models/iris</c> also finds the events of its versions, aliases and approvals.
/// <see cref="Before"/> and <see cref="After"/> are JSON documents (null when the resource did not or no longer exists).
/// </summary>
public sealed record AuditEvent(
    long Id,
    long Timestamp,
    string Actor,
    string Action,
    string Resource,
    string? Before,
    string? After,
    string? RequestId);

/// <summary>
/// A page of audit events: every event on <see cref="Resource"/> or below it, at or after <see cref="Since"/>, oldest
/// first, or newest first with <see cref="NewestFirst"/> (a history view that shows the latest changes on its first page).
/// </summary>
public sealed record AuditQuery(string? Resource, string? Action, long? Since, int MaxResults, int Offset, bool NewestFirst = false);

/// <summary>
/// Reads the audit trail. Events are appended by the stores inside the transaction of the change they describe,
/// so a change and its event commit together; no API updates or deletes them.
/// </summary>
public interface IAuditStore
{
    /// <summary>Events in the order they were appended (oldest first); returns whether more follow.</summary>
    Task<(IReadOnlyList<AuditEvent> Items, bool HasMore)> SearchAsync(AuditQuery query, CancellationToken ct);
}

/// <summary>Resource paths used in audit events and webhook payloads.</summary>
public static class AuditResources
{
    public static string Experiment(string experimentId) => "experiments/" + experimentId;

    public static string Run(string runId) => "runs/" + runId;

    public static string Model(string name) => "models/" + name;

    public static string ModelVersion(string name, long version) => $"models/{name}/versions/{version}";

    public static string Alias(string name, string alias) => $"models/{name}/aliases/{alias}";

    public static string Approval(string name, long requestId) => $"models/{name}/approvals/{requestId}";

    public static string Webhook(long id) => "webhooks/" + id;
}
