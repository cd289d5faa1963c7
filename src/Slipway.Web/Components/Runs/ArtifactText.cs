
namespace Slipway.Web.Components.Runs;

/// <summary>How an artifact file is previewed, chosen by its name.</summary>
public enum ArtifactKind
{
    Binary,
    Text,
    Json,
    Table,
    Image,
    Model,
}

/// <summary>Classification and formatting of artifact files for the preview pane.</summary>
public static class ArtifactText
{
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".log", ".py", ".yaml", ".yml", ".md", ".cfg", ".ini", ".toml", ".sh", ".r", ".sql", ".xml", ".html", ".htm",
        ".cs", ".js", ".ts", ".java", ".scala", ".ipynb", ".properties", ".env", ".conf", ".out", ".err",
    };

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp",
    };

    public static ArtifactKind Classify(string fileName)
    {
        if (fileName is "MLmodel")
            return ArtifactKind.Model;
        var extension = Path.GetExtension(fileName);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
            return ArtifactKind.Json;
        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) || extension.Equals(".tsv", StringComparison.OrdinalIgnoreCase))
            return ArtifactKind.Table;
        if (ImageExtensions.Contains(extension))
            return ArtifactKind.Image;
        // Files without an extension (LICENSE, requirements, conda lock files) are usually text.
        return TextExtensions.Contains(extension) || extension.Length == 0 ? ArtifactKind.Text : ArtifactKind.Binary;
    }

    /// <summary>
    /// The first <paramref name="maxRows"/> rows of CSV or TSV text. Quoted fields may hold separators, doubled quotes
    /// and line breaks, as RFC 4180 allows; a row cut short by the preview cap is dropped rather than shown half.
    /// </summary>
    public static List<string[]> ParseDelimited(string text, char separator, int maxRows, bool complete)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length && rows.Count < maxRows; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"' && field.Length == 0)
                quoted = true;
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
            }
            else
                field.Append(c);
        }
        if (complete && rows.Count < maxRows && (field.Length > 0 || fields.Count > 0))
        {
            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }
        return rows;
    }
}
