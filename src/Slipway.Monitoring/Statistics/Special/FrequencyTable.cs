namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// One column of the Cramér–von Mises path table: path sums with their frequencies, in the order NumPy's
/// <c>intersect1d</c>/<c>delete</c>/<c>concatenate</c> leave them. The order matters because a float32 table is
/// summed pairwise, and rounding can make two sums collide, which NumPy keeps as separate entries.
/// </summary>
internal sealed class FrequencyTable
{
    private FrequencyTable(List<double> sums, List<double> frequencies)
    {
        Sums = sums;
        Frequencies = frequencies;
    }

    public static FrequencyTable Empty { get; } = new([], []);

    public List<double> Sums { get; }

    public List<double> Frequencies { get; }

    public int Count => Sums.Count;

    public static FrequencyTable Single(double sum, double frequency) => new([sum], [frequency]);

    /// <summary>
    /// Paths arriving from two neighbours: sums present in both (first occurrences, ascending) with added
    /// frequencies, then the rest of the first table, then the rest of the second, each in its own order.
    /// </summary>
    public static FrequencyTable Merge(FrequencyTable first, FrequencyTable second, NumPyStorage storage)
    {
        var firstIndex = FirstOccurrences(first);
        var secondIndex = FirstOccurrences(second);
        var (smaller, larger) = firstIndex.Count <= secondIndex.Count ? (firstIndex, secondIndex) : (secondIndex, firstIndex);
        var common = new List<double>();
        foreach (var sum in smaller.Keys)
        {
            if (larger.ContainsKey(sum))
                common.Add(sum);
        }
        common.Sort();

        var capacity = first.Count + second.Count - common.Count;
        var sums = new List<double>(capacity);
        var frequencies = new List<double>(capacity);
        var takenFromFirst = new bool[first.Count];
        var takenFromSecond = new bool[second.Count];
        foreach (var sum in common)
        {
            int i = firstIndex[sum], j = secondIndex[sum];
            takenFromFirst[i] = true;
            takenFromSecond[j] = true;
            sums.Add(sum);
            frequencies.Add(storage.Round(first.Frequencies[i] + second.Frequencies[j]));
        }
        AppendRest(first, takenFromFirst, sums, frequencies);
        AppendRest(second, takenFromSecond, sums, frequencies);
        return new FrequencyTable(sums, frequencies);
    }

    /// <summary>Adds the cost of the current lattice point to every path sum, rounded to the table's dtype.</summary>
    public FrequencyTable Shift(long cost, NumPyStorage storage)
    {
        for (var i = 0; i < Sums.Count; i++)
            Sums[i] = storage.Round(Sums[i] + cost);
        return this;
    }

    private static Dictionary<double, int> FirstOccurrences(FrequencyTable table)
    {
        var index = new Dictionary<double, int>(table.Count);
        for (var i = 0; i < table.Count; i++)
            index.TryAdd(table.Sums[i], i);
        return index;
    }

    private static void AppendRest(FrequencyTable table, bool[] taken, List<double> sums, List<double> frequencies)
    {
        for (var i = 0; i < table.Count; i++)
        {
            if (taken[i])
                continue;
            sums.Add(table.Sums[i]);
            frequencies.Add(table.Frequencies[i]);
        }
    }
}
