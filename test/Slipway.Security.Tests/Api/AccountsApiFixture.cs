using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Security.Tests.Core;
using Slipway.Testing;

namespace Slipway.Security.Tests.Api;

/// <summary>
/// One real server with authentication on for the admin REST API tests, and a small JSON client. Tests share it, so
/// each creates users, tokens and resources with names of its own.
/// </summary>
public sealed class AccountsApiFixture : IAsyncLifetime
{
    public const string UserPassword = "user-password-for-tests";
    public const string SlipwayApi = "/api/2.0/slipway/";
    public const string MlflowApi = "/api/2.0/mlflow/";

    private SlipwayTestServer? _server;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public AuthenticationHeaderValue Admin { get; } = AuthServer.Basic("admin", AuthServer.AdminPassword);

    public async Task InitializeAsync() => _server = await AuthServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>Sends a JSON request (the body serialized as is; GET and HEAD carry none) and reads the JSON answer.</summary>
    public Task<ApiAnswer> SendAsync(AuthenticationHeaderValue? caller, string method, string path, object? body = null) =>
        SendAsync(Server, caller, method, path, body);

    /// <summary>As <see cref="SendAsync(AuthenticationHeaderValue?, string, string, object?)"/>, to a server of the test's own.</summary>
    public static async Task<ApiAnswer> SendAsync(SlipwayTestServer server, AuthenticationHeaderValue? caller, string method, string path, object? body = null)
    {
        using var client = AuthServer.Client(server, caller);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiAnswer(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    /// <summary>Creates a user (as the administrator) and returns their name and Basic credentials.</summary>
    public async Task<(string Name, AuthenticationHeaderValue Credentials)> NewUserAsync(string prefix, bool admin = false)
    {
        var name = Unique(prefix);
        var answer = await SendAsync(Admin, "POST", SlipwayApi + "users", new { name, password = UserPassword, admin });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return (name, AuthServer.Basic(name, UserPassword));
    }

    /// <summary>Creates an experiment as <paramref name="owner"/> (who then holds MANAGE on it) and returns its id.</summary>
    public async Task<string> NewExperimentAsync(AuthenticationHeaderValue owner)
    {
        var answer = await SendAsync(owner, "POST", MlflowApi + "experiments/create", new { name = Unique("exp") });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json.GetProperty("experiment_id").GetString()!;
    }

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public static AuthenticationHeaderValue Bearer(string secret) => new("Bearer", secret);
}

/// <summary>An answer: status, parsed JSON (default when the body was empty) and the raw text for "never contains" checks.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonElement Json, string Text)
{
    public string? ErrorCode => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("error_code", out var code) ? code.GetString() : null;

    /// <summary>Asserts an MLflow error answer with its status and code.</summary>
    public void AssertError(HttpStatusCode status, string errorCode)
    {
        Assert.Equal(status, Status);
        Assert.Equal(errorCode, ErrorCode);
        Assert.False(string.IsNullOrEmpty(Json.GetProperty("message").GetString()));
    }
}
