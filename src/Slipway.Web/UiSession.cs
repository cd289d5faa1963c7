using Slipway.Core.Audit;

namespace Slipway.Web;

/// <summary>
/// One browser connection (a circuit): who is using it, so that changes made from the UI are audited under that
/// name. The actor is read from the page request (see <c>App.razor</c>) the same way the REST API reads it.
/// </summary>
public sealed class UiSession
{
    private string _actor = AuditContext.Anonymous;

    public string Actor => _actor;

    /// <summary>The audit context for a change made now; each change gets its own request id.</summary>
    public AuditContext Audit => new(_actor, "ui-" + Guid.NewGuid().ToString("N")[..16]);

    internal void SetActor(string? actor)
    {
        if (!string.IsNullOrWhiteSpace(actor))
            _actor = actor;
    }
}
