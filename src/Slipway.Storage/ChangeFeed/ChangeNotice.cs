namespace Slipway.Storage.ChangeFeed;

/// <summary>What changed, as far as caches and serving on other replicas care.</summary>
public enum ChangeKind
{
    /// <summary>An alias of the model <see cref="ChangeNotice.Name"/> was set, moved or removed (directly or with its version or model).</summary>
    Alias,

    /// <summary>The endpoint <see cref="ChangeNotice.Name"/> was created, updated or deleted.</summary>
    Endpoint,

    /// <summary>
    /// Anything may have changed: sent locally after the feed lost its connection and listened again, since
    /// notifications sent in the meantime are gone. Subscribers drop every cache and re-read everything.
    /// </summary>
    Resync,
}

/// <summary>One change, as carried between replicas: <c>kind:name</c> (a PostgreSQL NOTIFY payload holds up to 8000 bytes).</summary>
public sealed record ChangeNotice(ChangeKind Kind, string Name)
{
    public static readonly ChangeNotice Resync = new(ChangeKind.Resync, "");

    public static ChangeNotice Alias(string model) => new(ChangeKind.Alias, model);

    public static ChangeNotice Endpoint(string name) => new(ChangeKind.Endpoint, name);

    public string Format() => Kind switch
    {
        ChangeKind.Alias => "alias:" + Name,
        ChangeKind.Endpoint => "endpoint:" + Name,
        _ => "resync:",
    };

    /// <summary>Reads a payload written by <see cref="Format"/>; an unknown one (a newer replica's) means <see cref="Resync"/>.</summary>
    public static ChangeNotice Parse(string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var name = payload[(colon + 1)..];
            switch (payload[..colon])
            {
                case "alias":
                    return Alias(name);
                case "endpoint":
                    return Endpoint(name);
            }
        }
        return Resync;
    }
}
