using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Serving.DataPlane;

namespace Slipway.Serving.Batch.Jobs;

/// <summary>A validated batch prediction request: the model reference and the artifact store paths to read and write.</summary>
public sealed record BatchJobRequest(string Model, string Input, string Output, int ChunkRows)
{
    public const string ArtifactScheme = ArtifactUri.Prefix;
    public const int MaxChunkRows = 1_000_000;

    /// <summary>The input's path in the artifact store (without <see cref="ArtifactScheme"/>).</summary>
    public string InputPath => StorePath(Input);

    /// <summary>The output's path in the artifact store (without <see cref="ArtifactScheme"/>).</summary>
    public string OutputPath => StorePath(Output);

    /// <summary>Checks every field and throws INVALID_PARAMETER_VALUE naming the first that is wrong; reads nothing.</summary>
    public static BatchJobRequest Create(IModelSource models, string model, string input, string output, int? chunkRows)
    {
        models.Validate(model);
        var inputPath = StorePath(input, "input");
        var outputPath = StorePath(output, "output");
        var inputExtension = Path.GetExtension(inputPath);
        if (!inputExtension.Equals(".csv", StringComparison.OrdinalIgnoreCase) && !inputExtension.Equals(".parquet", StringComparison.OrdinalIgnoreCase))
            throw SlipwayException.InvalidParameter($"Invalid value '{input}' for parameter 'input': batch prediction reads .csv or .parquet files.");
        if (!Path.GetExtension(outputPath).Equals(".parquet", StringComparison.OrdinalIgnoreCase))
            throw SlipwayException.InvalidParameter($"Invalid value '{output}' for parameter 'output': batch prediction writes a .parquet file.");
        if (inputPath == outputPath)
            throw SlipwayException.InvalidParameter("The output would overwrite the input.");
        var rows = chunkRows ?? BatchPredictor.DefaultChunkRows;
        if (rows is < 1 or > MaxChunkRows)
            throw SlipwayException.InvalidParameter($"Invalid value {rows} for parameter 'chunk_rows': must be between 1 and {MaxChunkRows}.");
        return new BatchJobRequest(model, ArtifactScheme + inputPath, ArtifactScheme + outputPath, rows);
    }

    private static string StorePath(string uri, string parameter = "uri")
    {
        if (!ArtifactUri.TryGetStorePath(uri, out var path))
            throw SlipwayException.InvalidParameter($"Invalid value '{uri}' for parameter '{parameter}': must be a {ArtifactScheme}<path> URI of this server's artifact store.");
        if (path.Length == 0)
            throw SlipwayException.InvalidParameter($"Invalid value '{uri}' for parameter '{parameter}': names no file.");
        return path;
    }
}
