namespace Slipway.Tracking;

public sealed class TrackingOptions
{
    /// <summary>Root of the artifact store that the <c>mlflow-artifacts</c> proxy serves.</summary>
    public string ArtifactsDestination { get; set; } = "./slipway-data/artifacts";

    /// <summary>Largest JSON request body accepted by the MLflow API, in bytes.</summary>
    public long MaxJsonBodyBytes { get; set; } = 16 * 1024 * 1024;
}
