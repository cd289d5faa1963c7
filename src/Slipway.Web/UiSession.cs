using Microsoft.AspNetCore.Components.Authorization;
using Slipway.Core.Audit;
using Slipway.Core.Security;

namespace Slipway.Web;

/// <summary>
/// One browser connection (a circuit): who is using it, so that changes made from the UI are audited under that
/// name. With authentication on, that is the signed-in user of the connection (the session cookie's principal,
/// verified by the server) and nothing the browser merely claims. With it off, the name is read from the page request
/// (see <c>App.razor</c>) the way the REST API reads it: the user name of an HTTP Basic header, unverified.
/// </summary>
public sealed class UiSession(AuthenticationStateProvider authentication, IAccessControl? accessControl = null)
{
    private string _actor = AuditContext.Anonymous;

    public string Actor => _actor;

    /// <summary>Whether the connection belongs to a signed-in user (authentication on), who can sign out.</summary>
    public bool SignedIn { get; private set; }

    /// <summary>The anti-forgery field the sign-out form posts, minted by the page request for this user.</summary>
    public FormToken? SignOutToken { get; private set; }

    /// <summary>The audit context for a change made now; each change gets its own request id.</summary>
    public AuditContext Audit => new(_actor, "ui-" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>Settles the actor when the connection starts; <paramref name="requestActor"/> is the page request's
    /// unverified name, used only when authentication is off.</summary>
    internal async Task StartAsync(string? requestActor, FormToken? signOutToken)
    {
        if (accessControl is { Enabled: true })
        {
            var user = (await authentication.GetAuthenticationStateAsync()).User;
            _actor = user.UserName() ?? AuditContext.Anonymous;
            SignedIn = user.UserName() is not null;
            SignOutToken = signOutToken;
            return;
        }
        if (!string.IsNullOrWhiteSpace(requestActor))
            _actor = requestActor;
    }
}

/// <summary>An anti-forgery form field: its name and the request token.</summary>
public sealed record FormToken(string FieldName, string Value);
