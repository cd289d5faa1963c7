using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace Slipway.Artifacts;

/// <summary>Builds the S3 client of an <see cref="S3ArtifactStore"/> from <see cref="S3ArtifactOptions"/>.</summary>
internal static class S3ClientFactory
{
    private const string FallbackRegion = "us-east-1";

    public static AmazonS3Client Create(S3ArtifactOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // SDK v4 adds CRC checksums and aws-chunked trailers to every upload by default; many S3-compatible servers
            // reject those, and AWS itself only requires them for a few operations.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var region = string.IsNullOrEmpty(options.Region) ? null : options.Region;
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = region ?? FallbackRegion;
        }
        else
        {
            config.RegionEndpoint = region is not null
                ? RegionEndpoint.GetBySystemName(region)
                : FallbackRegionFactory.GetRegionEndpoint() ?? RegionEndpoint.GetBySystemName(FallbackRegion);
        }
        var credentials = ExplicitCredentials(options);
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>Configured keys or profile; null for the SDK's standard chain (environment, profile, web identity, instance role).</summary>
    private static AWSCredentials? ExplicitCredentials(S3ArtifactOptions options)
    {
        if (!string.IsNullOrEmpty(options.AccessKeyId) && !string.IsNullOrEmpty(options.SecretAccessKey))
        {
            return string.IsNullOrEmpty(options.SessionToken)
                ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
                : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
        }
        if (!string.IsNullOrEmpty(options.Profile))
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(options.Profile, out var profile)
                ? profile
                : throw new InvalidOperationException($"The AWS profile '{options.Profile}' (Artifacts:S3:Profile) was not found in the shared credentials or config file.");
        }
        return null;
    }
}
