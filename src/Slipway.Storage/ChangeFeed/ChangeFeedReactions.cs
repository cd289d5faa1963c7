using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Slipway.Registry;
using Slipway.Serving.Endpoints;

namespace Slipway.Storage.ChangeFeed;

/// <summary>
/// What a replica does when any replica changes something: an alias change drops that model's cached aliases and asks
/// the endpoint manager for a reconcile pass now (instead of at its next interval); an endpoint change asks for the
/// pass; a resync drops the whole alias cache and asks for the pass. Processes without a registry or serving (CLI
/// commands) simply have nothing to react with.
/// </summary>
internal sealed class ChangeFeedReactions(IChangeFeed feed, IServiceProvider services) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var aliases = services.GetService<AliasCache>();
        var endpoints = services.GetService<EndpointManager>();
        _subscription = feed.Subscribe(notice =>
        {
            switch (notice.Kind)
            {
                case ChangeKind.Alias:
                    // Invalidate before the pass, so the pass resolves the alias from the database.
                    aliases?.Invalidate(notice.Name);
                    break;
                case ChangeKind.Resync:
                    aliases?.InvalidateAll();
                    break;
            }
            endpoints?.RequestReconcile();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
