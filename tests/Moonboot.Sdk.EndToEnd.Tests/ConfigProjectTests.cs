using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Moonboot.Sdk.EndToEnd.Tests;

[Collection(PackageFeedCollection.Name)]
public sealed class ConfigProjectTests
{
    private readonly PackageFeed _feed;
    private readonly ITestOutputHelper _log;

    public ConfigProjectTests(PackageFeed feed, ITestOutputHelper log)
    {
        _feed = feed;
        _log = log;
        _log.WriteLine($"Moonboot.Sdk {feed.Version} from {feed.Folder} (pack: {feed.PackTime.TotalSeconds:F1} s)");
    }

    private ProcessResult Succeeds(ProcessResult result, string what)
    {
        _log.WriteLine($"{what}: exit {result.ExitCode}, {result.Elapsed.TotalSeconds:F1} s");
        // On failure the whole output is shown, including the SDK resolver's messages (MSB4236 alone says little).
        Assert.True(result.ExitCode == 0, $"{what} failed:\n{result}");
        return result;
    }

    private static string Read(string path) => File.ReadAllText(path);

    private static void AssertRegenerated(ProcessResult result) =>
        Assert.DoesNotContain("Skipping target \"MoonbootGenerateLayout\"", result.Output);

    [Fact]
    public void Seed_config_generates_scripts_and_header_and_is_incremental_and_cleanable()
    {
        using var project = new ConsumerProject(_feed, "seed");

        // 1. First build: every file, with the issue's numbers.
        var first = Succeeds(project.Build(), "first build");
        string bootloader = Read(project.BootloaderScript);
        string application = Read(project.ApplicationScript);
        string header = Read(project.Header);
        Assert.Contains("    FLASH : ORIGIN = 0x08000000, LENGTH = 32768\n", bootloader);
        Assert.Contains("    FLASH : ORIGIN = 0x08008000, LENGTH = 114688\n", application);
        foreach (var script in new[] { bootloader, application })
        {
            Assert.Contains("    RAM : ORIGIN = 0x20000000, LENGTH = 163808\n", script);
            Assert.Contains("    MOONBOOT_STATE : ORIGIN = 0x20027fe0, LENGTH = 32\n", script);
            Assert.Contains("_moonboot_state_start = ORIGIN(MOONBOOT_STATE);", script);
            Assert.Contains("_moonboot_state_size = LENGTH(MOONBOOT_STATE);", script);
            Assert.Contains("_moonboot_max_image_size = 112640;", script);
        }
        Assert.Contains("ASSERT(_moonboot_image_end - ORIGIN(FLASH) <= _moonboot_max_image_size", application);
        // The state region ends exactly at the top of the RAM bank.
        Assert.Contains("#define MOONBOOT_RAM_STATE_ORIGIN 0x20027fe0u", header);
        Assert.Contains("#define MOONBOOT_RAM_STATE_SIZE 32u", header);
        Assert.Equal(0x2002_8000u, Macro(header, "MOONBOOT_RAM_BANK_ORIGIN") + Macro(header, "MOONBOOT_RAM_BANK_SIZE"));
        Assert.Equal(0x2002_8000u, Macro(header, "MOONBOOT_RAM_STATE_ORIGIN") + Macro(header, "MOONBOOT_RAM_STATE_SIZE"));
        Assert.Equal(56u, Macro(header, "MOONBOOT_BOOT_BANK_PAGE_COUNT"));
        Assert.Contains("MoonbootGenerateLayout:", first.Output);

        // 2. No change: the generation targets are skipped and nothing is rewritten.
        var stamps = project.GeneratedFiles.ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var second = Succeeds(project.Build(), "second build (no change)");
        Assert.Contains("Skipping target \"MoonbootGenerateLayout\" because all output files are up-to-date", second.Output);
        foreach (var (file, stamp) in stamps) Assert.Equal(stamp, File.GetLastWriteTimeUtc(file));

        // 2b. An edit that recompiles but keeps the layout: the layout is read and rendered again in one pass, but
        // no file is rewritten (same text), so nothing that depends on them reruns.
        project.EditConfig("public static partial class Memory\n", "// a comment\npublic static partial class Memory\n");
        var comment = Succeeds(project.Build(), "build after a comment-only edit");
        Assert.DoesNotContain("Skipping target \"MoonbootGenerateLayout\"", comment.Output);
        foreach (var (file, stamp) in stamps) Assert.Equal(stamp, File.GetLastWriteTimeUtc(file));

        // 3. Editing the config regenerates.
        project.EditConfig("RamSize = 160 * 1024", "RamSize = 128 * 1024");
        var third = Succeeds(project.Build(), "build after editing the config");
        AssertRegenerated(third);
        Assert.Contains("    RAM : ORIGIN = 0x20000000, LENGTH = 131040\n", Read(project.ApplicationScript));
        Assert.Contains("    MOONBOOT_STATE : ORIGIN = 0x2001ffe0, LENGTH = 32\n", Read(project.BootloaderScript));
        Assert.Contains("#define MOONBOOT_RAM_BANK_SIZE 131072u", Read(project.Header));

        // 4. dotnet clean removes every generated file.
        Succeeds(project.Dotnet("clean"), "dotnet clean");
        foreach (var file in project.GeneratedFiles) Assert.False(File.Exists(file), $"{file} survived dotnet clean");
    }

    [Fact]
    public void Overlapping_banks_fail_the_build_with_MB0001_at_the_bank_line()
    {
        using var project = new ConsumerProject(_feed, "overlap");
        project.EditConfig("[Bank(BankRole.Update,     Location = BootloaderSize + BankSize)]",
                           "[Bank(BankRole.Update,     Location = BootloaderSize)]           ");
        var result = project.Build();
        _log.WriteLine($"build: exit {result.ExitCode}, {result.Elapsed.TotalSeconds:F1} s");
        Assert.True(result.ExitCode != 0, "the build should fail:\n" + result);
        Assert.Matches(new Regex(@"Memory\.cs\(12,\d+\): error MB0001\b"), result.Output);
        Assert.False(File.Exists(project.ApplicationScript), "no linker script may be generated from an invalid layout");
    }

    [Fact]
    public void A_config_project_without_a_config_class_fails_with_MBS1001_saying_how_to_fix_it()
    {
        using var project = new ConsumerProject(_feed, "noconfig");
        project.WriteConfig("public static class NotALayout { public const uint X = 1; }\n");
        var result = project.Build();
        Assert.True(result.ExitCode != 0, "the build should fail:\n" + result);
        Assert.Matches(new Regex(@"error MBS1001: .*\[MoonbootConfig\]"), result.Output);

        // The documented opt-out turns the check off.
        project.WriteProjectFile("    <MoonbootGenerateLayout>false</MoonbootGenerateLayout>\n");
        Succeeds(project.Build(), "build with MoonbootGenerateLayout=false");
    }

    [Fact]
    public void A_user_template_overrides_the_shipped_one_and_template_errors_name_file_and_line()
    {
        using var project = new ConsumerProject(_feed, "template");
        string template = Path.Combine(project.ConfigDirectory, "app.memory.x.scriban");
        File.WriteAllText(template, "/* mine */\nMEMORY { FLASH : ORIGIN = {{ hex flash.origin }}, LENGTH = {{ dec flash.size }} }\n");
        project.WriteProjectFile("    <MoonbootApplicationLinkerTemplate>$(MSBuildProjectDirectory)/app.memory.x.scriban</MoonbootApplicationLinkerTemplate>\n");
        Succeeds(project.Build(), "build with a user template");
        Assert.Equal("/* mine */\nMEMORY { FLASH : ORIGIN = 0x08008000, LENGTH = 114688 }\n", Read(project.ApplicationScript));
        Assert.Contains("    FLASH : ORIGIN = 0x08000000, LENGTH = 32768\n", Read(project.BootloaderScript));

        // Editing the template alone regenerates; a broken template is an error at its own file and line.
        File.WriteAllText(template, "/* mine */\n{{ flash.no_such_member | dec }}\n");
        var broken = project.Build();
        Assert.True(broken.ExitCode != 0, "the build should fail:\n" + broken);
        Assert.Matches(new Regex(@"app\.memory\.x\.scriban\(2,\d+\): error MBS1006"), broken.Output);
    }

    [Fact]
    public void GetMoonbootLayout_returns_the_layout_file_with_the_generated_paths()
    {
        using var project = new ConsumerProject(_feed, "getlayout");
        // What a firmware project does with its ProjectReference (restored and built by the reference): ask for the
        // layout. Restore runs first here because asker.proj is not a .NET project that would restore its references.
        Succeeds(project.Dotnet("restore"), "restore");
        File.WriteAllText(Path.Combine(project.Root, "asker.proj"),
            "<Project>\n" +
            "  <Target Name=\"Ask\">\n" +
            "    <MSBuild Projects=\"config/Config.csproj\" Targets=\"Build;GetMoonbootLayout\">\n" +
            "      <Output TaskParameter=\"TargetOutputs\" ItemName=\"Layout\" />\n" +
            "    </MSBuild>\n" +
            "    <Message Importance=\"high\" Text=\"LAYOUT=%(Layout.FullPath)|%(Layout.ApplicationLinkerScript)|%(Layout.LayoutHeader)\" Condition=\"'%(Layout.Extension)' == '.txt'\" />\n" +
            "  </Target>\n" +
            "</Project>\n");
        var result = Succeeds(ProcessRunner.Run("dotnet",
            new[] { "msbuild", "asker.proj", "-t:Ask", "-nodeReuse:false", "-p:UseSharedCompilation=false" },
            project.Root), "asker.proj");
        var match = Regex.Match(result.Output, @"LAYOUT=(.*)\|(.*)\|(.*)");
        Assert.True(match.Success, result.ToString());
        Assert.Equal(project.LayoutFile, match.Groups[1].Value.Trim());
        Assert.Equal(project.ApplicationScript, match.Groups[2].Value.Trim());
        Assert.Equal(project.Header, match.Groups[3].Value.Trim());
        Assert.StartsWith("moonboot-layout 1\nconfig Memory\n", Read(project.LayoutFile));
    }

    private static uint Macro(string header, string name)
    {
        var match = Regex.Match(header, $@"#define {name} (0x[0-9a-f]+|[0-9]+)u");
        Assert.True(match.Success, $"{name} not in header:\n{header}");
        string value = match.Groups[1].Value;
        return value.StartsWith("0x") ? Convert.ToUInt32(value[2..], 16) : uint.Parse(value);
    }
}
