namespace Slipway.Artifacts;

/// <summary>
/// How to reach an S3 bucket (<c>Slipway:Artifacts:S3</c>). Credentials come from the AWS SDK's standard chain
/// (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE and the shared credentials file, web identity, ECS or EC2
/// instance roles) unless <see cref="AccessKeyId"/> and <see cref="SecretAccessKey"/> are both set here.
/// </summary>
public sealed class S3ArtifactOptions
{
    /// <summary>The minimum part size S3 accepts for every part of a multipart upload but the last.</summary>
    public const int MinPartSizeBytes = 5 * 1024 * 1024;

    /// <summary>Endpoint of an S3-compatible server (MinIO, Ceph, s3rver, R2…), e.g. <c>http://127.0.0.1:9000</c>; null for AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Address buckets as <c>host/bucket/key</c> rather than <c>bucket.host/key</c> (most S3-compatible servers need this).</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>AWS region (<c>eu-west-1</c>); null for the SDK's chain (AWS_REGION, profile, instance metadata), else us-east-1.</summary>
    public string? Region { get; set; }

    /// <summary>Named profile of the shared credentials file; null for the default chain.</summary>
    public string? Profile { get; set; }

    /// <summary>Explicit access key; leave empty to use the standard credential chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Explicit secret key (only with <see cref="AccessKeyId"/>); never logged.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Session token for temporary explicit credentials.</summary>
    public string? SessionToken { get; set; }

    /// <summary>
    /// Size of each part of a multipart upload, and the largest file sent in one PUT. Memory per upload is two buffers
    /// of this size (one being sent, one being read), whatever the file size.
    /// </summary>
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ServiceUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            problems.Add("Artifacts:S3:ServiceUrl must be an http:// or https:// URL."); // the value is not echoed: URLs can carry credentials
        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
            problems.Add("Artifacts:S3:AccessKeyId and Artifacts:S3:SecretAccessKey must be set together (or neither, for the standard credential chain).");
        if (PartSizeBytes < MinPartSizeBytes)
            problems.Add($"Artifacts:S3:PartSizeBytes must be at least {MinPartSizeBytes} (5 MiB, S3's minimum part size; got {PartSizeBytes}).");
        return problems;
    }
}
