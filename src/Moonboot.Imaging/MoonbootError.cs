using System;

namespace Moonboot.Imaging
{
    /// <summary>
    /// Every failure the image library and the tool report, with a stable number. The thousands digit is the class of
    /// failure and gives the tool's exit code (docs/tool.md): 1xxx input files and arguments (exit 2), 2xxx keys
    /// (exit 3), 3xxx images and their checks (exit 4), 4xxx layouts and ELF files (exit 5), 5xxx the device (exit 6).
    /// </summary>
    public enum MoonbootError
    {
        FileNotFound = 1001,
        FileUnreadable = 1002,
        OutputUnwritable = 1003,
        BadArgument = 1004,

        KeyFormat = 2001,
        KeyMismatch = 2002,
        KeyNotPrivate = 2003,
        KeyEncrypted = 2004,

        ImageTruncated = 3001,
        BadMagic = 3002,
        BadHeader = 3003,
        BadTlvArea = 3004,
        BadTlv = 3005,
        HashMismatch = 3006,
        SignatureInvalid = 3007,
        NotSigned = 3008,
        ImageTooLarge = 3009,
        BadJson = 3010,

        LayoutNotFound = 4001,
        LayoutFormat = 4002,
        LayoutInvalid = 4003,
        ProjectNotBuilt = 4004,
        ElfFormat = 4005,
        ElfOutsideLayout = 4006,

        PortUnavailable = 5001,
        DeviceTimeout = 5002,
        DeviceRefused = 5004,
        ProtocolError = 5005,
    }

    /// <summary>A failure with its code and a one-line message: what the tool prints, never a stack trace.</summary>
    public sealed class MoonbootException : Exception
    {
        public MoonbootException(MoonbootError error, string message, Exception? inner = null)
            : base(message, inner)
        {
            Error = error;
        }

        public MoonbootError Error { get; }

        /// <summary>"MBT3006".</summary>
        public string Code => CodeOf(Error);

        /// <summary>The tool's exit code for this failure: 2..6 by class.</summary>
        public int ExitCode => ExitCodeOf(Error);

        public static string CodeOf(MoonbootError error) => "MBT" + ((int)error).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

        public static int ExitCodeOf(MoonbootError error) => (int)error / 1000 + 1;

        /// <summary>"error MBT3006: ..." on one line.</summary>
        public override string ToString() => "error " + Code + ": " + Message;
    }
}
