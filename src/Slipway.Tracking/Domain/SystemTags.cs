namespace Slipway.Tracking.Domain;

/// <summary>Tag keys with a meaning to MLflow clients, shared by the service and the stores.</summary>
public static class SystemTags
{
    /// <summary>Always equal to the run's name: setting it renames the run.</summary>
    public const string RunName = "mlflow.runName";

    /// <summary>JSON list of the models logged to a run (<c>runs/log-model</c>).</summary>
    public const string LogModelHistory = "mlflow.log-model.history";

    /// <summary>Input tag holding a dataset's role (training, evaluation…); <c>datasets.context</c> filters on it.</summary>
    public const string DatasetContext = "mlflow.data.context";
}
