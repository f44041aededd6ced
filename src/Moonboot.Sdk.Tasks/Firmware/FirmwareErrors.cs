namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>Error codes of the firmware build. Each has a page docs/diagnostics/&lt;code&gt;.md.</summary>
    internal static class FirmwareErrors
    {
        /// <summary>arm-none-eabi-gcc (or another tool of the toolchain) was not found.</summary>
        public const string ToolchainNotFound = "MBS2001";
        /// <summary>The image does not fit its flash bank (bootloader bank, or the largest exchangeable image).</summary>
        public const string FlashTooLarge = "MBS2002";
        /// <summary>.data + .bss (+ stack) do not fit the RAM available to the firmware.</summary>
        public const string RamTooLarge = "MBS2003";
        /// <summary>The linker failed (undefined reference, script error, ...).</summary>
        public const string LinkFailed = "MBS2004";
        /// <summary>MoonbootRole, MoonbootCpu or MoonbootBoard has a value the SDK does not know.</summary>
        public const string InvalidProperty = "MBS2005";
        /// <summary>No layout: the project has no ProjectReference to a config project, or it returned no layout.</summary>
        public const string NoLayout = "MBS2006";
        /// <summary>The ELF or the layout file could not be read.</summary>
        public const string BadInput = "MBS2007";
        /// <summary>A tool (gcc, objcopy) could not be started or crashed.</summary>
        public const string ToolFailed = "MBS2008";
        /// <summary>The layout has no State bank, which the runtime's flash journal needs (CheckMoonbootFirmwareProject).</summary>
        public const string NoStateBank = "MBS2009";
    }
}
