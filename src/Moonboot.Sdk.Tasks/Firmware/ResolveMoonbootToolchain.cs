using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>Finds gcc and objcopy of the Arm toolchain, or fails with MBS2001 naming the apt package and the property.</summary>
    public sealed class ResolveMoonbootToolchain : Task
    {
        /// <summary>Folder of the toolchain (or its root, with a bin/ folder). Empty: search PATH.</summary>
        public string? ToolchainPath { get; set; }

        public string Prefix { get; set; } = "arm-none-eabi-";

        /// <summary>Where MBS2001 points (the firmware project file); empty: the task's own location.</summary>
        public string? ProjectFile { get; set; }

        [Output] public string? Compiler { get; private set; }
        [Output] public string? Objcopy { get; private set; }

        public override bool Execute()
        {
            Compiler = Resolve("gcc");
            if (Compiler != null) Objcopy = Resolve("objcopy");
            return !Log.HasLoggedErrors;
        }

        private string? Resolve(string tool)
        {
            string? path = Toolchain.Find(ToolchainPath, Prefix ?? "", tool);
            if (path == null)
            {
                Log.Error(FirmwareErrors.ToolchainNotFound, string.IsNullOrEmpty(ProjectFile) ? null : ProjectFile,
                    Toolchain.NotFoundMessage(ToolchainPath, Prefix ?? "", tool));
            }
            return path;
        }
    }
}
