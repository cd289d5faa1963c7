using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// Batch prediction jobs under <c>/api/slipway/v1/batch-predictions</c>: model references, artifact URIs (scheme,
/// traversal, file types), chunk sizes, list limits and unknown jobs.
/// </summary>
public static partial class BadInputCases
{
    private const string BatchPredictionsPath = Governance + "batch-predictions";

    private static IEnumerable<BadInputCase> BatchJobRoutes()
    {
        foreach (var row in NotJsonObjects("POST", BatchPredictionsPath, "batch prediction"))
            yield return row;
        var requests = new (string Name, string Json)[]
        {
            ("without a model", """{"input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/out.parquet"}"""),
            ("without an input", """{"model": "models:/m/1", "output": "mlflow-artifacts:/d/out.parquet"}"""),
            ("without an output", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/in.csv"}"""),
            ("with a numeric model", """{"model": 7, "input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/out.parquet"}"""),
            ("reading a server file as model", """{"model": "/etc/passwd", "input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/out.parquet"}"""),
            ("with version 0", """{"model": "models:/m/0", "input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/out.parquet"}"""),
            ("with a file input", """{"model": "models:/m/1", "input": "file:///etc/passwd.csv", "output": "mlflow-artifacts:/d/out.parquet"}"""),
            ("with an s3 output", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/in.csv", "output": "s3://bucket/out.parquet"}"""),
            ("with a traversal input", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/../../etc/in.csv", "output": "mlflow-artifacts:/d/out.parquet"}"""),
            ("with an encoded traversal output", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/%2e%2e/out.parquet"}"""),
            ("with a JSON input", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/in.json", "output": "mlflow-artifacts:/d/out.parquet"}"""),
            ("with a CSV output", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/out.csv"}"""),
            ("with chunk_rows 0", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/out.parquet", "chunk_rows": 0}"""),
            ("with chunk_rows 1000001", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/out.parquet", "chunk_rows": 1000001}"""),
            ("with a string chunk_rows", """{"model": "models:/m/1", "input": "mlflow-artifacts:/d/in.csv", "output": "mlflow-artifacts:/d/out.parquet", "chunk_rows": "many"}"""),
        };
        foreach (var (name, json) in requests)
            yield return Send("POST batch prediction " + name, "POST", BatchPredictionsPath, json, 400, InvalidParameterValue);

        yield return Send("GET batch predictions with max_results 0", "GET", BatchPredictionsPath + "?max_results=0", null, 400, InvalidParameterValue);
        yield return Send("GET batch predictions with max_results not a number", "GET", BatchPredictionsPath + "?max_results=ten", null, 400, InvalidParameterValue);
        yield return Send("GET an unknown batch prediction", "GET", BatchPredictionsPath + "/no-such-job", null, 404, ResourceDoesNotExist);
    }
}
