using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Security.Tests.Resources;

/// <summary>
/// A real server on 127.0.0.1 with authentication on and the given default permission, and four users who sign in
/// with HTTP Basic: the bootstrap admin, alice and bob (no roles) and carol (the approver role). Users are made
/// through the admin REST API, exactly as an operator would.
/// </summary>
public abstract class AuthServer : IAsyncLifetime
{
    private const string AdminPassword = "admin-password-0123";
    private const string UserPassword = "user-password-0123";

    private SlipwayTestServer? _server;

    /// <summary>What signed-in users hold where they have no grant (<c>Slipway:Auth:DefaultPermission</c>).</summary>
    protected abstract string DefaultPermission { get; }

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public UserClient Admin { get; private set; } = null!;

    public UserClient Alice { get; private set; } = null!;

    public UserClient Bob { get; private set; } = null!;

    public UserClient Carol { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            options.Auth.Enabled = true;
            options.Auth.AdminPassword = AdminPassword;
            options.Auth.PasswordIterations = 10_000;
            options.Auth.DefaultPermission = DefaultPermission;
        });
        Admin = new UserClient(_server.BaseAddress, "admin", AdminPassword);
        // The pipeline tests store command steps, which needs the operator role (see PipelineOperatorRoleTests).
        Alice = await CreateUserAsync("alice", ["operator"]);
        Bob = await CreateUserAsync("bob", ["operator"]);
        Carol = await CreateUserAsync("carol", ["approver", "operator"]);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { Admin, Alice, Bob, Carol })
            client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public async Task<UserClient> CreateUserAsync(string name, string[] roles)
    {
        (await Admin.SendAsync(HttpMethod.Post, "api/2.0/slipway/users", new { name, password = UserPassword, roles })).Ok();
        return new UserClient(Server.BaseAddress, name, UserPassword);
    }

    /// <summary>A name no other test uses, so tests sharing one server never see each other's resources.</summary>
    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];
}

/// <summary>Users hold nothing they were not granted (or did not create).</summary>
public sealed class NoPermissionsServer : AuthServer
{
    protected override string DefaultPermission => "NO_PERMISSIONS";
}

/// <summary>MLflow's default: every signed-in user may read everything.</summary>
public sealed class ReadDefaultServer : AuthServer
{
    protected override string DefaultPermission => "READ";
}

/// <summary>One signed-in user's HTTP client: every request carries their HTTP Basic credentials.</summary>
public sealed class UserClient : IDisposable
{
    private readonly HttpClient _http;

    public UserClient(Uri baseAddress, string name, string password)
    {
        Name = name;
        _http = new HttpClient { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(name + ":" + password)));
    }

    public string Name { get; }

    public async Task<Reply> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Reply> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    /// <summary>Sets <paramref name="user"/>'s permission on a resource through the permissions API, as this user.</summary>
    public Task<Reply> GrantAsync(string resourceType, string resource, string user, string permission) =>
        SendAsync(HttpMethod.Put, "api/2.0/slipway/permissions", new { resource_type = resourceType, resource, user, permission });

    /// <summary>Sends raw bytes (an artifact upload through the proxy).</summary>
    public async Task<Reply> PutBytesAsync(string path, byte[] bytes)
    {
        using var content = new ByteArrayContent(bytes);
        using var response = await _http.PutAsync(path, content);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A response's status and body.</summary>
public sealed record Reply(HttpStatusCode Status, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The JSON body of a 200 answer; fails the test with the body otherwise.</summary>
    public JsonElement Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"Expected 200, got {(int)Status}: {Body}");
        return Body.Length == 0 ? default : Json;
    }

    /// <summary>Asserts a 403 in MLflow's error format.</summary>
    public void Forbidden()
    {
        Assert.True(Status == HttpStatusCode.Forbidden, $"Expected 403, got {(int)Status}: {Body}");
        Assert.Equal("PERMISSION_DENIED", Json.GetProperty("error_code").GetString());
    }

    /// <summary>Asserts a 404 in MLflow's error format.</summary>
    public void NotFound()
    {
        Assert.True(Status == HttpStatusCode.NotFound, $"Expected 404, got {(int)Status}: {Body}");
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", Json.GetProperty("error_code").GetString());
    }
}
