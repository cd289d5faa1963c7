namespace Slipway.Client.Artifacts;

/// <summary>The Content-Type an artifact upload carries, guessed from the file name as MLflow's client does.</summary>
internal static class ContentTypes
{
    public const string OctetStream = "application/octet-stream";

    public static string Guess(string fileName)
    {
        if (string.Equals(fileName, "MLmodel", StringComparison.Ordinal))
            return "text/plain";
        return Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".txt" or ".log" or ".json" or ".yaml" or ".yml" or ".csv" or ".tsv" or ".md" or ".py" => "text/plain",
            ".html" or ".htm" => "text/html",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".svg" => "image/svg+xml",
            ".pdf" => "application/pdf",
            ".zip" => "application/zip",
            ".gz" => "application/gzip",
            _ => OctetStream,
        };
    }
}
