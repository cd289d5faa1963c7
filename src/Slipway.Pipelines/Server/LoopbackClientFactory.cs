using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Slipway.Client;
using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Pipelines.Server;

/// <summary>
/// A <see cref="SlipwayClient"/> on the server's own first listen address, so server-run pipelines create their MLflow
/// runs and artifacts exactly as <c>slipway pipeline run</c> does. A wildcard host (0.0.0.0, [::], +, *) becomes 127.0.0.1.
/// With authentication on it signs in with <see cref="PipelineServerOptions.ServiceToken"/>, the access token of the user
/// server-run pipelines act as; without one, server-run pipelines are refused with a message that says so.
/// </summary>
public sealed class LoopbackClientFactory(IServer server, PipelineServerOptions options, IAccessControl? access = null) : IDisposable
{
    /// <summary>
    /// Who server-run steps act as: the audit actor of what they change, and the requester of approvals (so a pipeline
    /// never approves its own promotion; an approver must).
    /// </summary>
    public const string ServiceUser = "slipway-pipelines";

    private readonly Lock _lock = new();
    private SlipwayClient? _client;

    /// <summary>The client, made on first use; <c>TEMPORARILY_UNAVAILABLE</c> before the server listens.</summary>
    public SlipwayClient Client
    {
        get
        {
            lock (_lock)
                return _client ??= Create();
        }
    }

    private SlipwayClient Create()
    {
        if (!string.IsNullOrEmpty(options.ServiceToken))
            return new SlipwayClient(ResolveAddress()) { Token = options.ServiceToken };
        if (access is { Enabled: true })
            throw new SlipwayException(ErrorCode.TemporarilyUnavailable,
                "Server-run pipelines need Slipway:Pipelines:ServiceToken when authentication is on: create a user for them "
                + $"(e.g. '{ServiceUser}'), grant it what the pipelines touch, and set one of its access tokens there.");
        return new SlipwayClient(ResolveAddress()) { UserName = ServiceUser };
    }

    public void Dispose()
    {
        lock (_lock)
            _client?.Dispose();
    }

    public Uri ResolveAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault()
            ?? throw new SlipwayException(ErrorCode.TemporarilyUnavailable, "The server is not listening yet; pipelines cannot run.");
        return ToLoopback(first);
    }

    /// <summary>Maps a listen address such as <c>http://0.0.0.0:5000</c> to one this process can connect to.</summary>
    public static Uri ToLoopback(string address)
    {
        var text = address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal);
        var builder = new UriBuilder(text);
        if (builder.Host is "0.0.0.0" or "[::]" or "::" or "localhost")
            builder.Host = "127.0.0.1";
        builder.Path = "/";
        return builder.Uri;
    }
}
