using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;

namespace Slipway.Tracking.Api;

/// <summary>
/// The parameters of one MLflow request, from the query string (GET: repeated keys for lists, numbers as
/// strings) or from the JSON body (every other method, DELETE included). Wrong types are 400s with MLflow's
/// "Invalid value … for parameter …" wording; unknown fields are ignored as in protobuf's ParseDict.
/// </summary>
public sealed class RequestArgs : IDisposable
{
    private readonly JsonDocument? _document;
    private readonly IQueryCollection? _query;

    private RequestArgs(JsonDocument? document, IQueryCollection? query)
    {
        _document = document;
        _query = query;
    }

    public JsonElement? Body => _document?.RootElement;

    public static RequestArgs FromQuery(IQueryCollection query) => new(null, query);

    public static RequestArgs FromJson(JsonDocument document)
    {
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new SlipwayException(ErrorCode.BadRequest, "The request body must be a JSON object.");
        }
        return new RequestArgs(document, null);
    }

    public string? String(string name)
    {
        if (_query is not null)
            return _query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;
        if (!_document!.RootElement.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return null;
        return element.ValueKind == JsonValueKind.String ? element.GetString() : throw InvalidValue(name, element);
    }

    public string RequiredString(string name)
    {
        var value = String(name);
        return string.IsNullOrEmpty(value) ? throw SlipwayException.MissingParameter(name) : value;
    }

    /// <summary>A string that must be present but may be empty (param and tag values).</summary>
    public string PresentString(string name) => String(name) ?? throw SlipwayException.MissingParameter(name);

    /// <summary>The run id from <c>run_id</c>, or the deprecated <c>run_uuid</c> that 2.x clients also send.</summary>
    public string RunId()
    {
        var runId = String("run_id");
        if (string.IsNullOrEmpty(runId))
            runId = String("run_uuid");
        return string.IsNullOrEmpty(runId) ? throw SlipwayException.MissingParameter("run_id") : runId;
    }

    public long? Long(string name)
    {
        if (_query is not null)
        {
            var text = String(name);
            if (string.IsNullOrEmpty(text))
                return null;
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw SlipwayException.InvalidParameter($"Invalid value {text} for parameter '{name}' supplied.");
        }
        if (!_document!.RootElement.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return null;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
            return number;
        // protobuf's JSON mapping also accepts int64 values written as strings.
        if (element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var fromString))
            return fromString;
        throw InvalidValue(name, element);
    }

    public int? Int(string name)
    {
        var value = Long(name);
        if (value is null)
            return null;
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value.Value
            : throw SlipwayException.InvalidParameter($"Invalid value {value} for parameter '{name}' supplied.");
    }

    public bool? Bool(string name)
    {
        if (_query is not null)
        {
            var text = String(name);
            if (string.IsNullOrEmpty(text))
                return null;
            return bool.TryParse(text, out var parsed) ? parsed : throw SlipwayException.InvalidParameter($"Invalid value {text} for parameter '{name}' supplied.");
        }
        if (!_document!.RootElement.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return null;
        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw InvalidValue(name, element),
        };
    }

    /// <summary>A double; NaN and ±Infinity arrive as the strings "NaN", "Infinity", "-Infinity".</summary>
    public double? Double(string name)
    {
        if (_query is not null)
        {
            var text = String(name);
            return string.IsNullOrEmpty(text) ? null : ParseDouble(name, text);
        }
        if (!_document!.RootElement.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return null;
        return ReadDouble(name, element);
    }

    public IReadOnlyList<string> StringList(string name)
    {
        if (_query is not null)
            return _query.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!).ToList() : [];
        if (!_document!.RootElement.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return [];
        if (element.ValueKind != JsonValueKind.Array)
            throw InvalidValue(name, element);
        var result = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
            result.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw InvalidValue(name, item));
        return result;
    }

    /// <summary>A list of JSON objects from the body (GET requests have none).</summary>
    public JsonElement.ArrayEnumerator? ObjectList(string name)
    {
        if (_query is not null || !_document!.RootElement.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return null;
        return element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw InvalidValue(name, element);
    }

    public static double ReadDouble(string name, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => ParseDouble(name, element.GetString()!),
        _ => throw InvalidValue(name, element),
    };

    public static SlipwayException InvalidValue(string name, JsonElement element) =>
        SlipwayException.InvalidParameter($"Invalid value {Shorten(element.GetRawText())} for parameter '{name}' supplied.");

    public void Dispose() => _document?.Dispose();

    private static double ParseDouble(string name, string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" or "inf" => double.PositiveInfinity,
        "-Infinity" or "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw SlipwayException.InvalidParameter($"Invalid value {text} for parameter '{name}' supplied."),
    };

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "..." : text;
}
