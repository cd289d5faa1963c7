using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>A recorded request after the identifier maps were applied, ready to send.</summary>
public sealed record RewrittenRequest(
    string Method,
    string Path,
    string Query,
    string? ContentType,
    byte[]? Body,
    bool Chunked)
{
    public string PathAndQuery => Query.Length == 0 ? Path : Path + "?" + Query;
}

/// <summary>Applies the identifier maps to a recorded request (README §2).</summary>
public sealed class RequestRewriter(IdentifierMaps maps)
{
    public const string ArtifactsPath = "/api/2.0/mlflow-artifacts/artifacts";

    private static readonly JsonSerializerOptions BodyJsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public RewrittenRequest Rewrite(TraceRecord record)
    {
        var path = RewritePath(record.Path);
        var query = RewriteQuery(record.Query, isArtifactListing: string.Equals(record.Path, ArtifactsPath, StringComparison.Ordinal));
        record.RequestHeaders.TryGetValue("Content-Type", out var contentType);
        byte[]? body = null;
        if (record.RequestBody is not null)
        {
            if (record.RequestBodyBase64)
            {
                body = Convert.FromBase64String(record.RequestBody.GetValue<string>());
            }
            else
            {
                var rewritten = RewriteJson(record.RequestBody);
                body = Encoding.UTF8.GetBytes(rewritten.ToJsonString(BodyJsonOptions));
            }
        }

        return new RewrittenRequest(record.Method, path, query, contentType, body, record.IsChunkedRequest);
    }

    /// <summary>
    /// <c>/api/2.0/mlflow-artifacts/artifacts/&lt;rel&gt;</c>: the decoded <c>rel</c> is rewritten as
    /// <c>mlflow-artifacts:/&lt;rel&gt;</c> and percent-encoded again except for <c>/</c>. Other paths are kept.
    /// </summary>
    public string RewritePath(string path)
    {
        const string prefix = ArtifactsPath + "/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
            return path;
        var rel = Uri.UnescapeDataString(path[prefix.Length..]);
        var rewritten = RewriteArtifactRelativePath(rel);
        if (string.Equals(rewritten, rel, StringComparison.Ordinal))
            return path;
        return prefix + string.Join('/', rewritten.Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>String substitution applied to <c>mlflow-artifacts:/&lt;rel&gt;</c>, then the scheme stripped again.</summary>
    public string RewriteArtifactRelativePath(string rel)
    {
        var uri = maps.Substitute(IdentifierMaps.ArtifactScheme + "/" + rel);
        if (!IdentifierMaps.IsArtifactUri(uri))
            return rel;
        return uri[IdentifierMaps.ArtifactScheme.Length..].TrimStart('/');
    }

    public string RewriteQuery(string query, bool isArtifactListing)
    {
        if (query.Length == 0)
            return query;
        var parts = query.Split('&');
        var decoded = parts.Select(DecodeParameter).ToList();
        var name = decoded.Where(p => p.Name == "name").Select(p => (string?)p.Value).FirstOrDefault();
        var output = new List<string>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var (key, value) = decoded[i];
            if (key is null)
            {
                output.Add(parts[i]);
                continue;
            }

            var rewritten = key switch
            {
                "experiment_id" or "experiment_ids" => maps.MapExperiment(value) ?? value,
                "run_id" or "run_uuid" => maps.MapRun(value) ?? value,
                "page_token" => maps.MapPageToken(value) ?? value,
                "version" when name is not null => maps.MapVersion(name, value) ?? value,
                "path" when isArtifactListing => RewriteArtifactRelativePath(value),
                _ => maps.Substitute(value),
            };
            output.Add(string.Equals(rewritten, value, StringComparison.Ordinal)
                ? parts[i]
                : parts[i][..parts[i].IndexOf('=', StringComparison.Ordinal)] + "=" + FormEncode(rewritten));
        }

        return string.Join('&', output);
    }

    /// <summary>Rewrites a copy of a JSON request body: named id parameters through their maps, every other string by substitution.</summary>
    public JsonNode RewriteJson(JsonNode body)
    {
        var copy = body.DeepClone();
        return RewriteNode(copy) ?? copy;
    }

    /// <summary>Rewrites in place; returns a replacement node for a string value, otherwise <c>null</c>.</summary>
    private JsonValue? RewriteNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var name = obj["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    var replacement = key switch
                    {
                        "experiment_id" or "experiment_ids" => RewriteMapped(child, maps.MapExperiment),
                        "run_id" or "run_uuid" => RewriteMapped(child, maps.MapRun),
                        "page_token" => RewriteMapped(child, maps.MapPageToken),
                        "version" when name is not null => RewriteMapped(child, v => maps.MapVersion(name, v)),
                        _ => RewriteNode(child),
                    };
                    if (replacement is not null)
                        obj[key] = replacement;
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var replacement = RewriteNode(array[i]);
                    if (replacement is not null)
                        array[i] = replacement;
                }

                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var substituted = maps.Substitute(text);
                return string.Equals(text, substituted, StringComparison.Ordinal) ? null : JsonValue.Create(substituted)!;
            default:
                return null;
        }
    }

    /// <summary>A string (or each string of a list) mapped when the map knows it, otherwise kept.</summary>
    private static JsonValue? RewriteMapped(JsonNode? node, Func<string, string?> map)
    {
        switch (node)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var mapped = map(value.GetValue<string>());
                return mapped is null ? null : JsonValue.Create(mapped)!;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var replacement = RewriteMapped(array[i], map);
                    if (replacement is not null)
                        array[i] = replacement;
                }

                return null;
            default:
                return null;
        }
    }

    private static (string? Name, string Value) DecodeParameter(string part)
    {
        var eq = part.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (null, string.Empty) : (FormDecode(part[..eq]), FormDecode(part[(eq + 1)..]));
    }

    public static string FormDecode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    /// <summary><c>application/x-www-form-urlencoded</c> as the Python client writes it: space as <c>+</c>, unreserved characters kept.</summary>
    public static string FormEncode(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~')
                builder.Append(c);
            else if (c == ' ')
                builder.Append('+');
            else
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
