using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Security.Accounts;
using Slipway.Web.Components.Shared;

namespace Slipway.Web.Pages.Account;

/// <summary>
/// The signed-in user's personal access tokens: create one (its secret is shown once, with a copy button), list them
/// and revoke them. Everything goes through <see cref="AccountService"/> as the connection's user, so the page can do
/// exactly what <c>/api/2.0/slipway/tokens</c> lets that user do, audited under their name.
/// </summary>
public sealed partial class TokensPage
{
    private AccountService? _accounts;
    private IReadOnlyList<AccessToken>? _tokens;
    private IssuedToken? _issued;
    private string _name = "";
    private int? _days;
    private string? _createError;
    private string? _copyNote;
    private Exception? _loadError;
    private Exception? _revokeError;
    private bool _busy;

    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private UiAccess Access { get; set; } = default!;
    [Inject] private UiSession Session { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<TokensPage> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        // Tokens exist only when authentication is on; without it the page explains that none are needed.
        if (!Access.Enforced)
            return;
        _accounts = Services.GetService<AccountService>();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _tokens = await _accounts!.ListTokensAsync(await Access.UserAsync(), null, null, CancellationToken.None);
            _loadError = null;
        }
        catch (Exception exception)
        {
            _loadError = UiFailure.Note(Logger, "listing tokens", exception);
        }
    }

    private async Task CreateAsync()
    {
        _busy = true;
        (_createError, _copyNote, _issued) = (null, null, null);
        try
        {
            // Not the page's lifetime: a token created while the user navigates away must still be recorded whole.
            _issued = await _accounts!.CreateTokenAsync(await Access.UserAsync(), _name, _days, null, null, Session.Audit, CancellationToken.None);
            _name = "";
            _days = null;
        }
        catch (SlipwayException exception)
        {
            _createError = exception.Message;
        }
        catch (Exception exception)
        {
            UiFailure.Note(Logger, "creating a token", exception);
            _createError = "The token could not be created; the server log has the details.";
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }

    private async Task RevokeAsync(string id)
    {
        _busy = true;
        _revokeError = null;
        try
        {
            await _accounts!.RevokeTokenAsync(await Access.UserAsync(), id, Session.Audit, CancellationToken.None);
            if (_issued?.Token.Id == id)
                _issued = null;
        }
        catch (Exception exception)
        {
            _revokeError = UiFailure.Note(Logger, "revoking a token", exception);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }

    private async Task CopyAsync()
    {
        if (_issued is null)
            return;
        try
        {
            await JS.InvokeVoidAsync("slipway.copyText", _issued.Secret);
            _copyNote = "Copied.";
        }
        catch (JSException)
        {
            // The browser refused the clipboard (no permission, not a secure context): the text is still on screen.
            _copyNote = "The browser did not allow copying; select the secret and copy it by hand.";
        }
    }

    private string StateOf(AccessToken token)
    {
        if (token.RevokedTime is not null)
            return "revoked";
        return token.IsActive(Clock.GetUtcNow().ToUnixTimeMilliseconds()) ? "active" : "expired";
    }
}
