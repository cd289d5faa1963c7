namespace Slipway.Security.Ui;

/// <summary>
/// Where the login form may send the browser after signing in: only a path on this site. Anything else (another
/// host, a protocol-relative <c>//host</c>, a backslash that browsers read as a slash, a scheme, control characters)
/// becomes <c>/</c>, so the login page cannot be used to bounce a user to a look-alike site.
/// </summary>
public static class LocalReturnUrl
{
    private const int MaxLength = 2048;

    /// <summary><paramref name="returnUrl"/> when it is a local path, else <c>/</c>.</summary>
    public static string Sanitize(string? returnUrl) => IsLocal(returnUrl) ? returnUrl! : "/";

    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength || url[0] != '/')
            return false;
        if (url.Length > 1 && url[1] is '/' or '\\')
            return false;
        foreach (var c in url)
        {
            // Browsers drop tabs and newlines from URLs ("/\t/evil.example" is "//evil.example") and read '\' as '/'.
            if (char.IsControl(c) || c == '\\')
                return false;
        }
        return true;
    }

}
