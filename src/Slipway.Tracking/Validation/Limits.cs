namespace Slipway.Tracking.Validation;

/// <summary>MLflow's validation limits (mlflow/utils/validation.py), which clients rely on.</summary>
public static class Limits
{
    public const int MaxEntityKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxRunTagValueLength = 8000;
    public const int MaxExperimentNameLength = 500;
    public const int MaxExperimentTagValueLength = 5000;
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxDatasetNameLength = 500;
    public const int MaxDatasetDigestLength = 36;
    public const int MaxDatasetSchemaLength = (1 << 20) - 1;
    public const int MaxDatasetSourceLength = (1 << 16) - 1;
    public const int MaxDatasetProfileLength = (1 << 24) - 1;
    public const int MaxInputTagKeyLength = 255;
    public const int MaxInputTagValueLength = 500;
    public const int MaxSearchResults = 50000;
    public const int DefaultSearchRunsResults = 1000;
    public const int DefaultSearchExperimentsResults = 1000;
}
