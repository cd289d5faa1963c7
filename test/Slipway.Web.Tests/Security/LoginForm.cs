using System.Net;
using System.Text.RegularExpressions;

namespace Slipway.Web.Tests.Security;

/// <summary>The login form driven over plain HTTP (no browser): its anti-forgery field, its post, the cookies it sets.</summary>
internal sealed partial class LoginForm : IDisposable
{
    private readonly HttpClient _http;

    public LoginForm(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>Fetches the form; returns its anti-forgery field name and token (the cookie half is kept in <see cref="Cookies"/>).</summary>
    public async Task<(string Field, string Token)> OpenAsync()
    {
        var html = await _http.GetStringAsync("/login");
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "The login form has no anti-forgery field:\n" + html);
        return (WebUtility.HtmlDecode(match.Groups["name"].Value), WebUtility.HtmlDecode(match.Groups["value"].Value));
    }

    public Task<HttpResponseMessage> PostAsync(string user, string password, (string Field, string Token)? antiforgery, string returnUrl = "/")
    {
        var fields = new List<KeyValuePair<string, string>> { new("user", user), new("password", password), new("returnUrl", returnUrl) };
        if (antiforgery is { } token)
            fields.Add(new(token.Field, token.Token));
        return _http.PostAsync("/login", new FormUrlEncodedContent(fields));
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>(?!returnUrl\")[^\"]+)\" value=\"(?<value>[^\"]*)\" />")]
    private static partial Regex AntiforgeryField();
}
