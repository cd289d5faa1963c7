using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Core.Errors;
using Slipway.Serving.DataPlane;

namespace Slipway.Serving.Endpoints;

/// <summary>The rules an endpoint spec must follow; every violation is INVALID_PARAMETER_VALUE naming the field.</summary>
public static partial class EndpointValidator
{
    public const int MaxRoutes = 16;
    public const int MaxWeight = 100;
    public const int MaxBatchSize = 4096;
    public const int MaxQueueSize = 100_000;
    public const int MaxDescriptionLength = 65535;
    private const int MaxHeaderNameLength = 256;
    private static readonly TimeSpan MaxQueueDelay = TimeSpan.FromSeconds(1);

    /// <summary>Endpoint and route names: they appear in URLs (<c>/v2/models/{name}</c>), metrics labels and file paths.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    // RFC 9110 token characters.
    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderNamePattern();

    public static void Validate(EndpointSpec spec, IModelSource models)
    {
        ValidateName(spec.Name, "name", "Endpoint name");
        if (spec.Description is { Length: > MaxDescriptionLength })
            throw SlipwayException.InvalidParameter($"The description is longer than {MaxDescriptionLength} characters.");
        if (spec.Routes.Count == 0)
            throw SlipwayException.InvalidParameter("An endpoint needs at least one route.");
        if (spec.Routes.Count > MaxRoutes)
            throw SlipwayException.InvalidParameter($"An endpoint has at most {MaxRoutes} routes (got {spec.Routes.Count}).");

        var names = new HashSet<string>(StringComparer.Ordinal);
        var totalWeight = 0;
        for (var i = 0; i < spec.Routes.Count; i++)
        {
            var route = spec.Routes[i];
            var field = $"routes[{i}]";
            ValidateName(route.Name, field + ".name", "Route name");
            if (!names.Add(route.Name))
                throw SlipwayException.InvalidParameter($"Route name '{route.Name}' is used twice; route names must be unique.");
            if (route.Weight is < 0 or > MaxWeight)
                throw SlipwayException.InvalidParameter($"Invalid value {route.Weight} for parameter '{field}.weight' supplied: weights are between 0 and {MaxWeight}.");
            totalWeight += route.Weight;
            models.Validate(route.Model);
        }
        if (totalWeight == 0)
            throw SlipwayException.InvalidParameter("The route weights add up to 0; at least one route must receive traffic.");

        if (spec.Shadow is { } shadow)
        {
            ValidateName(shadow.Name, "shadow.name", "Shadow route name");
            if (names.Contains(shadow.Name))
                throw SlipwayException.InvalidParameter($"The shadow route is named '{shadow.Name}' like a live route; give it its own name.");
            models.Validate(shadow.Model);
        }
        if (spec.StickyHeader is { } header && (header.Length > MaxHeaderNameLength || !HeaderNamePattern().IsMatch(header)))
            throw SlipwayException.InvalidParameter($"Invalid value '{header}' for parameter 'sticky_header' supplied: expected an HTTP header name.");
        if (spec.Batching is { } batching)
            ValidateBatching(batching);
        if (double.IsNaN(spec.LogSampleRate) || spec.LogSampleRate is < 0 or > 1)
            throw SlipwayException.InvalidParameter(
                $"Invalid value {spec.LogSampleRate.ToString(CultureInfo.InvariantCulture)} for parameter 'log_sample_rate' supplied: expected a fraction between 0 and 1.");
    }

    private static void ValidateBatching(BatchingSpec batching)
    {
        if (batching.MaxBatchSize is < 1 or > MaxBatchSize)
            throw SlipwayException.InvalidParameter(
                $"Invalid value {batching.MaxBatchSize} for parameter 'batching.max_batch_size' supplied: expected 1 to {MaxBatchSize}.");
        if (batching.MaxQueueDelay < TimeSpan.Zero || batching.MaxQueueDelay > MaxQueueDelay)
            throw SlipwayException.InvalidParameter(
                $"Invalid value {batching.MaxQueueDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} for parameter 'batching.max_queue_delay_ms' supplied: expected 0 to {MaxQueueDelay.TotalMilliseconds} ms.");
        if (batching.MaxQueueSize is < 1 or > MaxQueueSize)
            throw SlipwayException.InvalidParameter(
                $"Invalid value {batching.MaxQueueSize} for parameter 'batching.max_queue_size' supplied: expected 1 to {MaxQueueSize}.");
    }

    private static void ValidateName(string? name, string field, string what)
    {
        if (string.IsNullOrEmpty(name))
            throw SlipwayException.MissingParameter(field);
        if (!NamePattern().IsMatch(name))
            throw SlipwayException.InvalidParameter(
                $"Invalid {what.ToLowerInvariant()} '{name}': use 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit.");
    }
}
