using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>
    /// Links the objects into an ELF with gcc as the linker driver: the CPU flags, <c>-nostdlib</c>, garbage collection
    /// of unused sections, a map file, each linker script with <c>-T</c> (their folders with <c>-L</c>, so a script
    /// can INCLUDE another by name), then the libraries. Linker messages become MSBuild diagnostics; a region overflow
    /// is MBS2002 (flash) or MBS2003 (RAM), anything else MBS2004.
    /// </summary>
    public sealed class LinkMoonbootFirmware : ToolTask
    {
        [Required] public string Compiler { get; set; } = "";
        [Required] public ITaskItem[] ObjectFiles { get; set; } = Array.Empty<ITaskItem>();
        [Required] public string OutputFile { get; set; } = "";
        public string? MapFile { get; set; }
        /// <summary>Scripts passed in order with -T (the generated memory.x, then the SDK's section script).</summary>
        public ITaskItem[] LinkerScripts { get; set; } = Array.Empty<ITaskItem>();
        public ITaskItem[] LibraryDirectories { get; set; } = Array.Empty<ITaskItem>();
        /// <summary>Library names for -l (gcc, c_nano, ...), linked in a group after the objects.</summary>
        public string[] Libraries { get; set; } = Array.Empty<string>();
        /// <summary>CPU flags and user MoonbootLinkFlags, one per item.</summary>
        public string[] Flags { get; set; } = Array.Empty<string>();

        protected override string ToolName => Path.GetFileName(Compiler);

        protected override string GenerateFullPathToTool() => Compiler;

        protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

        private readonly List<string> _lines = new List<string>();

        internal IReadOnlyList<string> Arguments()
        {
            var args = new List<string>();
            foreach (string flag in Flags)
            {
                if (!string.IsNullOrWhiteSpace(flag)) args.Add(flag.Trim());
            }
            args.Add("-nostdlib");
            args.Add("-Wl,--gc-sections");
            // No page alignment of the output: otherwise ld puts the ELF and program headers in the first PT_LOAD
            // segment, below the bank, and segment loaders (OpenOCD program, pyOCD, probe-rs) write them into the
            // page before it: the State bank or the bootloader (cortex-m-quickstart does the same).
            args.Add("-Wl,--nmagic");
            if (!string.IsNullOrEmpty(MapFile)) args.Add("-Wl,-Map=" + Path.GetFullPath(MapFile));
            var seen = new HashSet<string>();
            foreach (var script in LinkerScripts)
            {
                string dir = Path.GetDirectoryName(Path.GetFullPath(script.ItemSpec))!;
                if (seen.Add(dir)) args.Add("-L" + dir);
            }
            foreach (var dir in LibraryDirectories)
            {
                string full = Path.GetFullPath(dir.ItemSpec).TrimEnd('/', '\\');
                if (seen.Add(full)) args.Add("-L" + full);
            }
            foreach (var script in LinkerScripts)
            {
                args.Add("-T" + Path.GetFullPath(script.ItemSpec));
            }
            foreach (var obj in ObjectFiles)
            {
                args.Add(Path.GetFullPath(obj.ItemSpec));
            }
            if (Libraries.Length > 0)
            {
                args.Add("-Wl,--start-group");
                foreach (string lib in Libraries)
                {
                    if (!string.IsNullOrWhiteSpace(lib)) args.Add("-l" + lib.Trim());
                }
                args.Add("-Wl,--end-group");
            }
            args.Add("-o");
            args.Add(Path.GetFullPath(OutputFile));
            return args;
        }

        protected override string GenerateCommandLineCommands() => CommandLine.Join(Arguments());

        public override bool Execute()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile))!);
            bool ok = base.Execute();
            // Parse once the exit code is known: on failure every linker line is an error.
            bool failed = !ok || ExitCode != 0;
            foreach (string line in _lines)
            {
                if (!GccDiagnosticParser.TryParseLinkerLine(line, failed, out var d))
                {
                    Log.LogMessage(MessageImportance.Normal, "{0}", line);
                    continue;
                }
                string? help = d.Code != null ? Moonboot.Layout.HelpLinks.For(d.Code) : null;
                if (d.Severity == GccSeverity.Error)
                {
                    Log.LogError("ld", d.Code, null, help, d.File ?? OutputFile, d.Line, d.Column, 0, 0, "{0}", d.Message);
                }
                else if (d.Severity == GccSeverity.Warning)
                {
                    Log.LogWarning("ld", d.Code, null, help, d.File ?? OutputFile, d.Line, d.Column, 0, 0, "{0}", d.Message);
                }
                else
                {
                    Log.LogMessage(MessageImportance.Normal, "{0}", d.Message);
                }
            }
            if (failed && !Log.HasLoggedErrors)
            {
                Log.Error(FirmwareErrors.LinkFailed, OutputFile, $"Linking failed: '{ToolName}' exited with code {ExitCode}.", subcategory: "ld");
            }
            if (failed && File.Exists(OutputFile))
            {
                // Never leave a half-linked ELF that looks up to date.
                File.Delete(OutputFile);
            }
            return !Log.HasLoggedErrors;
        }

        protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
        {
            _lines.Add(singleLine);
        }

        // Errors come from LogEventsFromTextOutput and Execute; no generic MSB6006 on top.
        protected override bool HandleTaskExecutionErrors() => !Log.HasLoggedErrors && ExitCode == 0;
    }

    /// <summary>Writes a raw binary (<c>Format=binary</c>) or Intel HEX (<c>Format=ihex</c>) image of an ELF with objcopy.</summary>
    public sealed class MoonbootObjcopy : ToolTask
    {
        [Required] public string Objcopy { get; set; } = "";
        [Required] public string InputFile { get; set; } = "";
        [Required] public string OutputFile { get; set; } = "";
        [Required] public string Format { get; set; } = "binary";

        protected override string ToolName => Path.GetFileName(Objcopy);

        protected override string GenerateFullPathToTool() => Objcopy;

        protected override string GenerateCommandLineCommands() =>
            CommandLine.Join(new[] { "-O", Format, Path.GetFullPath(InputFile), Path.GetFullPath(OutputFile) });

        protected override bool HandleTaskExecutionErrors()
        {
            if (!Log.HasLoggedErrors)
            {
                Log.Error(FirmwareErrors.ToolFailed, OutputFile, $"'{ToolName} -O {Format}' exited with code {ExitCode}.");
            }
            return false;
        }
    }
}
