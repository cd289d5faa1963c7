using Slipway.Deploy.Tests.Support;

namespace Slipway.Deploy.Tests.Docker;

/// <summary>
/// Why the image is built on <c>aspnet:10.0</c> plus <c>libgomp1</c> rather than a chiseled image: every library the
/// shipped native code links (ONNX Runtime, DuckDB, LightGBM, SQLite, ML.NET's trees) must come from glibc and
/// libstdc++ (in every .NET base image), from another shipped library, or from a package the Dockerfile installs.
/// </summary>
public sealed class NativeDependencyTests
{
    // glibc and the GCC runtime: present in aspnet, aspnet-noble-chiseled and the -extra variants alike.
    private static readonly HashSet<string> BaseImageLibraries = new(StringComparer.Ordinal)
    {
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
        "libstdc++.so.6", "libgcc_s.so.1",
    };

    // Ubuntu packages the Dockerfile may install, and the libraries they provide.
    private static readonly Dictionary<string, string> PackageLibraries = new(StringComparer.Ordinal)
    {
        ["libgomp1"] = "libgomp.so.1",
    };

    [Fact]
    public void NativeLibraries_LinkOnlyWhatTheRuntimeStageProvides()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        var libraries = Directory.GetFiles(folder, "*.so");
        foreach (var expected in new[] { "libonnxruntime.so", "libduckdb.so", "lib_lightgbm.so", "libe_sqlite3.so" })
            Assert.Contains(libraries, l => Path.GetFileName(l) == expected);

        var installed = Dockerfile.Load(RepositoryPaths.Dockerfile).Final.All("RUN")
            .SelectMany(r => r.Words())
            .Where(PackageLibraries.ContainsKey)
            .Select(p => PackageLibraries[p]);
        var available = new HashSet<string>(BaseImageLibraries.Concat(installed).Concat(libraries.Select(Path.GetFileName))!, StringComparer.Ordinal);

        var missing = libraries
            .SelectMany(l => ElfDependencies.Needed(l).Select(needed => (Library: Path.GetFileName(l), Needed: needed)))
            .Where(d => !available.Contains(d.Needed))
            .Select(d => $"{d.Library} needs {d.Needed}")
            .ToList();
        Assert.True(missing.Count == 0, "the runtime stage lacks: " + string.Join(", ", missing));
        // LightGBM's OpenMP runtime is the one library beyond glibc/libstdc++, and the reason the base is not chiseled.
        Assert.Contains("libgomp.so.1", ElfDependencies.Needed(Path.Combine(folder, "lib_lightgbm.so")));
    }
}
