using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

public static partial class ColumnHistograms
{
    private static ColumnHistogram Categorical(DataColumn reference, DataColumn current, ColumnType type)
    {
        var counts = new CategoryCounts();
        var referenceValues = counts.Add(reference, side: 0);
        var currentValues = counts.Add(current, side: 1);

        // Most frequent first by the sum of both sides' shares, so a category that only the current data has still
        // makes the cut when it is large; ties in ordinal order for a stable picture.
        var order = new int[counts.Labels.Count];
        var weight = new double[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            weight[i] = Share(counts.Reference[i], referenceValues) + Share(counts.Current[i], currentValues);
        }
        Array.Sort(order, (a, b) => weight[a] != weight[b] ? weight[b].CompareTo(weight[a]) : string.CompareOrdinal(counts.Labels[a], counts.Labels[b]));

        var shown = Math.Min(order.Length, MaxBins);
        var other = order.Length - shown;
        var bins = shown + (other > 0 ? 1 : 0);
        var labels = new string[bins];
        var referenceShares = new double[bins];
        var currentShares = new double[bins];
        for (var k = 0; k < order.Length; k++)
        {
            var bin = Math.Min(k, shown);
            referenceShares[bin] += Share(counts.Reference[order[k]], referenceValues);
            currentShares[bin] += Share(counts.Current[order[k]], currentValues);
            if (k < shown)
                labels[k] = counts.Labels[order[k]];
        }
        if (other > 0)
            labels[shown] = $"other ({other} categories)";
        return new ColumnHistogram(type, labels, null, referenceShares, currentShares, referenceValues, currentValues,
            MissingShare(referenceValues, reference.Length), MissingShare(currentValues, current.Length), other);
    }

    private static double Share(long count, long values) => values == 0 ? 0 : (double)count / values;

    /// <summary>Counts per distinct present value on both sides, keyed by the value's display form.</summary>
    private sealed class CategoryCounts
    {
        private const int IdentitySlots = 256;

        private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);

        public List<string> Labels { get; } = [];

        public List<long> Reference { get; } = [];

        public List<long> Current { get; } = [];

        /// <summary>Adds one side's values; returns how many were present.</summary>
        public long Add(DataColumn column, int side)
        {
            return column.Strings is { } strings ? AddStrings(strings, side) : AddNumbers(column, side);
        }

        private long AddStrings(string?[] values, int side)
        {
            // Readers pool strings, so equal values mostly share one instance: a small table keyed by identity answers
            // most rows without hashing the characters, and a miss falls back to the ordinal dictionary.
            var slots = new (string? Value, int Index)[IdentitySlots];
            var counts = new long[Math.Max(16, Labels.Count)];
            long present = 0;
            foreach (var value in values)
            {
                if (value is null)
                    continue;
                present++;
                ref var slot = ref slots[RuntimeHelpers.GetHashCode(value) & (IdentitySlots - 1)];
                if (!ReferenceEquals(slot.Value, value))
                    slot = (value, IndexOf(value));
                if (slot.Index >= counts.Length)
                    Array.Resize(ref counts, Math.Max(counts.Length * 2, Labels.Count));
                counts[slot.Index]++;
            }
            for (var i = 0; i < Labels.Count; i++)
                Increment(i, side, counts[i]);
            return present;
        }

        /// <summary>
        /// Numbers are counted by value first and named once per distinct value afterwards, because formatting a
        /// double for each of a million rows would cost more than the counting.
        /// </summary>
        private long AddNumbers(DataColumn column, int side)
        {
            var values = column.Numbers!;
            var byValue = new Dictionary<double, (int FirstRow, long Count)>();
            long present = 0;
            for (var row = 0; row < values.Length; row++)
            {
                var value = values[row];
                if (!double.IsFinite(value))
                    continue;
                present++;
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(byValue, value, out var exists);
                if (!exists)
                    entry.FirstRow = row;
                entry.Count++;
            }
            foreach (var (_, (firstRow, count)) in byValue)
                Increment(IndexOf(column.Display(firstRow)!), side, count);
            return present;
        }

        private int IndexOf(string label)
        {
            ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_byText, label, out var exists);
            if (!exists)
            {
                index = Labels.Count;
                Labels.Add(label);
                Reference.Add(0);
                Current.Add(0);
            }
            return index;
        }

        private void Increment(int index, int side, long by)
        {
            if (side == 0)
                Reference[index] += by;
            else
                Current[index] += by;
        }
    }
}
