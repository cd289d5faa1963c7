using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Testing;

namespace Slipway.Security.Tests.Hardening;

/// <summary>
/// Guessing passwords is throttled: after <c>MaxFailedSignIns</c> failures for one user, that user's sign-ins answer 429
/// with Retry-After (MLflow's REQUEST_LIMIT_EXCEEDED on the API) even with the right password and from another address,
/// while other users sign in as usual; the audit trail records the failures and the block. The UI's login form is
/// throttled the same way.
/// </summary>
public sealed partial class BruteForceTests
{
    private const string AdminPassword = "brute-admin-password";
    private const int MaxFailedSignIns = 5;

    [Fact]
    public async Task BasicAuth_TwentyWrongPasswords_ThrottledEvenForRightPasswordOthersUnaffected()
    {
        await using var server = await StartAsync();
        await CreateUserAsync(server, "victim", "victim-right-password");
        await CreateUserAsync(server, "bystander", "bystander-password");
        using var attacker = LoopbackClients.From("127.0.0.2", server.BaseAddress);
        using var elsewhere = LoopbackClients.From("127.0.0.3", server.BaseAddress);

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 20; attempt++)
            statuses.Add((await WhoAmIAsync(attacker, "victim", $"wrong-password-{attempt}")).Status);
        var rightPassword = await WhoAmIAsync(attacker, "victim", "victim-right-password");
        var rightPasswordElsewhere = await WhoAmIAsync(elsewhere, "victim", "victim-right-password");
        var bystander = await WhoAmIAsync(elsewhere, "bystander", "bystander-password");
        var bystanderFromAttacker = await WhoAmIAsync(attacker, "bystander", "bystander-password");
        var audit = await AdminGetAsync(server, "/api/slipway/v1/audit?max_results=1000");

        Assert.All(statuses.Take(MaxFailedSignIns - 1), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.All(statuses.Skip(MaxFailedSignIns), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
        AssertThrottled(rightPassword, "the right password from the attacker's address");
        AssertThrottled(rightPasswordElsewhere, "the right password from another address");
        Assert.Equal(HttpStatusCode.OK, bystander.Status);
        Assert.Equal(HttpStatusCode.OK, bystanderFromAttacker.Status);
        Assert.Contains("\"auth.signin_failed\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"auth.throttled\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginForm_WrongPasswords_ThrottledWithRetryAfterEvenForRightPassword()
    {
        await using var server = await StartAsync();
        await CreateUserAsync(server, "formvictim", "formvictim-password");
        using var browser = LoopbackClients.From("127.0.0.4", server.BaseAddress, cookies: true);

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < MaxFailedSignIns + 3; attempt++)
            statuses.Add((await PostLoginAsync(browser, "formvictim", $"wrong-password-{attempt}")).Status);
        var right = await PostLoginAsync(browser, "formvictim", "formvictim-password");

        Assert.All(statuses.Take(MaxFailedSignIns - 1), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.All(statuses.Skip(MaxFailedSignIns), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
        Assert.True(right.RetryAfter is > 0, "a throttled login form carries Retry-After");
        Assert.Null(right.Cookie);
    }

    private static void AssertThrottled((HttpStatusCode Status, string Body, TimeSpan? RetryAfter) answer, string what)
    {
        Assert.True(answer.Status == HttpStatusCode.TooManyRequests, $"{what}: expected 429, got {(int)answer.Status}: {answer.Body}");
        Assert.True(answer.RetryAfter is { } wait && wait > TimeSpan.Zero, $"{what}: expected a positive Retry-After");
        using var error = JsonDocument.Parse(answer.Body);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.RootElement.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("message").GetString()));
    }

    private static Task<SlipwayTestServer> StartAsync() => SlipwayTestServer.StartAsync(configure: options =>
    {
        options.Auth.Enabled = true;
        options.Auth.AdminPassword = AdminPassword;
        options.Auth.PasswordIterations = 10_000;
        options.Auth.MaxFailedSignIns = MaxFailedSignIns;
        options.Auth.CookieSecure = false;
    });

    private static async Task CreateUserAsync(SlipwayTestServer server, string name, string password)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/slipway/users") { Content = JsonContent.Create(new { name, password }) };
        request.Headers.Authorization = Basic("admin", AdminPassword);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"creating {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> AdminGetAsync(SlipwayTestServer server, string target)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Authorization = Basic("admin", AdminPassword);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {target}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static async Task<(HttpStatusCode Status, string Body, TimeSpan? RetryAfter)> WhoAmIAsync(HttpClient client, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/2.0/slipway/whoami");
        request.Headers.Authorization = Basic(user, password);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>Fills the login form as a browser would: the page's anti-forgery token and cookie, then the post.</summary>
    private static async Task<(HttpStatusCode Status, int? RetryAfter, string? Cookie)> PostLoginAsync(HttpClient browser, string user, string password)
    {
        var page = await browser.GetStringAsync("/login");
        var token = HiddenInput().Matches(page).Select(match => (match.Groups["name"].Value, match.Groups["value"].Value))
            .Single(input => input.Item1 != "returnUrl");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Item1] = WebUtility.HtmlDecode(token.Item2), ["returnUrl"] = "/", ["user"] = user, ["password"] = password,
        });
        using var response = await browser.PostAsync("/login", form);
        var session = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(cookie => !cookie.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase))
            : null;
        return (response.StatusCode, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds, session);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
