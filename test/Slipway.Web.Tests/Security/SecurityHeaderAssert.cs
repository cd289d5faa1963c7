namespace Slipway.Web.Tests.Security;

/// <summary>What every web UI response must carry (header names in lower case, as Playwright and the test reader give them).</summary>
internal static class SecurityHeaderAssert
{
    public static void Present(IReadOnlyDictionary<string, string> headers)
    {
        var csp = Header(headers, "content-security-policy");
        foreach (var directive in (string[])["script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                     "base-uri 'self'", "form-action 'self'"])
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(headers, "x-content-type-options"));
        Assert.Equal("DENY", Header(headers, "x-frame-options"));
        Assert.Equal("same-origin", Header(headers, "referrer-policy"));
        Assert.Equal("same-origin", Header(headers, "cross-origin-opener-policy"));
        Assert.Contains("camera=()", Header(headers, "permissions-policy"), StringComparison.Ordinal);
    }

    public static IReadOnlyDictionary<string, string> Of(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(", ", h.Value), StringComparer.Ordinal);

    private static string Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"The response has no {name} header.");
}
