namespace Slipway.Conformance.Tests.Replay;

/// <summary>Loads the trace files copied next to the test assembly (<c>TestData/mlflow/*.jsonl</c>).</summary>
public static class TraceFile
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "mlflow");

    public static IReadOnlyList<TraceRecord> Load(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        var records = File.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(TraceRecord.Parse)
            .OrderBy(r => r.Seq)
            .ToList();
        if (records.Count == 0)
            throw new InvalidDataException($"Trace {fileName} is empty.");
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Seq != i + 1)
                throw new InvalidDataException($"Trace {fileName}: expected seq {i + 1}, found {records[i].Seq}.");
        }

        return records;
    }
}
