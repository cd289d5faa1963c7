namespace Slipway.Serving.Batch;

/// <summary>How far a batch prediction has come: rows predicted and written, and how much of the input file was read.</summary>
public sealed record BatchProgress(long RowsDone, long BytesRead, long TotalBytes)
{
    /// <summary>The share of the input read, from 0 to 1 (1 for an empty file).</summary>
    public double Fraction => TotalBytes <= 0 ? 1 : Math.Clamp((double)BytesRead / TotalBytes, 0, 1);
}

/// <summary>What a finished batch prediction did.</summary>
public sealed record BatchPredictionSummary(long Rows, int Chunks, double Seconds, string OutputPath)
{
    /// <summary>Rows per second over the whole run, reading and writing included.</summary>
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;
}
