using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Imaging;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>
    /// Prints the layout's memory map (banks, addresses, sizes, pages, and what this ELF uses of each) at normal
    /// verbosity, as ESP-IDF prints its partition table, and writes it as an SVG; the same renderer as `moonboot map`.
    /// </summary>
    public sealed class WriteMoonbootMemoryMap : Task
    {
        [Required] public string LayoutFile { get; set; } = "";
        public string ElfFile { get; set; } = "";
        [Required] public string SvgFile { get; set; } = "";
        public string ImageName { get; set; } = "";

        public override bool Execute()
        {
            try
            {
                var layout = ImageLayout.FromManifest(File.ReadAllText(LayoutFile), LayoutFile);
                List<Imaging.ElfSegment>? segments = null;
                if (ElfFile.Length != 0 && File.Exists(ElfFile))
                {
                    segments = new List<Imaging.ElfSegment>();
                    foreach (var s in ElfImage.ReadLoadSegments(File.ReadAllBytes(ElfFile)))
                    {
                        segments.Add(new Imaging.ElfSegment { VirtualAddress = s.VAddr, PhysicalAddress = s.PAddr, FileSize = s.FileSize, MemorySize = s.MemSize });
                    }
                }
                var map = MemoryMap.Build(layout, segments);
                Log.LogMessage(MessageImportance.Normal, $"Moonboot memory map ({ImageName}):\n" + map.ToTable().TrimEnd('\n'));
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(SvgFile))!);
                string svg = map.ToSvg();
                if (!File.Exists(SvgFile) || File.ReadAllText(SvgFile) != svg) File.WriteAllText(SvgFile, svg);
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is MoonbootException || e is FormatException)
            {
                Log.Error(FirmwareErrors.BadInput, LayoutFile, $"Cannot write the Moonboot memory map: {e.Message}");
                return false;
            }
        }
    }
}
