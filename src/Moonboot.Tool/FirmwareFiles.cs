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
            if (bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F')
            {
                throw new MoonbootException(MoonbootError.BadArgument,
                    $"'{path}' is an ELF file; sign the .bin or .hex the build writes next to it");
            }
            return IsHex(path) ? IntelHex.Parse(Encoding.ASCII.GetString(bytes), path, fill) : bytes;
        }
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
}
