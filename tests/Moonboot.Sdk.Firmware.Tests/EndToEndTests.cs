using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Moonboot.Sdk.Tasks.Firmware;
using Xunit;
using Xunit.Abstractions;

namespace Moonboot.Sdk.Firmware.Tests;

/// <summary>
/// The packed Moonboot.Sdk, consumed from a local feed by a temp solution with a config project, a bootloader and an
/// application, built with a real `dotnet build` process.
/// </summary>
public partial class EndToEndTests
{
    private readonly ITestOutputHelper _output;

    public EndToEndTests(ITestOutputHelper output) => _output = output;

    private const string Config = """
        using Moonboot;

        [MoonbootConfig(FlashOrigin = 0x2100_0000, RamOrigin = 0x2000_0000, PageSize = 1024, WriteSize = 8)]
        public static partial class Memory
        {
            [Bank(BankRole.Bootloader, Location = 0x0_0000)] public const uint Bootloader = 16 * 1024;
            [Bank(BankRole.State, Location = 0x0_4000)] public const uint State = 6 * 1024;
            [Bank(BankRole.Boot, Location = 0x0_8000)] public const uint Boot = 64 * 1024;
            [Bank(BankRole.Update, Location = 0x1_8000)] public const uint Update = 64 * 1024;
            [Bank(BankRole.Ram, Location = 0)] public const uint Ram = 4 * 1024 * 1024;
        }
        """;

    private const string BootMain = """
        #include "moonboot_layout.h"
        int main(void) { return MOONBOOT_PAGE_SIZE == 1024 ? 0 : 1; }
        """;

    private const string AppMain = """
        #include "moonboot_layout.h"
        #include "app_util.h"
        int main(void) { return twice(MOONBOOT_WRITE_SIZE) == 16 ? 0 : 1; }
        """;

    private sealed class Workspace
    {
        public Workspace(string root) => Root = root;
        public string Root { get; }
        public string P(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());
    }

    private static Workspace Create(string name, string config = Config, string properties = "")
    {
        var (feed, version) = SdkPackage.Get();
        var ws = new Workspace(Arm.TempDirectory(name));
        File.WriteAllText(ws.P("global.json"),
            "{ \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" }, \"msbuild-sdks\": { \"Moonboot.Sdk\": \"" + version + "\" } }\n");
        string upstream = SdkPackage.UpstreamSource();
        File.WriteAllText(ws.P("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="packages" /></config>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                {(upstream.Length > 0 ? $"<add key=\"upstream\" value=\"{upstream}\" />" : "")}
              </packageSources>
            </configuration>
            """);
        // Nothing from the repository's own Directory.*.props leaks in: the temp folder is outside it.
        Directory.CreateDirectory(ws.P("Config"));
        File.WriteAllText(ws.P("Config", "Config.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Moonboot.Sdk" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(ws.P("Config", "Memory.cs"), config);
        foreach (var (project, role, main) in new[] { ("Boot", "Bootloader", BootMain), ("App", "Application", AppMain) })
        {
            Directory.CreateDirectory(ws.P(project));
            File.WriteAllText(ws.P(project, project + ".csproj"), $"""
                <Project Sdk="Moonboot.Sdk">
                  <PropertyGroup>
                    <MoonbootRole>{role}</MoonbootRole>{properties}
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="../Config/Config.csproj" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(ws.P(project, "main.c"), main);
        }
        Directory.CreateDirectory(ws.P("App", "src"));
        File.WriteAllText(ws.P("App", "app_util.h"), "int twice(int x);\n");
        File.WriteAllText(ws.P("App", "src", "util.c"), "#include \"app_util.h\"\nint twice(int x) { return 2 * x; }\n");

        // A .sln with the application first: the order comes from the ProjectReferences, not from the file.
        var (rc, output) = Dotnet(ws, "new sln -n Firmware --format sln");
        Assert.True(rc == 0, output);
        (rc, output) = Dotnet(ws, "sln Firmware.sln add App/App.csproj Boot/Boot.csproj Config/Config.csproj");
        Assert.True(rc == 0 && File.ReadAllText(ws.P("Firmware.sln")).Contains("Boot.csproj"), output);
        return ws;
    }

    private static (int ExitCode, string Output) Dotnet(Workspace ws, string arguments) =>
        Arm.Run("dotnet", arguments, ws.Root, SdkPackage.CleanEnvironment());

    private (int ExitCode, string Output, double Seconds) Build(Workspace ws, string what = "Firmware.sln")
    {
        var watch = Stopwatch.StartNew();
        var (rc, output) = Dotnet(ws, $"build {what} -nodeReuse:false -p:UseSharedCompilation=false -v:n");
        watch.Stop();
        _output.WriteLine($"dotnet build {what}: exit {rc}, {watch.Elapsed.TotalSeconds:0.00} s");
        return (rc, output, watch.Elapsed.TotalSeconds);
    }

    private static Dictionary<string, DateTime> Objects(Workspace ws) =>
        Directory.GetFiles(ws.Root, "*.o", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "packages" + Path.DirectorySeparatorChar))
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);

    private static uint SectionAddress(string elf, string section)
    {
        var (rc, output) = Arm.Run(Arm.Readelf!, "-S -W " + elf, Path.GetDirectoryName(elf)!);
        Assert.True(rc == 0, output);
        var m = Regex.Match(output, @"\]\s+" + Regex.Escape(section) + @"\s+\S+\s+([0-9a-f]{8})");
        Assert.True(m.Success, $"no {section} in {elf}:\n{output}");
        return Convert.ToUInt32(m.Groups[1].Value, 16);
    }

    [ToolchainFact]
    public void Solution_builds_config_bootloader_and_application_in_order_and_incrementally()
    {
        var ws = Create("e2e");
        var full = Build(ws);
        Assert.True(full.ExitCode == 0, full.Output);
        _output.WriteLine(string.Join("\n", full.Output.Split('\n').Where(l => l.Contains("flash "))));

        foreach (var (project, bank) in new[] { ("Boot", 0x21000000u), ("App", 0x21008000u) })
        {
            string bin = ws.P(project, "bin", "Debug");
            foreach (string ext in new[] { ".elf", ".bin", ".hex", ".map", ".size.txt" })
            {
                Assert.True(File.Exists(Path.Combine(bin, project + ext)), $"{project}{ext} missing in {bin}");
            }
            Assert.Empty(Directory.GetFiles(bin, "*.dll"));
            Assert.Equal(bank, SectionAddress(Path.Combine(bin, project + ".elf"), ".isr_vector"));
            // One pass: the firmware builds with the files the config project rendered; under its own obj/moonboot/
            // it keeps byte-identical copies for scripts (the template's run-qemu.sh reads the header there).
            string configDir = ws.P("Config", "obj", "Debug", "net10.0", "moonboot");
            Assert.Equal(File.ReadAllText(Path.Combine(configDir, "include", "moonboot_layout.h")),
                File.ReadAllText(ws.P(project, "obj", "moonboot", "include", "moonboot_layout.h")));
            string role = project == "Boot" ? "bootloader" : "application";
            Assert.Equal(File.ReadAllText(Path.Combine(configDir, role, "memory.x")),
                File.ReadAllText(ws.P(project, "obj", "moonboot", role, "memory.x")));
            Assert.Contains(project + " (" + (project == "Boot" ? "Bootloader" : "Application") + "): flash ", full.Output);
            Assert.StartsWith(":", File.ReadAllText(Path.Combine(bin, project + ".hex")));
        }
        Assert.True(File.Exists(ws.P("Config", "obj", "Debug", "net10.0", "moonboot", "include", "moonboot_layout.h")));
        Assert.Contains("flash.limit: 64512 (largest exchangeable image)", File.ReadAllText(ws.P("App", "bin", "Debug", "App.size.txt")));
        Assert.Contains("flash.limit: 16384 (bootloader bank)", File.ReadAllText(ws.P("Boot", "bin", "Debug", "Boot.size.txt")));

        // No change: no compiler runs, no object is touched.
        var before = Objects(ws);
        Assert.NotEmpty(before);
        var noop = Build(ws);
        Assert.True(noop.ExitCode == 0, noop.Output);
        Assert.DoesNotContain("Compiling ", noop.Output);
        Assert.Equal(2, Regex.Matches(noop.Output, @"All \d+ object\(s\) are up to date; no compiler run\.").Count);
        Assert.Equal(before, Objects(ws));
        _output.WriteLine($"no-op build of the solution: {noop.Seconds:0.00} s");
        var noopBoot = Build(ws, "Boot/Boot.csproj");
        Assert.True(noopBoot.ExitCode == 0, noopBoot.Output);
        _output.WriteLine($"no-op build of the bootloader project: {noopBoot.Seconds:0.00} s");

        // One .c touched: that file alone is compiled again.
        string util = ws.P("App", "src", "util.c");
        File.SetLastWriteTimeUtc(util, DateTime.UtcNow.AddSeconds(2));
        var touched = Build(ws);
        Assert.True(touched.ExitCode == 0, touched.Output);
        Assert.Single(Regex.Matches(touched.Output, @"Compiling 1 of \d+ source file\(s\)\."));
        var after = Objects(ws);
        var changed = after.Where(kv => before[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
        Assert.Equal(new[] { ws.P("App", "obj", "Debug", "moonboot", "objects", "src", "util.c.o") }, changed);

        // A header change recompiles every includer (both App sources), and nothing in Boot.
        File.SetLastWriteTimeUtc(ws.P("App", "app_util.h"), DateTime.UtcNow.AddSeconds(4));
        var header = Build(ws);
        Assert.True(header.ExitCode == 0, header.Output);
        Assert.Single(Regex.Matches(header.Output, @"Compiling 2 of \d+ source file\(s\)\."));

        // dotnet clean removes the firmware outputs.
        var (cleanRc, cleanOutput) = Dotnet(ws, "clean Firmware.sln -nodeReuse:false");
        Assert.True(cleanRc == 0, cleanOutput);
        Assert.False(File.Exists(ws.P("App", "bin", "Debug", "App.elf")));
        Assert.False(File.Exists(ws.P("Boot", "bin", "Debug", "Boot.hex")));
        Assert.Empty(Objects(ws));
    }

    [ToolchainFact]
    public void Compiler_errors_and_oversized_images_fail_the_build_with_file_line_and_code()
    {
        var ws = Create("e2e-errors");
        var ok = Build(ws);
        Assert.True(ok.ExitCode == 0, ok.Output);

        string main = ws.P("App", "main.c");
        File.WriteAllText(main, "#include \"moonboot_layout.h\"\nint main(void) { return 0 }\n");
        var syntax = Build(ws);
        Assert.NotEqual(0, syntax.ExitCode);
        Assert.Matches(new Regex(Regex.Escape(main) + @"\(2,\d+\): gcc error ?: expected ';'"), syntax.Output);
        File.WriteAllText(main, AppMain);

        // 64 KiB boot bank, equal update bank: the largest exchangeable image is 63 KiB; ~63.8 KiB fits the bank only.
        // (main reads the table at an index unknown at build time, so neither LTO nor --gc-sections drops it)
        const string useBig = "extern const unsigned char big[];\nint main(void) { volatile unsigned i = 8; return big[i]; }\n";
        File.WriteAllText(main, useBig);
        File.WriteAllText(ws.P("App", "big.c"), "const unsigned char big[64 * 1024 - 600] = { 1 };\n");
        var tooBig = Build(ws, "App/App.csproj");
        Assert.NotEqual(0, tooBig.ExitCode);
        Assert.Contains("error MBS2002", tooBig.Output);
        _output.WriteLine(string.Join("\n", tooBig.Output.Split('\n').Where(l => l.Contains("MBS2002")).Take(2)));

        File.WriteAllText(ws.P("Boot", "main.c"), useBig);
        File.WriteAllText(ws.P("Boot", "big.c"), "const unsigned char big[17 * 1024] = { 1 };\n");
        var bootTooBig = Build(ws, "Boot/Boot.csproj");
        Assert.NotEqual(0, bootTooBig.ExitCode);
        Assert.Contains("error MBS2002", bootTooBig.Output);

        File.Delete(ws.P("App", "big.c"));
        File.Delete(ws.P("Boot", "big.c"));
        File.WriteAllText(main, AppMain);
        File.WriteAllText(ws.P("Boot", "main.c"), BootMain);
        var fixedBuild = Build(ws);
        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.Output);

        // A layout without a State bank makes valid linker scripts but no updatable firmware: MBS2009.
        string memory = ws.P("Config", "Memory.cs");
        File.WriteAllText(memory, Config.Replace("[Bank(BankRole.State, Location = 0x0_4000)] public const uint State = 6 * 1024;", ""));
        var noState = Build(ws, "Boot/Boot.csproj");
        Assert.NotEqual(0, noState.ExitCode);
        Assert.Contains("error MBS2009", noState.Output);
        Assert.Contains("no State bank", noState.Output);
        File.WriteAllText(memory, Config);

        // No toolchain: MBS2001 names the apt package and the property.
        var noToolchain = Build(ws, "Boot/Boot.csproj -p:MoonbootToolchainPath=/nonexistent/arm");
        Assert.NotEqual(0, noToolchain.ExitCode);
        Assert.Contains("error MBS2001", noToolchain.Output);
        Assert.Contains("gcc-arm-none-eabi libnewlib-arm-none-eabi", noToolchain.Output);
        Assert.Contains("MoonbootToolchainPath", noToolchain.Output);
    }

    [ToolchainFact]
    public void Each_cpu_gets_its_own_flags_and_a_cpu_change_recompiles()
    {
        var ws = Create("e2e-cpu");
        foreach (var (cpu, architecture, hardFloat) in new[]
                 { ("cortex-m0plus", "6S-M", false), ("cortex-m3", "7-M", false), ("cortex-m4", "7E-M", true), ("cortex-m33", "8-M.MAIN", true) })
        {
            var build = Build(ws, $"Boot/Boot.csproj -p:MoonbootCpu={cpu}");
            Assert.True(build.ExitCode == 0, build.Output);
            Assert.Matches(@"Compiling (\d+) of \1 source file", build.Output);
            var (rc, attributes) = Arm.Run(Arm.Readelf!, "-A " + ws.P("Boot", "bin", "Debug", "Boot.elf"), ws.Root);
            Assert.True(rc == 0, attributes);
            Assert.Contains($"Tag_CPU_name: \"{architecture}\"", attributes);
            Assert.Equal(hardFloat, attributes.Contains("Tag_ABI_VFP_args: VFP registers"));
        }
    }

    /// <summary>
    /// The layouts of the template (QEMU and STM32L4, whose boot bank at 0x08009800 is not 4 KiB aligned) and one more
    /// with 1 KiB pages (boot bank at 0x21004800), as the template's Common/Memory.cs declares them.
    /// </summary>
    public static TheoryData<string> SegmentLayouts() => new() { "qemu-template", "stm32l4-template", "qemu-1k-pages" };

    private static string TemplateLayout(bool qemu)
    {
        // The template's own file, with its #if (isQemu) / #if (hasRamState) resolved the way dotnet new does.
        var lines = File.ReadAllLines(Path.Combine(Arm.RepositoryRoot, "templates", "Moonboot.Templates", "content",
            "moonboot-board", "Common", "Memory.cs"));
        var kept = new List<string>();
        var stack = new Stack<(bool Parent, bool Taken, bool Active)>();
        bool active = true;
        foreach (var line in lines)
        {
            string t = line.Trim();
            if (t.StartsWith("#if ("))
            {
                bool value = t.Contains("isQemu") ? qemu : t.Contains("hasRamState");
                stack.Push((active, value, active && value));
                active = active && value;
            }
            else if (t == "#else")
            {
                var top = stack.Pop();
                stack.Push((top.Parent, true, top.Parent && !top.Taken));
                active = top.Parent && !top.Taken;
            }
            else if (t == "#endif")
            {
                active = stack.Pop().Parent;
            }
            else if (active)
            {
                kept.Add(line);
            }
        }
        return string.Join("\n", kept).Replace("namespace MoonbootDevice.Common;", "");
    }

    private const string OneKiBPages = """
        using Moonboot;

        [MoonbootConfig(FlashOrigin = 0x2100_0000, RamOrigin = 0x2000_0000, PageSize = 1024, WriteSize = 8)]
        public static partial class Memory
        {
            [Bank(BankRole.Bootloader, Location = 0x0_0000)] public const uint Bootloader = 15 * 1024;
            [Bank(BankRole.State, Location = 0x0_3C00)] public const uint State = 3 * 1024;
            [Bank(BankRole.Boot, Location = 0x0_4800)] public const uint Boot = 32 * 1024;
            [Bank(BankRole.Update, Location = 0x0_C800)] public const uint Update = 33 * 1024;
            [Bank(BankRole.Ram, Location = 0)] public const uint Ram = 64 * 1024;
        }
        """;

    /// <summary>
    /// Issue 8, finding 6: OpenOCD's program, pyOCD and probe-rs write every PT_LOAD segment of an ELF. A segment that
    /// starts before the bank (the ELF header and padding, when the linker puts them in the first segment) writes
    /// the page before it: the State bank's last page, or the bootloader's. Each ELF the SDK builds is loaded here,
    /// segment by segment, into an image of the whole flash, and nothing outside its own bank may change.
    /// </summary>
    [ToolchainTheory]
    [MemberData(nameof(SegmentLayouts))]
    public void Every_load_segment_of_every_elf_stays_inside_its_bank(string layout)
    {
        var (config, board) = layout switch
        {
            "qemu-template" => (TemplateLayout(qemu: true), "qemu-mps2-an386"),
            "stm32l4-template" => (TemplateLayout(qemu: false), "stm32l4"),
            _ => (OneKiBPages, "qemu-mps2-an386"),
        };
        var ws = Create("e2e-segments-" + layout, config, $"\n    <MoonbootBoard>{board}</MoonbootBoard>");
        var build = Build(ws);
        Assert.True(build.ExitCode == 0, build.Output);

        string layoutText = File.ReadAllText(ws.P("Config", "obj", "Debug", "net10.0", "moonboot", "layout.txt"));
        var resolved = new Moonboot.Layout.ResolvedLayout(Moonboot.Layout.LayoutManifest.Read(layoutText));
        var flash = resolved.Banks.Where(b => !b.Spec.IsRam && b.Unit == Moonboot.Layout.MemoryUnit.Internal).ToList();
        ulong flashStart = flash.Min(b => b.Origin), flashEnd = flash.Max(b => b.End);
        foreach (var (project, role) in new[] { ("Boot", Moonboot.Layout.BankRole.Bootloader), ("App", Moonboot.Layout.BankRole.Boot) })
        {
            var bank = resolved.Get(role);
            byte[] elf = File.ReadAllBytes(ws.P(project, "bin", "Debug", project + ".elf"));
            var image = Enumerable.Repeat((byte)0xA5, checked((int)(flashEnd - flashStart))).ToArray();
            var before = (byte[])image.Clone();
            var segments = ElfImage.ReadLoadSegments(elf);
            Assert.Contains(segments, s => s.FileSize > 0);
            foreach (var segment in segments.Where(s => s.FileSize > 0))
            {
                Assert.True(segment.PAddr >= flashStart && segment.PAddr + (ulong)segment.FileSize <= flashEnd,
                    $"{project}: segment at 0x{segment.PAddr:x8}+{segment.FileSize} is outside the internal flash");
                Array.Copy(elf, segment.Offset, image, (long)(segment.PAddr - flashStart), segment.FileSize);
            }
            for (ulong a = flashStart; a < flashEnd; a++)
            {
                if (a >= bank.Origin && a < bank.End) continue;
                int i = (int)(a - flashStart);
                Assert.True(image[i] == before[i],
                    $"{project}: loading its segments wrote 0x{a:x8}, outside its bank {bank.Name} " +
                    $"(0x{bank.Origin:x8}..0x{bank.End:x8}); segments: " +
                    string.Join(", ", segments.Select(s => $"off 0x{s.Offset:x} paddr 0x{s.PAddr:x8} filesz {s.FileSize}")));
            }
            // And no segment holds the ELF's own file header (file offset 0).
            Assert.DoesNotContain(segments, s => s.FileSize > 0 && s.Offset == 0);
        }
    }
}

/// <summary>The Moonboot.Sdk package under test: $MOONBOOT_PACKAGES (build/test-dotnet.sh packs there), else packed now.</summary>
internal static class SdkPackage
{
    private static readonly Lazy<(string Feed, string Version)> Package = new(Find);

    public static (string Feed, string Version) Get() => Package.Value;

    private static (string, string) Find()
    {
        string? feed = Environment.GetEnvironmentVariable("MOONBOOT_PACKAGES");
        if (string.IsNullOrEmpty(feed) || !Directory.Exists(feed) || !Directory.GetFiles(feed, "Moonboot.Sdk.*.nupkg").Any())
        {
            feed = Arm.TempDirectory("feed");
            string version = "0.1.0-fwtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            var (rc, output) = Arm.Run("bash", $"build/pack.sh {version} {feed}", Arm.RepositoryRoot, CleanEnvironment());
            Assert.True(rc == 0, "build/pack.sh failed:\n" + output);
        }
        string newest = Directory.GetFiles(feed, "Moonboot.Sdk.*.nupkg").OrderBy(File.GetLastWriteTimeUtc).Last();
        string name = Path.GetFileNameWithoutExtension(newest);
        return (feed, name.Substring("Moonboot.Sdk.".Length));
    }

    /// <summary>The machine's first enabled package source, so the temp solution restores like any project here.</summary>
    public static string UpstreamSource()
    {
        var (rc, output) = Arm.Run("dotnet", "nuget list source --format short", Path.GetTempPath(), CleanEnvironment());
        if (rc != 0) return "";
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("E ", StringComparison.Ordinal));
        return line == null ? "" : line.Substring(2).Trim();
    }

    /// <summary>No MSBuild state of the test host leaks into the child builds.</summary>
    public static IDictionary<string, string> CleanEnvironment()
    {
        var env = new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBuildExtensionsPath"] = "",
            ["MSBUILD_EXE_PATH"] = "",
            ["MSBuildSDKsPath"] = "",
            ["MSBuildLoadMicrosoftTargetsReadOnly"] = "",
            ["VSTEST_HOST_DEBUG"] = "",
        };
        return env;
    }
}
