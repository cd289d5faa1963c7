namespace Slipway.Tracking.Api;

/// <summary>Content types for artifact downloads, as the reference server guesses them from the name.</summary>
internal static class ContentTypes
{
    public static string Guess(string fileName)
    {
        if (fileName == "MLmodel")
            return "text/plain";
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension switch
        {
            ".txt" or ".log" or ".json" or ".yaml" or ".yml" or ".csv" or ".tsv" or ".md" or ".py" or ".ini" or ".cfg" or ".toml" => "text/plain",
            ".html" or ".htm" => "text/html",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".svg" => "image/svg+xml",
            ".pdf" => "application/pdf",
            _ => "application/octet-stream",
        };
    }
}
