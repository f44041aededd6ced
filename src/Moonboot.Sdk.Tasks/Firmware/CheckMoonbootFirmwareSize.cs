using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>
    /// Reads the linked ELF and the layout, writes the size report and prints a one-line summary. Fails with MBS2002
    /// when the image is larger than its bank allows (the bootloader bank; for the application, the largest image the
    /// exchange can move), and MBS2003 when its RAM does not fit.
    /// </summary>
    public sealed class CheckMoonbootFirmwareSize : Task
    {
        [Required] public string ElfFile { get; set; } = "";
        /// <summary>The normalized layout text (obj/moonboot/layout.txt of the config project).</summary>
        [Required] public string LayoutFile { get; set; } = "";
        [Required] public string Role { get; set; } = "";
        /// <summary>Where the report goes; not written when the image does not fit, so the next build checks again.</summary>
        public string? ReportFile { get; set; }
        /// <summary>Name shown in the summary (the project name).</summary>
        public string? ImageName { get; set; }

        [Output] public string FlashUsed { get; private set; } = "";
        [Output] public string RamUsed { get; private set; } = "";

        public override bool Execute()
        {
            if (!Enum.TryParse(Role, ignoreCase: true, out FirmwareRole role))
            {
                Error(FirmwareErrors.InvalidProperty, null, $"MoonbootRole '{Role}' is not valid: use Bootloader or Application.");
                return false;
            }
            ResolvedLayout layout;
            try
            {
                var spec = LayoutManifest.Read(File.ReadAllText(LayoutFile));
                layout = new ResolvedLayout(spec);
            }
            catch (Exception e) when (e is IOException || e is FormatException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                Error(FirmwareErrors.BadInput, LayoutFile, "Cannot read the layout: " + e.Message);
                return false;
            }

            FirmwareSize size;
            try
            {
                size = FirmwareSize.Measure(ElfImage.ReadAllocatedSections(ElfFile), role, layout);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                Error(FirmwareErrors.BadInput, ElfFile, "Cannot read the firmware image: " + e.Message);
                return false;
            }

            string name = string.IsNullOrEmpty(ImageName) ? Path.GetFileNameWithoutExtension(ElfFile) : ImageName!;
            FlashUsed = LayoutFormat.Decimal(size.FlashUsed);
            RamUsed = LayoutFormat.Decimal(size.RamUsed);
            foreach (var (code, message) in size.Problems) Error(code, ElfFile, message);
            if (size.Problems.Count > 0) return false;

            Log.LogMessage(MessageImportance.High, "{0} -> {1}", size.Summary(name), ElfFile);
            if (!string.IsNullOrEmpty(ReportFile))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ReportFile))!);
                File.WriteAllText(ReportFile, size.Report(name, ElfFile));
            }
            return !Log.HasLoggedErrors;
        }

        private void Error(string code, string? file, string message) =>
            Log.Error(code, file, message);
    }
}
