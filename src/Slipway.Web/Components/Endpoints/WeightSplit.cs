using System.Globalization;
using Slipway.Serving.Endpoints;

namespace Slipway.Web.Components.Endpoints;

/// <summary>
/// Reads the weights typed into the traffic-split form. The UI asks for percentages, so they must be whole numbers
/// from 0 to 100 that add up to 100 (the API itself accepts any total above 0 and splits in proportion).
/// </summary>
public static class WeightSplit
{
    /// <summary>The routes with their new weights, or the problem to show next to the form (and <paramref name="routes"/> empty).</summary>
    public static string? Parse(IReadOnlyList<RouteSpec> current, IReadOnlyDictionary<string, string> typed, out IReadOnlyList<RouteSpec> routes)
    {
        routes = [];
        var result = new List<RouteSpec>(current.Count);
        var total = 0;
        foreach (var route in current)
        {
            var text = typed.TryGetValue(route.Name, out var value) ? value.Trim() : "";
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight) || weight is < 0 or > EndpointValidator.MaxWeight)
                return $"The weight of route '{route.Name}' must be a whole number from 0 to 100 (got '{text}').";
            total += weight;
            result.Add(route with { Weight = weight });
        }
        if (total != 100)
            return $"The weights must add up to 100; they add up to {total}.";
        routes = result;
        return null;
    }
}
