using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>Finds the tools of a GNU Arm toolchain: <c>$(MoonbootToolchainPath)</c> (or its bin/), else PATH.</summary>
    internal static class Toolchain
    {
        public const string AptPackages = "gcc-arm-none-eabi libnewlib-arm-none-eabi";

        public static string? Find(string? toolchainPath, string prefix, string tool)
        {
            string name = prefix + tool + (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".exe" : "");
            var directories = new List<string>();
            if (!string.IsNullOrWhiteSpace(toolchainPath))
            {
                directories.Add(toolchainPath!);
                directories.Add(Path.Combine(toolchainPath!, "bin"));
            }
            else
            {
                foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
                {
                    if (dir.Length > 0) directories.Add(dir);
                }
            }
            foreach (string dir in directories)
            {
                string candidate;
                try { candidate = Path.Combine(dir, name); }
                catch (ArgumentException) { continue; }
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            }
            return null;
        }

        public static string NotFoundMessage(string? toolchainPath, string prefix, string tool)
        {
            string where = string.IsNullOrWhiteSpace(toolchainPath)
                ? "on PATH"
                : $"in MoonbootToolchainPath '{toolchainPath}' (or its bin/ folder)";
            return $"The Arm toolchain was not found: '{prefix}{tool}' is not {where}. " +
                   $"Install it (Debian/Ubuntu: sudo apt-get install {AptPackages}), " +
                   "or set the MSBuild property MoonbootToolchainPath to the folder that holds it " +
                   $"(and MoonbootToolchainPrefix if its tools are not named '{prefix}*').";
        }
    }

    /// <summary>Quotes arguments so that .NET's and the C runtime's command-line parsers give them back unchanged.</summary>
    internal static class CommandLine
    {
        public static string Join(IEnumerable<string> arguments)
        {
            var text = new StringBuilder();
            foreach (string argument in arguments)
            {
                if (text.Length > 0) text.Append(' ');
                Append(text, argument);
            }
            return text.ToString();
        }

        private static void Append(StringBuilder text, string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '"', '\'' }) < 0)
            {
                text.Append(argument);
                return;
            }
            text.Append('"');
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"')
                {
                    text.Append('\\', backslashes * 2 + 1).Append('"');
                }
                else
                {
                    text.Append('\\', backslashes).Append(c);
                }
                backslashes = 0;
            }
            text.Append('\\', backslashes * 2).Append('"');
        }
    }
}
