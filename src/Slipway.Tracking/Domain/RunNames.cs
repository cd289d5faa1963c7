namespace Slipway.Tracking.Domain;

/// <summary>Readable names for runs created without one: <c>adjective-animal-NNN</c>, the shape MLflow uses.</summary>
public static class RunNames
{
    private static readonly string[] Adjectives =
    [
        "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager", "fleet",
        "gentle", "glad", "golden", "hardy", "honest", "keen", "lively", "loyal", "lucky", "merry",
        "nimble", "noble", "patient", "polite", "proud", "quick", "quiet", "rapid", "sharp", "shy",
        "silent", "sleek", "smart", "steady", "sunny", "swift", "tidy", "vivid", "warm", "wise",
    ];

    private static readonly string[] Animals =
    [
        "badger", "bat", "bear", "beaver", "bison", "crane", "crow", "deer", "dolphin", "eagle",
        "falcon", "ferret", "finch", "fox", "gecko", "goat", "hare", "hawk", "heron", "ibis",
        "jay", "koala", "lark", "lemur", "lynx", "mole", "moose", "newt", "otter", "owl",
        "panda", "puffin", "quail", "raven", "robin", "seal", "snail", "swan", "toad", "wolf",
    ];

    public static string Generate() =>
        $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}-{Animals[Random.Shared.Next(Animals.Length)]}-{Random.Shared.Next(1000)}";
}
