using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>An allocated section of a 32-bit ELF: run address (VMA), load address (LMA) and whether it has file contents.</summary>
    internal sealed class ElfSection
    {
        public ElfSection(string name, uint address, uint loadAddress, uint size, bool hasContents, bool writable, bool executable)
        {
            Name = name; Address = address; LoadAddress = loadAddress; Size = size;
            HasContents = hasContents; Writable = writable; Executable = executable;
        }

        public string Name { get; }
        public uint Address { get; }
        public uint LoadAddress { get; }
        public uint Size { get; }
        /// <summary>PROGBITS (loaded from the image) rather than NOBITS (.bss, stack, noinit).</summary>
        public bool HasContents { get; }
        public bool Writable { get; }
        public bool Executable { get; }
    }

    /// <summary>A PT_LOAD program header: FileSize bytes at file Offset, loaded at PAddr (run at VAddr).</summary>
    internal readonly struct ElfSegment
    {
        public ElfSegment(uint offset, uint vAddr, uint pAddr, uint fileSize, uint memSize)
        {
            Offset = offset; VAddr = vAddr; PAddr = pAddr; FileSize = fileSize; MemSize = memSize;
        }

        public uint Offset { get; }
        public uint VAddr { get; }
        public uint PAddr { get; }
        public uint FileSize { get; }
        public uint MemSize { get; }
    }

    /// <summary>Reads the section and program headers of a little-endian ELF32 file (what arm-none-eabi-ld writes).</summary>
    internal static class ElfImage
    {
        private const uint SHT_NOBITS = 8;
        private const uint SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;
        private const uint PT_LOAD = 1;

        public static IReadOnlyList<ElfSection> ReadAllocatedSections(string path) => ReadAllocatedSections(File.ReadAllBytes(path));

        /// <summary>
        /// The PT_LOAD segments, as a segment-based loader (OpenOCD's program, pyOCD, probe-rs) writes them: FileSize
        /// bytes from file Offset to physical address PAddr.
        /// </summary>
        public static IReadOnlyList<ElfSegment> ReadLoadSegments(byte[] elf)
        {
            CheckHeader(elf);
            uint phoff = U32(elf, 0x1C);
            int phentsize = U16(elf, 0x2A), phnum = U16(elf, 0x2C);
            var segments = new List<ElfSegment>();
            for (int i = 0; i < phnum; i++)
            {
                int p = Check(elf, phoff + (uint)(i * phentsize), 32);
                if (U32(elf, p) != PT_LOAD) continue;
                segments.Add(new ElfSegment(U32(elf, p + 4), U32(elf, p + 8), U32(elf, p + 12), U32(elf, p + 16), U32(elf, p + 20)));
            }
            return segments;
        }

        public static IReadOnlyList<ElfSection> ReadAllocatedSections(byte[] elf)
        {
            CheckHeader(elf);

            uint shoff = U32(elf, 0x20);
            int shentsize = U16(elf, 0x2E), shnum = U16(elf, 0x30), shstrndx = U16(elf, 0x32);
            var segments = ReadLoadSegments(elf);

            if (shnum == 0 || shstrndx >= shnum) throw new InvalidDataException("the ELF file has no section headers");
            int strtab = Check(elf, shoff + (uint)(shstrndx * shentsize), 40);
            uint strOffset = U32(elf, strtab + 16);

            var sections = new List<ElfSection>();
            for (int i = 0; i < shnum; i++)
            {
                int s = Check(elf, shoff + (uint)(i * shentsize), 40);
                uint flags = U32(elf, s + 8);
                uint size = U32(elf, s + 20);
                if ((flags & SHF_ALLOC) == 0 || size == 0) continue;
                uint type = U32(elf, s + 4), addr = U32(elf, s + 12), offset = U32(elf, s + 16);
                bool contents = type != SHT_NOBITS;
                uint lma = addr;
                if (contents)
                {
                    foreach (var seg in segments)
                    {
                        if (offset >= seg.Offset && offset < seg.Offset + seg.FileSize && addr >= seg.VAddr)
                        {
                            lma = seg.PAddr + (addr - seg.VAddr);
                            break;
                        }
                    }
                }
                sections.Add(new ElfSection(Name(elf, strOffset + U32(elf, s)), addr, lma, size, contents,
                    (flags & SHF_WRITE) != 0, (flags & SHF_EXECINSTR) != 0));
            }
            return sections;
        }

        private static void CheckHeader(byte[] elf)
        {
            if (elf.Length < 52 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 1) throw new InvalidDataException("not a 32-bit ELF file");
            if (elf[5] != 1) throw new InvalidDataException("not a little-endian ELF file");
        }

        private static int Check(byte[] elf, uint offset, int length)
        {
            if (offset > (uint)elf.Length || elf.Length - offset < length) throw new InvalidDataException("truncated ELF file");
            return (int)offset;
        }

        private static string Name(byte[] elf, uint offset)
        {
            if (offset >= elf.Length) return "";
            int end = (int)offset;
            while (end < elf.Length && elf[end] != 0) end++;
            return Encoding.ASCII.GetString(elf, (int)offset, end - (int)offset);
        }

        private static uint U32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        private static uint U32(byte[] b, uint o) => U32(b, (int)o);
        private static int U16(byte[] b, int o) => b[o] | b[o + 1] << 8;
    }
}
