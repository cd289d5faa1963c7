using System.Buffers.Binary;
using System.Text;

namespace Slipway.Deploy.Tests.Support;

/// <summary>
/// Reads the shared libraries an ELF64 little-endian library links (its <c>DT_NEEDED</c> entries), as <c>readelf -d</c>
/// shows them, so the tests can check that the image's base provides what the native libraries need.
/// </summary>
internal static class ElfDependencies
{
    private const uint SectionTypeDynamic = 6;
    private const long TagNull = 0;
    private const long TagNeeded = 1;
    private static readonly byte[] Magic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    public static IReadOnlyList<string> Needed(string path)
    {
        var elf = File.ReadAllBytes(path);
        Assert.True(elf.AsSpan(0, 4).SequenceEqual(Magic), $"{path} is not an ELF file");
        Assert.True(elf[4] == 2 && elf[5] == 1, $"{path} is not ELF64 little-endian");

        var sectionsOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (var i = 0; i < sectionCount; i++)
        {
            var header = elf.AsSpan(sectionsOffset + (i * sectionSize), sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != SectionTypeDynamic)
                continue;
            // sh_link of the dynamic section is the index of the string table its names point into (.dynstr).
            var strings = elf.AsSpan(sectionsOffset + ((int)BinaryPrimitives.ReadUInt32LittleEndian(header[40..]) * sectionSize), sectionSize);
            var stringsOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(strings[24..]);
            return ReadNeeded(elf, (int)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]), (int)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]), stringsOffset);
        }
        return [];
    }

    private static List<string> ReadNeeded(byte[] elf, int offset, int size, int stringsOffset)
    {
        var needed = new List<string>();
        for (var entry = offset; entry + 16 <= offset + size; entry += 16)
        {
            var tag = BinaryPrimitives.ReadInt64LittleEndian(elf.AsSpan(entry));
            if (tag == TagNull)
                break;
            if (tag != TagNeeded)
                continue;
            var start = stringsOffset + (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(entry + 8));
            var end = Array.IndexOf(elf, (byte)0, start);
            needed.Add(Encoding.ASCII.GetString(elf, start, end - start));
        }
        return needed;
    }
}
