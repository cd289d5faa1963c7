using Parquet;
using Parquet.Schema;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Tests.Data;

public sealed class ParquetFrameReaderTests
{
    [Fact]
    public async Task ReadAsync_Numbers_MapToPandasDtypes()
    {
        var fields = new DataField[]
        {
            new DataField<int>("i32"), new DataField<long>("i64"), new DataField<short>("i16"), new DataField<uint>("u32"),
            new DataField<float>("f32"), new DataField<double>("f64"), new DecimalDataField("dec", 10, 2),
        };
        var frame = await ReadAsync(fields, async group =>
        {
            await group.WriteAsync<int>(fields[0], new[] { 1, -2 });
            await group.WriteAsync<long>(fields[1], new[] { 3L, 4L });
            await group.WriteAsync<short>(fields[2], new short[] { 5, 6 });
            await group.WriteAsync<uint>(fields[3], new uint[] { 7, 8 });
            await group.WriteAsync<float>(fields[4], new[] { 1.5f, 2.25f });
            await group.WriteAsync<double>(fields[5], new[] { 0.1, double.PositiveInfinity });
            await group.WriteAsync<decimal>(fields[6], new[] { 1.25m, -3.5m });
        });

        Assert.Equal([ColumnDtype.Int64, ColumnDtype.Int64, ColumnDtype.Int64, ColumnDtype.Int64, ColumnDtype.Float64, ColumnDtype.Float64, ColumnDtype.Float64],
            frame.Columns.Select(c => c.Dtype));
        Assert.Equal([1.0, -2], frame.Find("i32")!.Numbers!);
        Assert.Equal([1.5, 2.25], frame.Find("f32")!.Numbers!);
        Assert.Equal([0.1, double.PositiveInfinity], frame.Find("f64")!.Numbers!);
        Assert.Equal([1.25, -3.5], frame.Find("dec")!.Numbers!);
    }

    [Fact]
    public async Task ReadAsync_Nulls_BecomeNaNAndChangeDtypesLikePandas()
    {
        var fields = new DataField[] { new DataField<int?>("n"), new DataField<bool?>("b"), new DataField<string>("s"), new DataField<bool>("flag") };
        var frame = await ReadAsync(fields, async group =>
        {
            await group.WriteAsync<int>(fields[0], new int?[] { 1, null, 3 });
            await group.WriteAsync<bool>(fields[1], new bool?[] { true, null, false });
            await group.WriteAsync(fields[2], new[] { "a", null, "a" });
            await group.WriteAsync<bool>(fields[3], new[] { true, false, true });
        });

        var numbers = frame.Find("n")!;
        Assert.Equal(ColumnDtype.Float64, numbers.Dtype);
        Assert.Equal(1.0, numbers.Numbers![0]);
        Assert.True(double.IsNaN(numbers.Numbers[1]));
        Assert.Equal(3.0, numbers.Numbers[2]);
        Assert.Equal(ColumnDtype.NullableBool, frame.Find("b")!.Dtype);
        Assert.Equal(ColumnDtype.String, frame.Find("s")!.Dtype);
        Assert.Equal((IEnumerable<string?>)["a", null, "a"], frame.Find("s")!.Strings!);
        Assert.Equal(ColumnDtype.Bool, frame.Find("flag")!.Dtype);
        Assert.Equal([1.0, 0, 1], frame.Find("flag")!.Numbers!);
    }

    [Fact]
    public async Task ReadAsync_TimestampsAndLists_AreLeftOut()
    {
        var fields = new DataField[] { new DataField<double>("x"), new DataField<DateTime>("at"), new DataField<byte[]>("blob") };
        var frame = await ReadAsync(fields, async group =>
        {
            await group.WriteAsync<double>(fields[0], new[] { 1.0 });
            await group.WriteAsync<DateTime>(fields[1], new[] { DateTime.UnixEpoch });
            await group.WriteAsync(fields[2], new[] { new byte[] { 1 } });
        });

        Assert.Equal(["x"], frame.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task ReadAsync_ManyRowGroups_PutsEveryChunkAtItsOffset()
    {
        var fields = new DataField[] { new DataField<long>("id"), new DataField<string>("label") };
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file))
        {
            for (var g = 0; g < 7; g++)
            {
                using var group = writer.CreateRowGroup();
                var ids = Enumerable.Range(g * 1000, 1000).Select(i => (long)i).ToArray();
                await group.WriteAsync<long>(fields[0], ids);
                await group.WriteAsync(fields[1], ids.Select(i => $"g{i / 1000}").ToArray());
            }
        }
        file.Position = 0;

        var frame = await ParquetFrameReader.ReadAsync(file, "groups.parquet");

        Assert.Equal(7000, frame.RowCount);
        Assert.Equal(Enumerable.Range(0, 7000).Select(i => (double)i), frame.Find("id")!.Numbers!);
        Assert.Equal("g4", frame.Find("label")!.Strings![4321]);
    }

    [Fact]
    public async Task ReadAsync_FromAPath_ReadsTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"slipway-{Guid.NewGuid():N}.parquet");
        var field = new DataField<double>("x");
        try
        {
            await using (var stream = File.Create(path))
            {
                await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<double>(field, new[] { 2.5, 3.5 });
            }
            var frame = await FrameReader.ReadAsync(path);
            Assert.Equal([2.5, 3.5], frame.Find("x")!.Numbers!);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_NotParquet_ThrowsInvalidParameter()
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(() => ParquetFrameReader.ReadAsync(new MemoryStream("a,b\n1,2\n"u8.ToArray()), "fake.parquet"));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("fake.parquet", error.Message, StringComparison.Ordinal);
    }

    private static async Task<DataFrame> ReadAsync(DataField[] fields, Func<ParquetRowGroupWriter, Task> write)
    {
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file))
        {
            using var group = writer.CreateRowGroup();
            await write(group);
        }
        return await ParquetFrameReader.ReadAsync(new MemoryStream(file.ToArray()), "test.parquet");
    }
}
