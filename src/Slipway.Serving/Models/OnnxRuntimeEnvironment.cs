using Microsoft.ML.OnnxRuntime;

namespace Slipway.Serving.Models;

/// <summary>
/// The process-wide ONNX Runtime environment. ORT allows one per process and creates it lazily with per-session
/// thread pools on first use, so it is created here, once, with a small global thread pool (no spinning) before any
/// session exists; each session then runs sequentially on that pool instead of starting a pool per core of its own.
/// </summary>
internal static class OnnxRuntimeEnvironment
{
    private static readonly Lock Gate = new();
    private static volatile Settings? _settings;

    /// <summary>
    /// True when sessions share the global pool; false when something else in the process created the ORT
    /// environment first (without global pools), in which case each session gets its own small pool instead.
    /// </summary>
    public static bool UsesGlobalThreadPool => _settings?.GlobalThreadPool ?? false;

    public static int IntraOpThreads => _settings?.IntraOpThreads ?? 0;

    /// <summary>Creates the environment on first call; later calls (and their options) have no effect.</summary>
    public static void EnsureCreated(OnnxRuntimeOptions options)
    {
        if (_settings is not null)
            return;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntraOpThreads, 1, nameof(options.IntraOpThreads));
        lock (Gate)
        {
            if (_settings is not null)
                return;
            if (OrtEnv.IsCreated)
            {
                _settings = new Settings(GlobalThreadPool: false, options.IntraOpThreads);
                return;
            }

            // The environment copies the threading options when it builds its pools, so they can be released at once.
            using var threading = new OrtThreadingOptions
            {
                GlobalIntraOpNumThreads = options.IntraOpThreads,
                GlobalInterOpNumThreads = 1,
                GlobalSpinControl = false,
            };
            // Load and run failures reach callers as exceptions with ORT's message; ORT's own console log would only
            // repeat them on stderr, outside the host's logging, once per bad request.
            var creation = new EnvironmentCreationOptions
            {
                logId = "slipway",
                logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
                threadOptions = threading,
            };
            OrtEnv.CreateInstanceWithOptions(ref creation);
            _settings = new Settings(GlobalThreadPool: true, options.IntraOpThreads);
        }
    }

    /// <summary>Session options for serving: sequential execution on the shared pool, no busy-waiting.</summary>
    public static SessionOptions CreateSessionOptions()
    {
        var settings = _settings ?? throw new InvalidOperationException("The ONNX Runtime environment has not been created.");
        var options = new SessionOptions
        {
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            if (settings.GlobalThreadPool)
            {
                options.DisablePerSessionThreads();
            }
            else
            {
                options.IntraOpNumThreads = settings.IntraOpThreads;
                options.InterOpNumThreads = 1;
            }

            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private sealed record Settings(bool GlobalThreadPool, int IntraOpThreads);
}
