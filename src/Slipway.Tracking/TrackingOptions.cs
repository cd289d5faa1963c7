namespace Slipway.Tracking;

public sealed class TrackingOptions
{
    /// <summary>The artifact store the <c>mlflow-artifacts</c> proxy serves: a folder, file:///path, s3://bucket/prefix or azblob://container/prefix.</summary>
    public string ArtifactsDestination { get; set; } = "./slipway-data/artifacts";

    /// <summary>Largest JSON request body accepted by the MLflow API, in bytes.</summary>
    public long MaxJsonBodyBytes { get; set; } = 16 * 1024 * 1024;
}
