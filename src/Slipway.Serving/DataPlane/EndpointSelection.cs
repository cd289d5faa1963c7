using Microsoft.Extensions.Logging;
using Slipway.Serving.Endpoints;

namespace Slipway.Serving.DataPlane;

/// <summary>What a data plane has read from its spec source, for its readiness probe.</summary>
/// <param name="Listed">The source has been read at least once.</param>
/// <param name="Selected">The endpoints this process should serve, from the last successful read.</param>
/// <param name="Missing">Endpoints asked for by name that the source does not have.</param>
/// <param name="Failure">Why the last read failed (the previous specs keep serving); null when it worked.</param>
public sealed record SelectionState(bool Listed, IReadOnlyList<string> Selected, IReadOnlyList<string> Missing, string? Failure);

/// <summary>
/// The endpoints a <c>slipway serve</c> process serves: those of <paramref name="source"/> named in
/// <paramref name="names"/> (every one when it is empty). A source that fails to answer — control plane down,
/// endpoints file half-written — does not stop serving: the last successful listing is returned again, and the
/// failure is logged once, not on every poll.
/// </summary>
public sealed class EndpointSelection(IEndpointSpecSource source, IReadOnlyCollection<string> names, string sourceName, ILogger<EndpointSelection> logger)
    : IEndpointSpecSource
{
    private readonly HashSet<string> _names = new(names, StringComparer.Ordinal);
    private IReadOnlyList<EndpointRecord>? _last;
    private volatile SelectionState _state = new(false, [], [], null);

    public SelectionState State => _state;

    public async Task<IReadOnlyList<EndpointRecord>> ListAsync(CancellationToken ct)
    {
        IReadOnlyList<EndpointRecord> all;
        try
        {
            all = await source.ListAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            if (_state.Failure != e.Message)
                DataPlaneLog.SourceFailed(logger, sourceName, _last?.Count ?? 0, e.Message);
            _state = _state with { Failure = e.Message };
            return _last ?? [];
        }

        var selected = _names.Count == 0 ? all : all.Where(r => _names.Contains(r.Spec.Name)).ToList();
        List<string> selectedNames = [.. selected.Select(r => r.Spec.Name)];
        List<string> missing = [.. _names.Except(selectedNames).Order(StringComparer.Ordinal)];
        var previous = _state;
        if (previous.Failure is not null)
            DataPlaneLog.SourceRecovered(logger, sourceName);
        if (!previous.Listed || !previous.Selected.SequenceEqual(selectedNames))
            DataPlaneLog.EndpointsListed(logger, sourceName, selectedNames.Count, string.Join(", ", selectedNames));
        if (missing.Count > 0 && !previous.Missing.SequenceEqual(missing))
            DataPlaneLog.EndpointsMissing(logger, sourceName, string.Join(", ", missing));
        _last = selected;
        _state = new SelectionState(true, selectedNames, missing, null);
        return selected;
    }
}
