using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Security;
using Slipway.Security.Credentials;

namespace Slipway.Security.Ui;

/// <summary>
/// The web UI's sign-in: <c>GET /login</c> shows the form, <c>POST /login</c> checks it and starts the session cookie,
/// <c>POST /logout</c> ends it. Both posts carry an anti-forgery token. The password check goes through
/// <see cref="ICredentialVerifier"/>, so the form is throttled and audited exactly like HTTP Basic. With
/// authentication off there is nobody to sign in as, and these addresses lead back to the UI.
/// </summary>
public static class LoginEndpoints
{
    private const string GenericFailure = "The user name or password is not right.";
    // A login form is two short fields and a token; anything much larger is not one.
    private const long MaxFormBytes = 16 * 1024;

    /// <summary>Maps <c>/login</c> and <c>/logout</c>; both are reachable without signing in.</summary>
    public static IEndpointRouteBuilder MapSlipwayLogin(this IEndpointRouteBuilder app)
    {
        // The handlers check the anti-forgery token themselves, so that a bad one gets this form's 400 page rather
        // than the framework's automatic form-binding check.
        var group = app.MapGroup("").AllowAnonymous().DisableAntiforgery().WithTags("UI sign-in");
        group.MapGet("/login", ShowAsync).WithName("LoginForm").WithSummary("The sign-in form of the web UI");
        group.MapPost("/login", SignInAsync).WithName("LoginSubmit").WithSummary("Checks the form and starts a UI session");
        group.MapPost("/logout", SignOutAsync).WithName("Logout").WithSummary("Ends the UI session");
        return app;
    }

    private static bool AuthenticationOn(HttpContext context) =>
        context.RequestServices.GetService<SecurityOptions>() is { IsEnabled: true };

    private static Task ShowAsync(HttpContext context)
    {
        UiSecurityHeaders.Apply(context.Response);
        var returnUrl = LocalReturnUrl.Sanitize(context.Request.Query["returnUrl"]);
        if (!AuthenticationOn(context) || context.User.UserName() is not null)
        {
            context.Response.Redirect(returnUrl);
            return Task.CompletedTask;
        }
        return WriteFormAsync(context, StatusCodes.Status200OK, returnUrl, null, null);
    }

    private static async Task SignInAsync(HttpContext context)
    {
        UiSecurityHeaders.Apply(context.Response);
        if (!AuthenticationOn(context))
        {
            context.Response.Redirect("/");
            return;
        }
        if (!await IsGenuineFormAsync(context))
            return;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalReturnUrl.Sanitize(form["returnUrl"]);
        var user = form["user"].ToString().Trim();
        var password = form["password"].ToString();
        if (user.Length is 0 or > 256 || password.Length is 0 or > 1024)
        {
            await WriteFormAsync(context, StatusCodes.Status400BadRequest, returnUrl, user.Length <= 256 ? user : null,
                "Enter your user name and password.");
            return;
        }
        var verifier = context.RequestServices.GetRequiredService<ICredentialVerifier>();
        var outcome = await verifier.VerifyPasswordAsync(user, password, context.Connection.RemoteIpAddress, "password", context.RequestAborted);
        if (outcome.RetryAfter is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteFormAsync(context, StatusCodes.Status429TooManyRequests, returnUrl, user,
                $"Too many failed sign-ins. Try again in {seconds} seconds.");
            return;
        }
        if (outcome.User is not { } signedIn || signedIn.UserName() is null)
        {
            // One message whether the user exists or not, so the form does not tell which names are real.
            await WriteFormAsync(context, StatusCodes.Status401Unauthorized, returnUrl, user, GenericFailure);
            return;
        }
        // The verifier's principal carries the stamp of the password it checked, so a later password change ends
        // this session (see SessionCookie); each request then re-reads the user's roles from the store.
        await context.SignInAsync(SecurityModule.CookieScheme, signedIn, new AuthenticationProperties { IsPersistent = false });
        context.Response.Redirect(returnUrl);
    }

    private static async Task SignOutAsync(HttpContext context)
    {
        UiSecurityHeaders.Apply(context.Response);
        // Only a signed-in user has a session to end, and only their own page may end it; anyone else just goes to
        // the form (a stale page after the session expired posts a token minted for a user who is gone).
        if (AuthenticationOn(context) && context.User.UserName() is not null)
        {
            if (!await IsGenuineFormAsync(context))
                return;
            await context.SignOutAsync(SecurityModule.CookieScheme);
        }
        context.Response.Redirect(AuthenticationOn(context) ? "/login" : "/");
    }

    /// <summary>Whether the post is a form of ours, of sane size, with a valid anti-forgery token; answers 400 when not.</summary>
    private static async Task<bool> IsGenuineFormAsync(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var valid = context.Request.HasFormContentType
            && context.Request.ContentLength is > 0 and <= MaxFormBytes
            && await antiforgery.IsRequestValidAsync(context);
        if (valid)
            return true;
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(LoginPage.RenderProblem("The form could not be accepted",
            "This form was not sent from a Slipway page, or it has expired. Open the page again and retry."), context.RequestAborted);
        return false;
    }

    private static Task WriteFormAsync(HttpContext context, int status, string returnUrl, string? user, string? message)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(LoginPage.Render(tokens, returnUrl, user, message), context.RequestAborted);
    }
}
