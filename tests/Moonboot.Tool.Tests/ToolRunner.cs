using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using Moonboot.Tool;
using Spectre.Console;
using Xunit;

namespace Moonboot.Tool.Tests
{
    /// <summary>What one run of the tool printed and returned.</summary>
    public sealed record ToolResult(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";

        /// <summary>Asserts a failure: the exit code, one line on stderr with the code, no stack trace.</summary>
        public void AssertFails(int exitCode, string code)
        {
            Assert.True(ExitCode == exitCode, $"expected exit {exitCode}, got: {this}");
            var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, "expected exactly one error line: " + this);
            Assert.StartsWith($"moonboot: error {code}: ", lines[0]);
            Assert.DoesNotContain("   at ", Error);
        }

        public void AssertOk()
        {
            Assert.True(ExitCode == 0, "expected success: " + this);
            Assert.Equal("", Error);
        }
    }

    /// <summary>Runs the tool in-process, with a non-interactive wide console, so tests see exactly what a pipe sees.</summary>
    public static class ToolRunner
    {
        public static ToolResult Run(params string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(output),
            });
            console.Profile.Width = 200;
            int exit = Cli.Run(args, new ToolContext(console, output, error, interactive: false));
            return new ToolResult(exit, output.ToString(), error.ToString());
        }
    }

    /// <summary>A scratch folder per test, deleted afterwards.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "moonboot-tool-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }
        public string this[string name] => System.IO.Path.Combine(Path, name);
        public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
    }

    /// <summary>Layouts for the tests: the sample's (QEMU mps2-an386), as text, as an assembly and as a project.</summary>
    public static class Layouts
    {
        /// <summary>The layout.txt the SDK writes for samples/QemuUpdate: 64 KiB boot bank, 65 KiB update bank, 1 KiB pages.</summary>
        public const string Qemu =
            "moonboot-layout 1\nconfig Memory\nflash_origin 0x21000000\nram_origin 0x20000000\npage_size 1024\nwrite_size 8\n" +
            "erased_value 0x000000FF\nhas_ram_state true\n" +
            "bank Bootloader role=Bootloader unit=Internal location=0x00000000 size=16384\n" +
            "bank State role=State unit=Internal location=0x00004000 size=6144\n" +
            "bank Boot role=Boot unit=Internal location=0x00008000 size=65536\n" +
            "bank Update role=Update unit=Internal location=0x00018000 size=66560\n" +
            "bank Ram role=Ram unit=Internal location=0x00000000 size=4194304\n";

        public const int QemuMaxImage = 65536;

        public static string WriteText(TempDir dir, string text = Qemu, string name = "layout.txt")
        {
            File.WriteAllText(dir[name], text);
            return dir[name];
        }

        /// <summary>
        /// A config assembly as the generator leaves it: type Moonboot.Generated.MoonbootLayoutManifest with the const
        /// string field Text. Emitted here, so the test needs no SDK build.
        /// </summary>
        public static string WriteAssembly(string path, string manifest = Qemu)
        {
            var builder = new PersistedAssemblyBuilder(new AssemblyName(System.IO.Path.GetFileNameWithoutExtension(path)), typeof(object).Assembly);
            var module = builder.DefineDynamicModule("config");
            var type = module.DefineType("Moonboot.Generated.MoonbootLayoutManifest", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
            var field = type.DefineField("Text", typeof(string), FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.Literal);
            field.SetConstant(manifest);
            type.CreateType();
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            builder.Save(path);
            return path;
        }
    }

    /// <summary>
    /// MCUboot's imgtool, found as the tests of issue 9 find it: $MOONBOOT_IMGTOOL, then `imgtool` on PATH (pip's),
    /// then the oracle copy in ../shared/oracles/imgtool run by Debian's /usr/bin/python3.
    /// </summary>
    public static class Imgtool
    {
        private static readonly Lazy<(string File, string Prefix, string Source)> Found = new(Find);

        public static string Source => Found.Value.Source;

        private static (string, string, string) Find()
        {
            var env = Environment.GetEnvironmentVariable("MOONBOOT_IMGTOOL");
            if (!string.IsNullOrWhiteSpace(env))
            {
                var parts = env.Trim().Split(' ', 2);
                return (parts[0], parts.Length > 1 ? parts[1] : "", "$MOONBOOT_IMGTOOL (" + env + ")");
            }
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            {
                var candidate = System.IO.Path.Combine(dir, "imgtool");
                if (dir.Length > 0 && File.Exists(candidate)) return (candidate, "", "imgtool on PATH (" + candidate + ")");
            }
            var root = typeof(Imgtool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
            var script = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared", "oracles", "imgtool", "imgtool.py"));
            if (!File.Exists(script)) throw new InvalidOperationException("imgtool not found: set MOONBOOT_IMGTOOL, put imgtool on PATH, or provide " + script);
            return ("/usr/bin/python3", "\"" + script + "\"", "the oracle copy (/usr/bin/python3 " + script + ")");
        }

        public static (int ExitCode, string Output) Run(string arguments)
        {
            var (file, prefix, _) = Found.Value;
            var info = new ProcessStartInfo(file, (prefix + " " + arguments).Trim())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }

        public static string MustRun(string arguments)
        {
            var (exit, output) = Run(arguments);
            Assert.True(exit == 0, $"imgtool {arguments} failed ({exit}): {output}");
            return output;
        }
    }
}
