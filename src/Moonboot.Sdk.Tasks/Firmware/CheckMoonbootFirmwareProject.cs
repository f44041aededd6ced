using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>
    /// Every check of a firmware project's settings and layout, in one task rather than in MSBuild conditions:
    /// the role, the CPU, the board, exactly one layout with a State bank, and at least one source. It also says
    /// where the layout files are: a config project's GetMoonbootLayout item carries the paths of the linker scripts and
    /// header it rendered, and the firmware uses those (the layout is rendered once); a bare layout.txt
    /// (MoonbootLayoutFile) has none, and the firmware renders its own (<see cref="RenderLocally"/>).
    /// </summary>
    public sealed class CheckMoonbootFirmwareProject : Task
    {
        /// <summary>The project file, where errors point.</summary>
        [Required] public string ProjectFile { get; set; } = "";
        /// <summary>Bootloader or Application.</summary>
        public string Role { get; set; } = "";
        /// <summary>MoonbootCpu, for the message when it is unknown.</summary>
        public string Cpu { get; set; } = "";
        /// <summary>The gcc flags for the CPU; empty when the CPU is unknown and the project set none.</summary>
        public string CpuFlags { get; set; } = "";
        /// <summary>MoonbootBoard, or 'none'.</summary>
        public string Board { get; set; } = "";
        /// <summary>True when the SDK's runtime (and so the board support) is compiled in.</summary>
        public bool IncludeRuntime { get; set; }
        /// <summary>The SDK's runtime folder (boards/ is under it).</summary>
        public string RuntimeDirectory { get; set; } = "";
        /// <summary>The layouts the references returned (GetMoonbootLayout) or MoonbootLayoutFile.</summary>
        public ITaskItem[] Layouts { get; set; } = Array.Empty<ITaskItem>();
        /// <summary>Where this project renders its own files when the layout is a bare layout.txt.</summary>
        [Required] public string LocalDirectory { get; set; } = "";

        /// <summary>The layout.txt to read.</summary>
        [Output] public string LayoutFile { get; private set; } = "";
        /// <summary>The memory.x for this project's role.</summary>
        [Output] public string LinkerScript { get; private set; } = "";
        /// <summary>The folder holding moonboot_layout.h.</summary>
        [Output] public string IncludeDirectory { get; private set; } = "";
        /// <summary>True when this project must render <see cref="LinkerScript"/> and the header itself.</summary>
        [Output] public bool RenderLocally { get; private set; }
        /// <summary>True when the layout declares signed images (ImageHeaderSize is not 0): MoonbootSigning's default.</summary>
        [Output] public bool LayoutSigned { get; private set; }
        /// <summary>The config project's folder (where the solution's development key lives), or this project's for a
        /// bare layout.txt.</summary>
        [Output] public string ConfigDirectory { get; private set; } = "";

        public override bool Execute()
        {
            bool bootloader = string.Equals(Role, "Bootloader", StringComparison.Ordinal);
            if (!bootloader && !string.Equals(Role, "Application", StringComparison.Ordinal))
            {
                return Fail(FirmwareErrors.InvalidProperty, $"MoonbootRole '{Role}' is not valid: use Bootloader or Application.");
            }
            if (string.IsNullOrWhiteSpace(CpuFlags))
            {
                return Fail(FirmwareErrors.InvalidProperty,
                    $"MoonbootCpu '{Cpu}' is not known: use cortex-m0plus, cortex-m3, cortex-m4, cortex-m7 or cortex-m33, " +
                    "or set MoonbootCpuFlags to the gcc flags yourself.");
            }
            string boards = Path.Combine(RuntimeDirectory, "boards");
            if (IncludeRuntime && !string.Equals(Board, "none", StringComparison.Ordinal)
                && !Directory.Exists(Path.Combine(boards, Board)))
            {
                return Fail(FirmwareErrors.InvalidProperty,
                    $"MoonbootBoard '{Board}' has no board support in {boards}{Path.DirectorySeparatorChar}. Use one of the " +
                    "boards there, or 'none' and add your own startup code and flash driver as MoonbootSource items.");
            }

            var layouts = Layouts.GroupBy(l => l.GetMetadata("FullPath"), StringComparer.Ordinal).Select(g => g.First()).ToList();
            if (layouts.Count == 0)
            {
                return Fail(FirmwareErrors.NoLayout,
                    "The firmware project has no layout: add a ProjectReference to the project that holds the " +
                    "[MoonbootConfig] class (it answers GetMoonbootLayout), or set MoonbootLayoutFile to a layout.txt.");
            }
            if (layouts.Count > 1)
            {
                return Fail(FirmwareErrors.NoLayout,
                    "The firmware project references more than one layout (" +
                    string.Join(", ", layouts.Select(l => l.ItemSpec)) + "): reference exactly one config project.");
            }
            var item = layouts[0];
            LayoutFile = item.GetMetadata("FullPath");

            LayoutSpec spec;
            try
            {
                spec = LayoutManifest.Read(File.ReadAllText(LayoutFile));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException)
            {
                return Fail(FirmwareErrors.BadInput, $"Cannot read the Moonboot layout '{LayoutFile}': {e.Message} Rebuild the config project.");
            }
            // The runtime keeps exchange progress (and the application's confirm) in the flash journal: a layout
            // without a State bank is valid for linker scripts alone, but firmware built on it could never update.
            if (!spec.Banks.Any(b => b.Role == BankRole.State))
            {
                return Fail(FirmwareErrors.NoStateBank,
                    $"The layout in {LayoutFile} has no State bank, but the Moonboot runtime keeps its exchange progress " +
                    "and the application's confirmation in a flash journal there. Add one of at least two pages to the " +
                    "[MoonbootConfig] class, e.g. [Bank(BankRole.State, Location = ...)] public const uint State = 2 * PageSize;");
            }

            LayoutSigned = spec.ImageHeaderSize != 0;
            string configProject = item.GetMetadata("ConfigProject");
            ConfigDirectory = Path.GetDirectoryName(Path.GetFullPath(configProject.Length != 0 ? configProject : ProjectFile))!
                + Path.DirectorySeparatorChar;

            string script = item.GetMetadata(bootloader ? "BootloaderLinkerScript" : "ApplicationLinkerScript");
            string include = item.GetMetadata("IncludeDirectory");
            RenderLocally = script.Length == 0 || include.Length == 0;
            if (RenderLocally)
            {
                string local = Path.GetFullPath(LocalDirectory);
                LinkerScript = Path.Combine(local, bootloader ? "bootloader" : "application", "memory.x");
                IncludeDirectory = Path.Combine(local, "include");
            }
            else
            {
                LinkerScript = script;
                IncludeDirectory = include.TrimEnd('/', '\\');
            }
            return true;
        }

        private bool Fail(string code, string message)
        {
            Log.Error(code, ProjectFile, message);
            return false;
        }
    }
}
