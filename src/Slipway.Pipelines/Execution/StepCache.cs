using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Pipelines.Execution;

/// <summary>A successful step's outputs, kept so an identical later step can reuse them.</summary>
public sealed record CachedStep(IReadOnlyDictionary<string, string> Outputs, string RunId, DateTimeOffset StoredAt);

/// <summary>Step results by cache key; in memory here, stored by the server later.</summary>
public interface IStepCache
{
    ValueTask<CachedStep?> TryGetAsync(string key, CancellationToken cancellationToken);

    ValueTask StoreAsync(string key, CachedStep entry, CancellationToken cancellationToken);
}

public sealed class InMemoryStepCache : IStepCache
{
    private readonly ConcurrentDictionary<string, CachedStep> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public ValueTask<CachedStep?> TryGetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_entries.TryGetValue(key, out var entry) ? entry : null);

    public ValueTask StoreAsync(string key, CachedStep entry, CancellationToken cancellationToken)
    {
        _entries[key] = entry;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The key is a hash of what determines a step's result: pipeline, step id, kind and the resolved
/// inputs. Retries and timeout are left out because they do not change what a success produces.
/// </summary>
public static class StepCacheKey
{
    public static string Compute(StepInvocation invocation)
    {
        var text = new StringBuilder();
        Append(text, "pipeline", invocation.PipelineName);
        Append(text, "step", invocation.StepId);
        Append(text, "uses", invocation.Uses);
        foreach (var (key, value) in invocation.With.OrderBy(p => p.Key, StringComparer.Ordinal))
            Append(text, "with." + key, value);
        for (var i = 0; i < invocation.Run.Count; i++)
            Append(text, $"run[{i}]", invocation.Run[i]);
        foreach (var (key, value) in invocation.Env.OrderBy(p => p.Key, StringComparer.Ordinal))
            Append(text, "env." + key, value);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    // Length-prefixed so that no pair of different inputs can serialise to the same text.
    private static void Append(StringBuilder text, string name, string value) =>
        text.Append(name.Length).Append(':').Append(name).Append('=').Append(value.Length).Append(':').Append(value).Append('\n');
}
