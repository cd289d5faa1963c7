using Slipway.Core.Errors;

namespace Slipway.Artifacts;

/// <summary>Creates the artifact store a destination names: a local folder, an S3 bucket prefix or an Azure container prefix.</summary>
public static class ArtifactStoreFactory
{
    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE listing every problem with the destination or its settings.</exception>
    public static IArtifactStore Create(string artifactsDestination, ArtifactStoreOptions? options = null)
    {
        options ??= new ArtifactStoreOptions();
        var problems = options.Validate(artifactsDestination);
        if (problems.Count > 0)
            throw new SlipwayException(ErrorCode.InvalidParameterValue, "Invalid artifact store configuration:\n  " + string.Join("\n  ", problems));
        ArtifactDestination.TryParse(artifactsDestination, out var destination, out _);
        return destination.Kind switch
        {
            ArtifactDestinationKind.S3 => new S3ArtifactStore(destination.Container, destination.Prefix, options.S3),
            ArtifactDestinationKind.AzureBlob => new AzureBlobArtifactStore(destination.Container, destination.Prefix, options.Azure),
            _ => new LocalArtifactStore(destination.LocalPath!),
        };
    }
}
