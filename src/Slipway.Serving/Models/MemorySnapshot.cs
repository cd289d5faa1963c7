using System.Diagnostics;

namespace Slipway.Serving.Models;

/// <summary>
/// Process memory before and after a load, to attribute memory to a model: the managed heap (GC.GetTotalMemory)
/// plus the process's private bytes, where ONNX Runtime's native allocations (weights, arenas) show up. Loads running
/// at the same time blur the figure, so it is an estimate, never less than the model file.
/// </summary>
internal readonly record struct MemorySnapshot(long ManagedBytes, long PrivateBytes)
{
    public static MemorySnapshot Take()
    {
        using var process = Process.GetCurrentProcess();
        return new MemorySnapshot(GC.GetTotalMemory(forceFullCollection: false), process.PrivateMemorySize64);
    }

    public long BytesSince(MemorySnapshot before, long floor) =>
        Math.Max(floor, Math.Max(0, ManagedBytes - before.ManagedBytes) + Math.Max(0, PrivateBytes - before.PrivateBytes));
}
