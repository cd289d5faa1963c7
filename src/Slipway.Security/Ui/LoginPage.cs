using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Slipway.Security.Ui;

/// <summary>
/// The login form, rendered on the server as a small static HTML page in the UI's styles. It has no script at all, so
/// it works under the UI's Content-Security-Policy and before any Blazor connection exists.
/// </summary>
internal static class LoginPage
{
    /// <summary>The page with the form; <paramref name="message"/> (already worded for the user) is shown above it.</summary>
    public static string Render(AntiforgeryTokenSet tokens, string returnUrl, string? userName, string? message)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder(2048);
        page.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <title>Sign in · Slipway</title>
            <link rel="stylesheet" href="/ui/slipway.css" />
            <link rel="stylesheet" href="/ui/account.css" />
            <link rel="icon" href="data:," />
            </head>
            <body>
            <header class="topbar"><span class="brand">Slipway</span></header>
            <main class="login">
            <form class="panel login-form" method="post" action="/login" data-test="login-form">
            <h1>Sign in</h1>
            """);
        if (message is not null)
            page.Append("<div class=\"error-box\" role=\"alert\" data-test=\"login-error\">").Append(html.Encode(message)).Append("</div>\n");
        page.Append("<input type=\"hidden\" name=\"").Append(html.Encode(tokens.FormFieldName))
            .Append("\" value=\"").Append(html.Encode(tokens.RequestToken ?? "")).Append("\" />\n");
        page.Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(html.Encode(returnUrl)).Append("\" />\n");
        page.Append("<label for=\"user\">User name</label>\n");
        page.Append("<input id=\"user\" name=\"user\" type=\"text\" autocomplete=\"username\" required maxlength=\"256\" data-test=\"login-user\"");
        if (string.IsNullOrEmpty(userName))
            page.Append(" autofocus");
        else
            page.Append(" value=\"").Append(html.Encode(userName)).Append('"');
        page.Append(" />\n<label for=\"password\">Password</label>\n");
        page.Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"1024\" data-test=\"login-password\"");
        if (!string.IsNullOrEmpty(userName))
            page.Append(" autofocus");
        page.Append("""
             />
            <button type="submit" class="btn primary" data-test="login-submit">Sign in</button>
            <p class="muted small">Scripts and the command line sign in with a personal access token instead (see the Tokens page once signed in).</p>
            </form>
            </main>
            </body>
            </html>
            """);
        return page.ToString();
    }

    /// <summary>A short page for a request the form cannot handle (a missing or stale anti-forgery token).</summary>
    public static string RenderProblem(string title, string message) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8" /><title>{HtmlEncoder.Default.Encode(title)} · Slipway</title>
        <link rel="stylesheet" href="/ui/slipway.css" /><link rel="stylesheet" href="/ui/account.css" /><link rel="icon" href="data:," /></head>
        <body><main class="login"><div class="panel login-form"><h1>{HtmlEncoder.Default.Encode(title)}</h1>
        <div class="error-box" role="alert" data-test="login-problem">{HtmlEncoder.Default.Encode(message)}</div>
        <p><a href="/login">Back to sign in</a></p></div></main></body>
        </html>
        """;
}
