namespace Slipway.Client;

/// <summary>
/// A typed client for the MLflow REST API (<c>/api/2.0/mlflow/…</c>) and the MLflow artifact proxy
/// (<c>/api/2.0/mlflow-artifacts/artifacts/…</c>) as served by Slipway; it also works against an MLflow
/// tracking server. Thread-safe; create one per server and reuse it.
/// </summary>
/// <remarks>
/// A non-success answer throws <see cref="SlipwayApiException"/> with the server's error code; a server that
/// cannot be reached throws <see cref="HttpRequestException"/>. Timestamps are milliseconds since the Unix epoch,
/// as on the wire.
/// </remarks>
public sealed partial class SlipwayClient : IDisposable
{
    /// <summary>The environment variable MLflow clients read the tracking server address from.</summary>
    public const string TrackingUriVariable = "MLFLOW_TRACKING_URI";

    /// <summary>The environment variable MLflow clients read the HTTP Basic user name from.</summary>
    public const string UserNameVariable = "MLFLOW_TRACKING_USERNAME";

    /// <summary>The environment variable MLflow clients read the HTTP Basic password from.</summary>
    public const string PasswordVariable = "MLFLOW_TRACKING_PASSWORD";

    /// <summary>The environment variable MLflow clients read a bearer token from; it wins over user name and password.</summary>
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";

    /// <summary>The address used when <see cref="TrackingUriVariable"/> is not set.</summary>
    public static readonly Uri DefaultBaseAddress = new("http://127.0.0.1:5000/");

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly TimeProvider _timeProvider;
    private string? _basicCredentials;

    /// <summary>Creates a client for the server at <paramref name="baseAddress"/>.</summary>
    /// <param name="baseAddress">The server root, e.g. <c>http://127.0.0.1:5000</c>; a path prefix is kept (reverse proxies).</param>
    /// <param name="handler">An optional message handler (authentication, proxies, tests); the client disposes it.</param>
    public SlipwayClient(Uri baseAddress, HttpMessageHandler? handler = null)
        : this(handler is null ? new HttpClient() : new HttpClient(handler), baseAddress, ownsHttpClient: true, TimeProvider.System)
    {
    }

    /// <summary>Creates a client over an existing <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the server root.</summary>
    /// <param name="httpClient">The client to send requests with; it is not disposed by this instance.</param>
    public SlipwayClient(HttpClient httpClient)
        : this(httpClient, httpClient.BaseAddress ?? throw new ArgumentException("HttpClient.BaseAddress must be set to the server address.", nameof(httpClient)), ownsHttpClient: false, TimeProvider.System)
    {
    }

    internal SlipwayClient(HttpClient httpClient, Uri baseAddress, bool ownsHttpClient, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The server address must be an absolute http(s) URI (got '{baseAddress}').", nameof(baseAddress));
        _http = httpClient;
        _ownsHttpClient = ownsHttpClient;
        _timeProvider = timeProvider;
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
    }

    /// <summary>The server root, always ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// The user to send as HTTP Basic credentials (as MLflow clients do from <c>MLFLOW_TRACKING_USERNAME</c>);
    /// null sends no <c>Authorization</c> header. Slipway records this user as the actor of audit events and as
    /// the requester or approver of approval requests.
    /// </summary>
    public string? UserName { get; init; }

    /// <summary>The HTTP Basic password sent with <see cref="UserName"/>; null sends an empty password.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// An access token (a Slipway personal or endpoint token <c>slw_…</c>, or an OpenID Connect JWT) sent as
    /// <c>Authorization: Bearer</c>. When set it wins over <see cref="UserName"/> and <see cref="Password"/>, as in
    /// MLflow's client; null sends no bearer token.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>
    /// Creates a client for the server named by <c>MLFLOW_TRACKING_URI</c>, or <see cref="DefaultBaseAddress"/>
    /// when it is not set, with the bearer token of <c>MLFLOW_TRACKING_TOKEN</c> and the credentials of
    /// <c>MLFLOW_TRACKING_USERNAME</c> and <c>MLFLOW_TRACKING_PASSWORD</c> when they are set (the token is sent when
    /// both are). Only <c>http</c> and <c>https</c> tracking URIs are supported.
    /// </summary>
    /// <exception cref="InvalidOperationException">The variable is set but is not an http(s) URI.</exception>
    public static SlipwayClient FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(TrackingUriVariable);
        var uri = DefaultBaseAddress;
        if (!string.IsNullOrWhiteSpace(value)
            && (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            throw new InvalidOperationException($"{TrackingUriVariable} must be an http(s) URI of a tracking server (got '{value}').");
        return new SlipwayClient(uri)
        {
            UserName = NullIfEmpty(Environment.GetEnvironmentVariable(UserNameVariable)),
            Password = NullIfEmpty(Environment.GetEnvironmentVariable(PasswordVariable)),
            Token = NullIfEmpty(Environment.GetEnvironmentVariable(TokenVariable)),
        };
    }

    /// <summary>Disposes the underlying <see cref="HttpClient"/> if this instance created it.</summary>
    public void Dispose()
    {
        if (_ownsHttpClient)
            _http.Dispose();
    }

    private long NowMilliseconds() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
