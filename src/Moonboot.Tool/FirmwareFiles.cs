using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Moonboot.Imaging;

namespace Moonboot.Tool
{
    /// <summary>Reading and writing the files the commands take: raw binaries, Intel HEX, and ELF load segments.</summary>
    internal static class FirmwareFiles
    {
        public static byte[] ReadBytes(string path, string what)
        {
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw new MoonbootException(MoonbootError.FileNotFound, $"{what} '{path}' does not exist");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new MoonbootException(MoonbootError.FileUnreadable, $"{what} '{path}' cannot be read: {e.Message}");
            }
        }

        public static void Write(string path, byte[] data)
        {
            try
            {
                File.WriteAllBytes(path, data);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new MoonbootException(MoonbootError.OutputUnwritable, $"cannot write '{path}': {e.Message}");
            }
        }

        public static void WriteText(string path, string text) => Write(path, Encoding.UTF8.GetBytes(text));

        public static bool IsHex(string path) => string.Equals(Path.GetExtension(path), ".hex", StringComparison.OrdinalIgnoreCase);

        /// <summary>Reads a .bin as is, or a .hex from its lowest address (gaps filled with <paramref name="fill"/>).</summary>
        public static byte[] ReadFirmware(string path, byte fill)
        {
            var bytes = ReadBytes(path, "input");
            return IsHex(path) ? ParseHex(Encoding.ASCII.GetString(bytes), path, fill) : bytes;
        }

        public static byte[] ParseHex(string text, string source, byte fill)
        {
            var data = new SortedDictionary<uint, byte>();
            uint upper = 0;
            int lineNumber = 0;
            foreach (var raw in text.Split('\n'))
            {
                lineNumber++;
                string line = raw.Trim();
                if (line.Length == 0) continue;
                byte[] rec;
                try
                {
                    if (line[0] != ':') throw new FormatException("no ':'");
                    rec = Hex.Parse(line.Substring(1));
                }
                catch (FormatException e)
                {
                    throw new MoonbootException(MoonbootError.FileUnreadable, $"{source}:{lineNumber}: not Intel HEX ({e.Message})");
                }
                int sum = 0;
                foreach (var b in rec) sum += b;
                if (rec.Length < 5 || rec.Length != rec[0] + 5 || (sum & 0xff) != 0)
                {
                    throw new MoonbootException(MoonbootError.FileUnreadable, $"{source}:{lineNumber}: bad Intel HEX record (length or checksum)");
                }
                int type = rec[3];
                uint address = (uint)(rec[1] << 8 | rec[2]);
                if (type == 0) for (int i = 0; i < rec[0]; i++) data[upper + address + (uint)i] = rec[4 + i];
                else if (type == 1) break;
                else if (type == 4) upper = (uint)(rec[4] << 24 | rec[5] << 16);
                else if (type == 2) upper = (uint)(rec[4] << 12 | rec[5] << 4);
            }
            if (data.Count == 0) return new byte[0];
            uint first = 0, last = 0;
            bool any = false;
            foreach (var key in data.Keys) { if (!any) { first = key; any = true; } last = key; }
            var result = new byte[last - first + 1];
            for (int i = 0; i < result.Length; i++) result[i] = fill;
            foreach (var pair in data) result[pair.Key - first] = pair.Value;
            return result;
        }

        public static string ToHex(byte[] data, uint address)
        {
            var text = new StringBuilder();
            uint upper = uint.MaxValue;
            for (int offset = 0; offset < data.Length; offset += 16)
            {
                uint a = address + (uint)offset;
                if (a >> 16 != upper)
                {
                    upper = a >> 16;
                    Record(text, 0, 4, new[] { (byte)(upper >> 8), (byte)upper });
                }
                int n = Math.Min(16, data.Length - offset);
                var chunk = new byte[n];
                Buffer.BlockCopy(data, offset, chunk, 0, n);
                Record(text, (ushort)a, 0, chunk);
            }
            Record(text, 0, 1, new byte[0]);
            return text.ToString();
        }

        private static void Record(StringBuilder text, ushort address, byte type, byte[] data)
        {
            var rec = new byte[data.Length + 5];
            rec[0] = (byte)data.Length; rec[1] = (byte)(address >> 8); rec[2] = (byte)address; rec[3] = type;
            Buffer.BlockCopy(data, 0, rec, 4, data.Length);
            int sum = 0;
            for (int i = 0; i < rec.Length - 1; i++) sum += rec[i];
            rec[rec.Length - 1] = (byte)(-sum);
            text.Append(':').Append(Hex.Of(rec).ToUpperInvariant()).Append('\n');
        }
    }

    /// <summary>A PT_LOAD segment of a 32-bit little-endian ELF: where it is stored (LMA) and where it runs (VMA).</summary>
    internal sealed class ElfSegment
    {
        public uint VirtualAddress { get; set; }
        public uint PhysicalAddress { get; set; }
        public uint FileSize { get; set; }
        public uint MemorySize { get; set; }
    }

    internal static class Elf
    {
        public static List<ElfSegment> LoadSegments(string path)
        {
            var b = FirmwareFiles.ReadBytes(path, "ELF file");
            if (b.Length < 52 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
            {
                throw new MoonbootException(MoonbootError.ElfFormat, $"'{path}' is not an ELF file");
            }
            if (b[4] != 1 || b[5] != 1)
            {
                throw new MoonbootException(MoonbootError.ElfFormat, $"'{path}' is not a 32-bit little-endian ELF (Cortex-M firmware is)");
            }
            uint phoff = U32(b, 0x1c);
            int phentsize = b[0x2a] | b[0x2b] << 8, phnum = b[0x2c] | b[0x2d] << 8;
            if (phentsize < 32 || (long)phoff + (long)phentsize * phnum > b.Length)
            {
                throw new MoonbootException(MoonbootError.ElfFormat, $"'{path}': program headers run past the end of the file");
            }
            var segments = new List<ElfSegment>();
            for (int i = 0; i < phnum; i++)
            {
                int p = (int)phoff + i * phentsize;
                if (U32(b, p) != 1) continue; // PT_LOAD only
                segments.Add(new ElfSegment
                {
                    VirtualAddress = U32(b, p + 8), PhysicalAddress = U32(b, p + 12),
                    FileSize = U32(b, p + 16), MemorySize = U32(b, p + 20),
                });
            }
            return segments;
        }

        private static uint U32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
    }

    internal static class Num
    {
        public static string Hex32(ulong v) => "0x" + v.ToString("X8", CultureInfo.InvariantCulture);
        public static string Size(ulong v) =>
            v >= 1024 && v % 1024 == 0 ? (v / 1024).ToString(CultureInfo.InvariantCulture) + " KiB" : v.ToString(CultureInfo.InvariantCulture) + " B";
    }
}
