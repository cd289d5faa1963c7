namespace Slipway.Artifacts;

/// <summary>
/// How to reach an Azure Blob Storage account (<c>Slipway:Artifacts:Azure</c>): a connection string (here or in
/// AZURE_STORAGE_CONNECTION_STRING), or <see cref="AccountUrl"/> with a SAS token or a shared key.
/// </summary>
public sealed class AzureBlobArtifactOptions
{
    /// <summary>The environment variable read when <see cref="ConnectionString"/> and <see cref="AccountUrl"/> are both unset.</summary>
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    /// <summary>A storage connection string (<c>DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…</c>); never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service URL, e.g. <c>https://account.blob.core.windows.net</c>.</summary>
    public string? AccountUrl { get; set; }

    /// <summary>A SAS token for <see cref="AccountUrl"/> (with or without the leading <c>?</c>).</summary>
    public string? SasToken { get; set; }

    /// <summary>Account name for shared-key access with <see cref="AccountUrl"/>.</summary>
    public string? AccountName { get; set; }

    /// <summary>Account key for shared-key access with <see cref="AccountUrl"/>; never logged.</summary>
    public string? AccountKey { get; set; }

    /// <summary>Size of each block of an upload; also the largest file sent in one request.</summary>
    public int BlockSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Blocks of one upload sent at once; memory per upload is about this times <see cref="BlockSizeBytes"/>.</summary>
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>The connection string to use: the configured one, else the environment's when no account URL is set.</summary>
    public string? EffectiveConnectionString =>
        !string.IsNullOrEmpty(ConnectionString) ? ConnectionString
        : string.IsNullOrEmpty(AccountUrl) ? Environment.GetEnvironmentVariable(ConnectionStringVariable)
        : null;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(ConnectionString) && !string.IsNullOrEmpty(AccountUrl))
            problems.Add("Artifacts:Azure: set ConnectionString or AccountUrl, not both.");
        if (string.IsNullOrEmpty(EffectiveConnectionString) && string.IsNullOrEmpty(AccountUrl))
            problems.Add($"azblob:// destinations need Artifacts:Azure:ConnectionString, {ConnectionStringVariable}, or Artifacts:Azure:AccountUrl.");
        if (!string.IsNullOrEmpty(AccountUrl) && (!Uri.TryCreate(AccountUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            problems.Add("Artifacts:Azure:AccountUrl must be an http:// or https:// URL."); // not echoed: it may carry a SAS (sig=…)
        if (string.IsNullOrEmpty(AccountName) != string.IsNullOrEmpty(AccountKey))
            problems.Add("Artifacts:Azure:AccountName and Artifacts:Azure:AccountKey must be set together.");
        if (!string.IsNullOrEmpty(SasToken) && !string.IsNullOrEmpty(AccountKey))
            problems.Add("Artifacts:Azure: set SasToken or AccountName/AccountKey, not both.");
        if (BlockSizeBytes < 64 * 1024)
            problems.Add($"Artifacts:Azure:BlockSizeBytes must be at least 64 KiB (got {BlockSizeBytes}).");
        if (MaxConcurrency is < 1 or > 64)
            problems.Add($"Artifacts:Azure:MaxConcurrency must be between 1 and 64 (got {MaxConcurrency}).");
        return problems;
    }
}
