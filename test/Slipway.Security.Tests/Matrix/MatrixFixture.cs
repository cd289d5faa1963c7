using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Security.Tests.Matrix;

/// <summary>The callers the matrix uses: nobody, the administrator, the owner, a stranger and a plain user with READ grants.</summary>
public enum Caller
{
    Anonymous,
    Admin,
    Alice,
    Bob,
    Carol,
}

/// <summary>
/// One real server with authentication on (default permission NO_PERMISSIONS) and the users alice, bob and carol, where
/// alice owns one of everything (see <c>MatrixFixture.Seed.cs</c>). <see cref="AuthEnabled"/> false starts the same
/// server with authentication off, where every recipe must simply succeed: that proves the recipes themselves right.
/// </summary>
public partial class MatrixFixture : IAsyncLifetime
{
    public const string AdminPassword = "matrix-admin-password";
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private SlipwayTestServer? _server;
    private Slipway.Server.SlipwayServerOptions? _options;
    private HttpClient? _http;

    protected virtual bool AuthEnabled => true;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Http => _http ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The running server's routes, read from its own endpoint table.</summary>
    public IReadOnlyList<MatrixRoute> Routes { get; private set; } = [];

    public bool Auth => AuthEnabled;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            _options = options;
            options.Auth.Enabled = AuthEnabled;
            options.Auth.AdminPassword = AdminPassword;
            options.Auth.PasswordIterations = 10_000;
            options.Auth.DefaultPermission = "NO_PERMISSIONS";
            options.Auth.CookieSecure = false;
            // The matrix signs in hundreds of times, never wrongly; a throttle would only hide real answers.
            options.Auth.MaxFailedSignIns = 1000;
            // With authentication off, roles come from the configured lists: the admin decides approvals in both modes.
            if (!AuthEnabled)
                options.SetApprovers("admin");
        });
        // Redirects are answers here: a UI page must send an anonymous browser to /login, not be followed there.
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        Routes = MatrixRoute.ReadAll(_server.Services);
        if (AuthEnabled)
        {
            foreach (var user in new[] { Caller.Alice, Caller.Bob, Caller.Carol })
                await CallOkAsync(Caller.Admin, "POST", "/api/2.0/slipway/users", new { name = NameOf(user), password = PasswordOf(user), roles = new[] { "operator" } });
            // Server-run pipelines act as a service user of their own, through one of its tokens (read on first use,
            // so it can be set once the server runs, as an operator would set it before a restart).
            await CallOkAsync(Caller.Admin, "POST", "/api/2.0/slipway/users", new { name = "slipway-pipelines" });
            var service = await CallOkAsync(Caller.Admin, "POST", "/api/2.0/slipway/tokens", new { name = "pipelines", user = "slipway-pipelines" });
            _options!.Pipelines.ServiceToken = service.GetProperty("secret").GetString();
        }
        await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public static string NameOf(Caller caller) => caller == Caller.Admin ? "admin" : caller.ToString().ToLowerInvariant();

    public static string PasswordOf(Caller caller) =>
        caller == Caller.Admin ? AdminPassword : $"matrix-{NameOf(caller)}-password";

    public static AuthenticationHeaderValue? AuthorizationOf(Caller caller) => caller == Caller.Anonymous
        ? null
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{NameOf(caller)}:{PasswordOf(caller)}")));

    /// <summary>A name no other request of this fixture uses.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Fills <c>{name}</c> placeholders from the seeded values, then from <paramref name="extra"/> (a recipe's setup).</summary>
    public string Expand(string template, IReadOnlyDictionary<string, string>? extra = null)
    {
        var text = template;
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        foreach (var (name, value) in _values)
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return text.Replace("{unique}", Guid.NewGuid().ToString("N")[..12], StringComparison.Ordinal);
    }

    /// <summary>Sends one request as <paramref name="caller"/>; the target is sent as written (no dot-segment removal).</summary>
    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(Caller caller, string method, string target, string? body, BodyKind kind, bool browser = false)
    {
        var uri = new Uri(Http.BaseAddress!.GetLeftPart(UriPartial.Authority) + target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        request.Headers.Authorization = AuthorizationOf(caller);
        if (browser)
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        if (kind != BodyKind.None)
            request.Content = new StringContent(body ?? "", Encoding.UTF8, kind == BodyKind.Json ? "application/json" : "application/octet-stream");
        var response = await Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A request that must succeed (2xx); its JSON answer (an empty object for an empty body).</summary>
    public async Task<JsonElement> CallOkAsync(Caller caller, string method, string target, object? body)
    {
        var json = body is null ? null : body as string ?? JsonSerializer.Serialize(body);
        var (response, text) = await SendAsync(caller, method, target, json, json is null ? BodyKind.None : BodyKind.Json);
        using (response)
        {
            Assert.True((int)response.StatusCode is >= 200 and < 300,
                $"{NameOf(caller)}: {method} {target} answered {(int)response.StatusCode}: {Shorten(text)}");
        }
        if (text.Length == 0 || text[0] is not ('{' or '['))
            return JsonDocument.Parse("{}").RootElement.Clone();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The first string (or number, as text) property of that name anywhere in the answer: ids sit one level down.</summary>
    public static string FirstString(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && FirstStringOrNull(property.Value, name) is { } found)
                    return found;
            }
        }
        throw new InvalidOperationException($"no '{name}' in {element}");
    }

    private static string? FirstStringOrNull(JsonElement element, string name)
    {
        try
        {
            return FirstString(element, name);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static string Shorten(string text) => text.Length > 500 ? text[..500] + "…" : text;

    /// <summary>Whether the answer is a redirect to the sign-in page.</summary>
    public static bool IsLoginRedirect(HttpResponseMessage response) =>
        (int)response.StatusCode is 301 or 302 or 303 or 307
        && response.Headers.Location is { } location
        && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString).StartsWith("/login", StringComparison.Ordinal);

    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
