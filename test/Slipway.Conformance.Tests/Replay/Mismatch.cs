namespace Slipway.Conformance.Tests.Replay;

/// <summary>
/// One difference between a recorded and an observed response. <see cref="Path"/> is <c>status</c>,
/// <c>header:Name</c>, <c>body</c> (raw bytes), <c>transport</c>, or a JSON path such as <c>$.run.info.run_id</c>.
/// </summary>
public sealed record Mismatch(int Seq, string Path, string Expected, string Actual)
{
    public override string ToString() => $"seq {Seq} {Path}: expected {Expected}, got {Actual}";
}
