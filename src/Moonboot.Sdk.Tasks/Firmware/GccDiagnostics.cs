using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Moonboot.Sdk.Tasks.Firmware
{
    internal enum GccSeverity { Error, Warning, Note }

    /// <summary>One diagnostic from gcc, as, or ld, ready to be logged as an MSBuild error or warning.</summary>
    internal sealed class GccDiagnostic
    {
        public GccDiagnostic(GccSeverity severity, string? file, int line, int column, string message, string? code = null)
        {
            Severity = severity; File = file; Line = line; Column = column; Message = message; Code = code;
        }

        public GccSeverity Severity { get; }
        /// <summary>The file as gcc printed it (absolute when the command line used absolute paths), or null.</summary>
        public string? File { get; }
        public int Line { get; }
        public int Column { get; }
        public string Message { get; }
        /// <summary>An MBS code for diagnostics the SDK recognises (flash overflow, ...), else null.</summary>
        public string? Code { get; }

        public override string ToString() =>
            $"{File}({Line},{Column}): {Severity.ToString().ToLowerInvariant()} {Code}: {Message}";
    }

    /// <summary>
    /// Turns gcc/ld output lines into diagnostics. gcc prints <c>file:line:col: error: message</c>; ld prints
    /// <c>.../ld: file.o: in function `f':</c>, <c>file.c:12: undefined reference to `g'</c> and
    /// <c>region `FLASH' overflowed by 52 bytes</c>.
    /// </summary>
    internal static class GccDiagnosticParser
    {
        private static readonly Regex CompilerLine = new Regex(
            @"^(?<file>.+?):(?<line>\d+):(?:(?<col>\d+):)?\s*(?<sev>(?i:fatal error|error|warning|note)):\s*(?<msg>.*)$",
            RegexOptions.CultureInvariant);

        private static readonly Regex NoLocationLine = new Regex(
            @"^(?<tool>[^:\s]*(?:gcc|cc1|as|collect2|ld)(?:\.exe)?):\s*(?<sev>fatal error|error|warning|note):\s*(?<msg>.*)$",
            RegexOptions.CultureInvariant);

        private static readonly Regex LinkerPrefix = new Regex(
            @"^(?:\S*[/\\])?(?:[\w.-]*-)?ld(?:\.bfd|\.gold)?(?:\.exe)?:\s*", RegexOptions.CultureInvariant);

        private static readonly Regex RegionOverflow = new Regex(
            @"region [`'](?<region>\w+)' overflowed by (?<bytes>\d+) bytes?", RegexOptions.CultureInvariant);

        private static readonly Regex LinkerFileLine = new Regex(
            @"^(?<file>[^:]+?(?::[\\/][^:]*)?):(?<line>\d+):\s*(?<msg>.*)$", RegexOptions.CultureInvariant);

        /// <summary>A compiler or assembler line; false for context lines ("In file included from", carets, ...).</summary>
        public static bool TryParseCompilerLine(string line, out GccDiagnostic diagnostic)
        {
            diagnostic = null!;
            if (string.IsNullOrWhiteSpace(line)) return false;
            var m = CompilerLine.Match(line.TrimEnd());
            if (m.Success)
            {
                int col = m.Groups["col"].Success ? Int(m.Groups["col"].Value) : 0;
                diagnostic = new GccDiagnostic(Severity(m.Groups["sev"].Value), m.Groups["file"].Value,
                    Int(m.Groups["line"].Value), col, m.Groups["msg"].Value);
                return true;
            }
            m = NoLocationLine.Match(line.TrimEnd());
            if (m.Success && !line.Contains("ld returned"))
            {
                diagnostic = new GccDiagnostic(Severity(m.Groups["sev"].Value), null, 0, 0, m.Groups["msg"].Value);
                return true;
            }
            return false;
        }

        /// <summary>
        /// A line of the link step. <paramref name="failed"/>: the linker exited non-zero, so any line it printed that is
        /// not context is an error. Returns false for lines that are only context or the collect2 summary.
        /// </summary>
        public static bool TryParseLinkerLine(string line, bool failed, out GccDiagnostic diagnostic)
        {
            diagnostic = null!;
            if (string.IsNullOrWhiteSpace(line)) return false;
            string text = line.TrimEnd();
            if (text.Contains("ld returned") && text.Contains("exit status")) return false;
            if (TryParseCompilerLine(text, out diagnostic)) return true;

            text = LinkerPrefix.Replace(text, "");
            var overflow = RegionOverflow.Match(text);
            if (overflow.Success)
            {
                string region = overflow.Groups["region"].Value;
                bool ram = region.IndexOf("RAM", StringComparison.OrdinalIgnoreCase) >= 0;
                diagnostic = new GccDiagnostic(GccSeverity.Error, null, 0, 0,
                    $"the firmware does not fit: the linker region {region} overflowed by {overflow.Groups["bytes"].Value} bytes",
                    ram ? FirmwareErrors.RamTooLarge : FirmwareErrors.FlashTooLarge);
                return true;
            }
            // The application script's ASSERT on the largest exchangeable image (and any other "does not fit" ASSERT).
            if (text.IndexOf("_moonboot_max_image_size", StringComparison.Ordinal) >= 0
                || (text.StartsWith("Moonboot:", StringComparison.OrdinalIgnoreCase) && text.IndexOf("larger than", StringComparison.Ordinal) >= 0))
            {
                diagnostic = new GccDiagnostic(GccSeverity.Error, null, 0, 0, text, FirmwareErrors.FlashTooLarge);
                return true;
            }
            // "file.o: in function `main':" only introduces the next line.
            if (text.EndsWith("':", StringComparison.Ordinal) && text.Contains("in function")) return false;

            GccSeverity severity = failed ? GccSeverity.Error : GccSeverity.Warning;
            if (text.StartsWith("warning:", StringComparison.Ordinal))
            {
                severity = GccSeverity.Warning;
                text = text.Substring("warning:".Length).TrimStart();
            }
            else if (text.StartsWith("error:", StringComparison.Ordinal))
            {
                severity = GccSeverity.Error;
                text = text.Substring("error:".Length).TrimStart();
            }
            else if (!failed && text.IndexOf("warning", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return false;
            }

            var fileLine = LinkerFileLine.Match(text);
            if (fileLine.Success && !fileLine.Groups["file"].Value.Contains(" "))
            {
                diagnostic = new GccDiagnostic(severity, fileLine.Groups["file"].Value, Int(fileLine.Groups["line"].Value), 0,
                    fileLine.Groups["msg"].Value, FirmwareErrors.LinkFailed);
                return true;
            }
            diagnostic = new GccDiagnostic(severity, null, 0, 0, text, FirmwareErrors.LinkFailed);
            return true;
        }

        private static GccSeverity Severity(string text)
        {
            text = text.ToLowerInvariant();
            return text == "warning" ? GccSeverity.Warning : text == "note" ? GccSeverity.Note : GccSeverity.Error;
        }

        private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
