using System.Buffers;
using System.Text;

namespace Slipway.Monitoring.Data;

/// <summary>
/// Turns UTF-8 field bytes into strings, handing out one instance per distinct value: a categorical column of a
/// million rows then holds a few strings instead of a million copies. Past <see cref="MaxDistinct"/> values the column
/// looks like free text and new values are no longer remembered, so the pool's memory stays bounded.
/// </summary>
internal sealed class StringPool
{
    private const int MaxDistinct = 1 << 16;

    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
            return string.Empty;
        char[]? rented = null;
        var maxChars = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        var chars = maxChars <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            return Get(chars[..Encoding.UTF8.GetChars(utf8, chars)]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    public string Get(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out var known))
            return known;
        var created = new string(text);
        if (_values.Count < MaxDistinct)
            _values.Add(created);
        return created;
    }
}
