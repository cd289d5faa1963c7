namespace Slipway.Security.Tests.Matrix;

/// <summary>Who may call a route once authentication is on, which decides the three calls the matrix makes.</summary>
public enum RouteAccess
{
    /// <summary>Acts on one of alice's resources: anonymous 401, bob 403, alice (its creator, MANAGE) succeeds.</summary>
    Resource,

    /// <summary>Lists across resources: anonymous 401; bob 200 without alice's resource; alice 200 with it.</summary>
    List,

    /// <summary>Creates a new top-level resource: anonymous 401; carol, a plain signed-in user, succeeds.</summary>
    Creates,

    /// <summary>Needs only a signed-in user (whoami, /metrics, server metadata, the API fallbacks): anonymous 401, bob succeeds.</summary>
    SignedIn,

    /// <summary>Administration: anonymous 401, bob 403, the admin succeeds.</summary>
    Admin,

    /// <summary>Meant to be public (health probes, the login page, UI assets): anonymous succeeds.</summary>
    Anonymous,

    /// <summary>A web UI page: anonymous is redirected to /login, a signed-in user gets the page.</summary>
    UiPage,
}

/// <summary>The body and content type of a recipe's request.</summary>
public enum BodyKind
{
    None,
    Json,
    Text,
}

/// <summary>
/// How to call one route of the matrix: <see cref="Key"/> is the route (<c>"METHOD pattern"</c> exactly as
/// <see cref="MatrixRoute.Key"/> prints it), <see cref="Target"/> the path and query with placeholders that
/// <see cref="MatrixFixture.Expand"/> fills (<c>{exp}</c>, <c>{model}</c>, …), <see cref="Body"/> the request body.
/// <see cref="Status"/> is the permitted caller's normal answer (for gRPC, 200 means OK and anything else a gRPC status code). <see cref="Setup"/> runs once before the calls (as alice)
/// and adds placeholders of its own, for routes that use up what they act on (deletions, restores, renames);
/// <see cref="Cleanup"/> runs after them (as the caller that created something). <see cref="Hidden"/>, for lists, is the
/// text (placeholders allowed) of alice's resource that bob must not see and alice must.
/// </summary>
public sealed record RouteRecipe(string Key, string Target, RouteAccess Access)
{
    public string Method => Key[..Key.IndexOf(' ', StringComparison.Ordinal)];

    public string? Body { get; init; }

    public BodyKind BodyKind { get; init; }

    public int Status { get; init; } = 200;

    public string? Hidden { get; init; }

    /// <summary>The method to send on a route mapped for any method (<c>*</c>); GET when null.</summary>
    public string? Verb { get; init; }

    /// <summary>Whether to ask for HTML as a browser navigating to a page does (UI pages are told apart by it).</summary>
    public bool Browser { get; init; }

    /// <summary>Not mapped again under <c>/ajax-api/2.0</c> (Slipway routes that MLflow's UI never calls).</summary>
    public bool ApiOnly { get; init; }

    public Func<MatrixFixture, Task<IReadOnlyDictionary<string, string>>>? Setup { get; init; }

    public Func<MatrixFixture, IReadOnlyDictionary<string, string>, Task>? Cleanup { get; init; }

    /// <summary>The HTTP method actually sent.</summary>
    public string SentMethod => Verb ?? (Method == "*" ? "GET" : Method);

    /// <summary>A gRPC method of the OIP service, called over the gRPC listener instead of HTTP/1.1.</summary>
    public bool IsGrpc => Target.StartsWith("grpc:", StringComparison.Ordinal);

    public override string ToString() => Key;
}
