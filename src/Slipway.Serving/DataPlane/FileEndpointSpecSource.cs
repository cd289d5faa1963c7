using Slipway.Core.Errors;
using Slipway.Serving.Endpoints;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Endpoint specs from a local file (<c>slipway serve --file</c>, see <see cref="EndpointFile"/>), re-read on every
/// listing and re-parsed when its content changed. Each endpoint's revision grows when its spec changes, so an edit
/// swaps only what it touches. A file that becomes invalid (or half-written, or deleted) fails the listing, and
/// <see cref="EndpointSelection"/> keeps the last valid specs serving. Listed by one reconcile pass at a time.
/// </summary>
public sealed class FileEndpointSpecSource(string path, IModelSource models, TimeProvider clock) : IEndpointSpecSource
{
    private readonly Dictionary<string, Known> _known = new(StringComparer.Ordinal);
    private string? _text;
    private string? _problem;
    private IReadOnlyList<EndpointRecord> _records = [];

    private sealed record Known(string Json, long Revision, long Created, long Updated);

    public string FilePath { get; } = Path.GetFullPath(path);

    /// <summary>Reads and checks the file now (at start-up); INVALID_PARAMETER_VALUE listing every problem.</summary>
    public IReadOnlyList<EndpointSpec> Check() => EndpointFile.Parse(File.ReadAllText(FilePath), FilePath, models);

    public async Task<IReadOnlyList<EndpointRecord>> ListAsync(CancellationToken ct)
    {
        var text = await File.ReadAllTextAsync(FilePath, ct);
        if (text != _text)
        {
            _text = text;
            try
            {
                _records = Apply(EndpointFile.Parse(text, FilePath, models));
                _problem = null;
            }
            catch (SlipwayException e)
            {
                _problem = e.Message;
            }
        }
        return _problem is null ? _records : throw SlipwayException.InvalidParameter(_problem);
    }

    private List<EndpointRecord> Apply(IReadOnlyList<EndpointSpec> specs)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var records = new List<EndpointRecord>(specs.Count);
        foreach (var spec in specs)
        {
            var json = EndpointSpecJson.Serialize(spec);
            // Names that leave the file are remembered, so one that comes back gets a higher revision, not revision 1 again.
            if (!_known.TryGetValue(spec.Name, out var known))
                known = new Known(json, 1, now, now);
            else if (known.Json != json)
                known = known with { Json = json, Revision = known.Revision + 1, Updated = now };
            _known[spec.Name] = known;
            records.Add(new EndpointRecord(spec, known.Revision, known.Created, known.Updated));
        }
        return records;
    }
}
