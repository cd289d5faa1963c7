using System.Text.Json;

namespace Slipway.Web.Pages.Models;

/// <summary>Audit documents are stored compact; people read them indented.</summary>
public static class AuditJson
{
    // Shown as text (Blazor escapes it), so characters need no JSON escaping to be safe, and read better unescaped.
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The document indented, "(none)" when absent, or as stored when it is not valid JSON.</summary>
    public static string Pretty(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return "(none)";
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Indented))
                document.WriteTo(writer);
            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
