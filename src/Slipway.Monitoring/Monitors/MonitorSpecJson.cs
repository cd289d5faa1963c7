using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Core.Errors;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// The one JSON form of a <see cref="MonitorSpec"/> (snake_case; REST bodies, the stored row and the audit trail):
/// <code>
/// {"name","endpoint","reference":{"kind":"dataset|model|window","uri","from","to"},"window":"1d",
///  "features":[{"name","column","reference_column","type","method","threshold"}],"predictions":[…],
///  "schedule":"0 * * * *","drift_share","method","threshold","max_rows",
///  "quality":{"max_missing_share_increase","max_out_of_range_share","max_unseen_category_share"},
///  "performance":{"task":"classification|regression","prediction_column","probability_column","positive_label"},
///  "alerts":[{"name","kind","threshold","feature","metric","severity","channels","actions"}],
///  "channels":[{"name","type":"webhook|slack|alertmanager","url","headers"}]}
/// </code>
/// Unknown fields are ignored, so a GET answer can be sent back as a PUT body.
/// </summary>
public static partial class MonitorSpecJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new DurationJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public static string Serialize(MonitorSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static MonitorSpec Deserialize(string json) => JsonSerializer.Deserialize<MonitorSpec>(json, Options)!;

    /// <summary>
    /// Reads and validates a request body. <paramref name="routeName"/> (PUT) wins over a missing body name and
    /// must agree with a present one. Every problem is listed in one INVALID_PARAMETER_VALUE.
    /// </summary>
    public static MonitorSpec Read(JsonElement body, string? routeName)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw SlipwayException.InvalidParameter("The monitor spec must be a JSON object.");
        MonitorSpec? spec;
        try
        {
            if (routeName is not null && !body.TryGetProperty("name", out _))
            {
                var withName = System.Text.Json.Nodes.JsonObject.Create(body)!;
                withName["name"] = routeName;
                spec = withName.Deserialize<MonitorSpec>(Options);
            }
            else
            {
                spec = body.Deserialize<MonitorSpec>(Options);
            }
        }
        catch (JsonException exception)
        {
            throw SlipwayException.InvalidParameter("Invalid monitor spec: " + Describe(exception));
        }
        if (spec is null)
            throw SlipwayException.InvalidParameter("The monitor spec must be a JSON object.");
        // An explicit null list means "none", as an absent one does.
        spec = spec with
        {
            Features = spec.Features ?? [],
            Predictions = spec.Predictions ?? [],
            Alerts = spec.Alerts ?? [],
            Channels = spec.Channels ?? [],
        };
        if (routeName is not null && spec.Name != routeName)
            throw SlipwayException.InvalidParameter($"The body names monitor '{spec.Name}' but the path names '{routeName}'.");
        MonitorValidator.ThrowIfInvalid(spec);
        return spec;
    }

    private static string Describe(JsonException exception) =>
        exception.Path is { Length: > 1 } path ? $"{FirstSentence(exception.Message)} (at {path})" : FirstSentence(exception.Message);

    private static string FirstSentence(string message)
    {
        var pathAt = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var sentence = pathAt > 0 ? message[..pathAt] : message;
        // Users write JSON, not .NET: "…type 'Slipway.Monitoring.Monitors.MonitorSpec'…" becomes "…type 'MonitorSpec'…".
        return DotNetTypeName().Replace(sentence, match => match.Groups[1].Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:System|Slipway)\.(?:[A-Za-z0-9_]+\.)*([A-Za-z0-9_]+)", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DotNetTypeName();
}
