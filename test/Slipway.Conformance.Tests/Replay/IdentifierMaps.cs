using System.Text.RegularExpressions;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>
/// Maps from values recorded in a trace to the values the server under test chose (README §1), and
/// the string substitution of §2 that applies them to free text.
/// </summary>
public sealed class IdentifierMaps
{
    public const string ArtifactScheme = "mlflow-artifacts:";

    private readonly OneToOneMap _experiments = new();
    private readonly OneToOneMap _runs = new();
    private readonly OneToOneMap _artifactUris = new();
    private readonly Dictionary<string, string> _pageTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, string Version), string> _versions = [];
    private readonly Dictionary<string, (string Observed, Regex Pattern)> _generatedRunNames = new(StringComparer.Ordinal);
    private List<KeyValuePair<string, string>>? _artifactUrisLongestFirst;

    public IReadOnlyDictionary<string, string> Experiments => _experiments.Forward;

    public IReadOnlyDictionary<string, string> Runs => _runs.Forward;

    public IReadOnlyDictionary<string, string> ArtifactUris => _artifactUris.Forward;

    public IReadOnlyDictionary<string, string> PageTokens => _pageTokens;

    public IReadOnlyDictionary<string, string> GeneratedRunNames =>
        _generatedRunNames.ToDictionary(p => p.Key, p => p.Value.Observed, StringComparer.Ordinal);

    public static bool IsArtifactUri(string value) => value.StartsWith(ArtifactScheme, StringComparison.Ordinal);

    // ---- learning (from responses) ----

    /// <summary>First sighting learns; a recorded id already mapped, or an observed id that is already the image of another recorded id, is left alone.</summary>
    public bool TryLearnExperiment(string recorded, string observed) => _experiments.TryLearn(recorded, observed);

    public bool TryLearnRun(string recorded, string observed) => _runs.TryLearn(recorded, observed);

    public bool TryLearnArtifactUri(string recorded, string observed)
    {
        if (!IsArtifactUri(recorded) || !IsArtifactUri(observed))
            return false;
        var learned = _artifactUris.TryLearn(recorded, observed);
        if (learned)
            _artifactUrisLongestFirst = null;
        return learned;
    }

    /// <summary>Page tokens are relearned every time: the latest value wins.</summary>
    public void LearnPageToken(string recorded, string observed) => _pageTokens[recorded] = observed;

    public void TryLearnVersion(string name, string recordedVersion, string observedVersion) =>
        _versions.TryAdd((name, recordedVersion), observedVersion);

    public void LearnGeneratedRunName(string recorded, string observed)
    {
        if (recorded.Length == 0 || _generatedRunNames.ContainsKey(recorded))
            return;
        var pattern = new Regex(
            @"(?<![\p{L}\p{Nd}_-])" + Regex.Escape(recorded) + @"(?![\p{L}\p{Nd}_-])",
            RegexOptions.CultureInvariant);
        _generatedRunNames[recorded] = (observed, pattern);
    }

    // ---- lookups (for requests and comparisons) ----

    public string? MapExperiment(string recorded) => _experiments.Forward.GetValueOrDefault(recorded);

    public string? MapRun(string recorded) => _runs.Forward.GetValueOrDefault(recorded);

    public string? MapArtifactUri(string recorded) => _artifactUris.Forward.GetValueOrDefault(recorded);

    public string? MapPageToken(string recorded) => _pageTokens.GetValueOrDefault(recorded);

    public string? MapVersion(string name, string recordedVersion) => _versions.GetValueOrDefault((name, recordedVersion));

    /// <summary>
    /// String substitution of README §2: (a) a leading recorded artifact URI (whole string, or followed
    /// by <c>/</c>; longest match first) becomes its image, (b) every recorded run id becomes the mapped
    /// id, (c) every recorded generated run name standing as a whole word becomes the server's name.
    /// </summary>
    public string Substitute(string value)
    {
        var result = value;
        if (IsArtifactUri(result))
        {
            foreach (var (recorded, observed) in ArtifactUrisLongestFirst())
            {
                if (result.Length == recorded.Length
                        ? string.Equals(result, recorded, StringComparison.Ordinal)
                        : result.Length > recorded.Length && result[recorded.Length] == '/' && result.StartsWith(recorded, StringComparison.Ordinal))
                {
                    result = observed + result[recorded.Length..];
                    break;
                }
            }
        }

        foreach (var (recorded, observed) in _runs.Forward)
        {
            if (result.Contains(recorded, StringComparison.Ordinal))
                result = result.Replace(recorded, observed, StringComparison.Ordinal);
        }

        foreach (var (recorded, (observed, pattern)) in _generatedRunNames)
        {
            if (result.Contains(recorded, StringComparison.Ordinal))
                result = pattern.Replace(result, observed.Replace("$", "$$", StringComparison.Ordinal));
        }

        return result;
    }

    private List<KeyValuePair<string, string>> ArtifactUrisLongestFirst() =>
        _artifactUrisLongestFirst ??= [.. _artifactUris.Forward.OrderByDescending(p => p.Key.Length).ThenBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>A map that stays one-to-one: two recorded values never share an observed value.</summary>
    private sealed class OneToOneMap
    {
        private readonly Dictionary<string, string> _forward = new(StringComparer.Ordinal);
        private readonly HashSet<string> _images = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, string> Forward => _forward;

        public bool TryLearn(string recorded, string observed)
        {
            if (recorded.Length == 0 || observed.Length == 0 || _forward.ContainsKey(recorded) || _images.Contains(observed))
                return false;
            _forward[recorded] = observed;
            _images.Add(observed);
            return true;
        }
    }
}
