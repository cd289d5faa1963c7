namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The distinct values of two sorted samples pooled together, in ascending order, with how often each occurs in
/// either sample. Rank tests (Mann–Whitney, Anderson–Darling, Cramér–von Mises) need only these counts: a value's
/// midrank is the number of smaller pooled values plus (count + 1)/2.
/// </summary>
internal sealed class TieGroups
{
    private TieGroups(int[] firstCounts, int[] secondCounts, int count)
    {
        FirstCounts = firstCounts;
        SecondCounts = secondCounts;
        Count = count;
    }

    /// <summary>Occurrences of each distinct value in the first sample (only the first <see cref="Count"/> entries are used).</summary>
    public int[] FirstCounts { get; }

    public int[] SecondCounts { get; }

    /// <summary>The number of distinct pooled values.</summary>
    public int Count { get; }

    public bool HasTies
    {
        get
        {
            for (var g = 0; g < Count; g++)
            {
                if (FirstCounts[g] + SecondCounts[g] > 1)
                    return true;
            }
            return false;
        }
    }

    public static TieGroups Build(double[] firstSorted, double[] secondSorted)
    {
        var capacity = firstSorted.Length + secondSorted.Length;
        var firstCounts = new int[capacity];
        var secondCounts = new int[capacity];
        int i = 0, j = 0, groups = 0;
        while (i < firstSorted.Length || j < secondSorted.Length)
        {
            var value = j >= secondSorted.Length || (i < firstSorted.Length && firstSorted[i] <= secondSorted[j])
                ? firstSorted[i]
                : secondSorted[j];
            var start = i;
            while (i < firstSorted.Length && firstSorted[i] == value)
                i++;
            firstCounts[groups] = i - start;
            start = j;
            while (j < secondSorted.Length && secondSorted[j] == value)
                j++;
            secondCounts[groups] = j - start;
            groups++;
        }
        return new TieGroups(firstCounts, secondCounts, groups);
    }
}
