using System.Text;
using System.Text.Json.Nodes;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>What the server under test answered: status, the checked headers, and the raw body.</summary>
public sealed record ObservedResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The headers the masking rules look at.</summary>
    public static readonly IReadOnlyList<string> CheckedHeaders = ["Content-Type", "Content-Disposition", "X-Content-Type-Options"];

    public static async Task<ObservedResponse> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in CheckedHeaders)
        {
            if (response.Headers.NonValidated.TryGetValues(name, out var values)
                || response.Content.Headers.NonValidated.TryGetValues(name, out values))
            {
                headers[name] = string.Join(", ", values);
            }
        }

        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return new ObservedResponse((int)response.StatusCode, headers, body);
    }

    /// <summary>The recorded response itself, as a server identical to the reference would send it.</summary>
    public static ObservedResponse FromRecord(TraceRecord record)
    {
        byte[] body;
        if (record.ResponseBody is null)
            body = [];
        else if (record.ResponseBodyBase64)
            body = Convert.FromBase64String(record.ResponseBody.GetValue<string>());
        else
            body = Encoding.UTF8.GetBytes(record.ResponseBody.ToJsonString());
        return new ObservedResponse(record.Status, new Dictionary<string, string>(record.ResponseHeaders, StringComparer.OrdinalIgnoreCase), body);
    }

    public ObservedResponse WithJsonBody(JsonNode body) => this with { Body = Encoding.UTF8.GetBytes(body.ToJsonString()) };

    public ObservedResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };

    /// <summary>A short printable excerpt of the body for reports.</summary>
    public string BodyExcerpt(int maxChars = 300)
    {
        if (Body.Length == 0)
            return "<empty>";
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(Body);
        }
        catch (DecoderFallbackException)
        {
            return $"<{Body.Length} binary bytes>";
        }

        return text.Length <= maxChars ? text : text[..maxChars] + $"… ({Body.Length} bytes)";
    }
}
