using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;
using Moonboot.Sdk.Tasks.Layout;
using Xunit;

namespace Moonboot.Sdk.Tasks.Tests;

public sealed class GenerateMoonbootLinkerFilesTests
{
    private static readonly string Templates = Path.Combine(AppContext.BaseDirectory, "templates");

    internal static string Template(string name) => Path.Combine(Templates, name);

    private static ITaskItem Item(string output, string template, string role)
    {
        var item = new TaskItem(output);
        item.SetMetadata("Template", template);
        item.SetMetadata("Role", role);
        return item;
    }

    private static (bool ok, FakeBuildEngine engine, GenerateMoonbootLinkerFiles task) Run(string layoutFile, params ITaskItem[] files)
    {
        var engine = new FakeBuildEngine();
        var task = new GenerateMoonbootLinkerFiles { BuildEngine = engine, LayoutFile = layoutFile, Files = files };
        return (task.Execute(), engine, task);
    }

    private static string WriteLayout(TestDirectory dir, LayoutSpec spec)
    {
        string path = dir.File("layout.txt");
        File.WriteAllText(path, LayoutManifest.Write(spec));
        return path;
    }

    public static TheoryData<string> PartNames() => new(Parts.Names);

    [Theory]
    [MemberData(nameof(PartNames))]
    public void Part_layout_is_valid(string part)
    {
        Assert.Empty(LayoutRules.Validate(Parts.ByName(part)));
    }

    [Theory]
    [MemberData(nameof(PartNames))]
    public void Renders_the_approved_scripts_and_header(string part)
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.ByName(part));
        var (ok, engine, task) = Run(layout,
            Item(dir.File("bootloader/memory.x"), Template("bootloader.memory.x.scriban"), "bootloader"),
            Item(dir.File("application/memory.x"), Template("application.memory.x.scriban"), "application"),
            Item(dir.File("include/moonboot_layout.h"), Template("moonboot_layout.h.scriban"), ""));
        Assert.True(ok, engine.Describe());
        Assert.Equal(3, task.GeneratedFiles.Length);
        Assert.Multiple(
            () => Approvals.Verify($"{part}.bootloader.memory.x", File.ReadAllText(dir.File("bootloader/memory.x"))),
            () => Approvals.Verify($"{part}.application.memory.x", File.ReadAllText(dir.File("application/memory.x"))),
            () => Approvals.Verify($"{part}.moonboot_layout.h", File.ReadAllText(dir.File("include/moonboot_layout.h"))));
    }

    [Fact]
    public void Seed_scripts_hold_the_issue_numbers()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Seed());
        var (ok, engine, _) = Run(layout,
            Item(dir.File("b.x"), Template("bootloader.memory.x.scriban"), "bootloader"),
            Item(dir.File("a.x"), Template("application.memory.x.scriban"), "application"));
        Assert.True(ok, engine.Describe());
        string boot = File.ReadAllText(dir.File("b.x"));
        string app = File.ReadAllText(dir.File("a.x"));
        Assert.Contains("    FLASH : ORIGIN = 0x08000000, LENGTH = 32768\n", boot);
        Assert.Contains("    FLASH : ORIGIN = 0x08008000, LENGTH = 114688\n", app);
        foreach (var script in new[] { boot, app })
        {
            Assert.Contains("    RAM : ORIGIN = 0x20000000, LENGTH = 163808\n", script);
            Assert.Contains("    MOONBOOT_STATE : ORIGIN = 0x20027fe0, LENGTH = 32\n", script);
            Assert.Contains("_moonboot_state_start = ORIGIN(MOONBOOT_STATE);\n", script);
            Assert.Contains("_moonboot_state_size = LENGTH(MOONBOOT_STATE);\n", script);
            Assert.Contains("_moonboot_max_image_size = 112640;\n", script);
        }
        Assert.Contains("ASSERT(_moonboot_image_end - ORIGIN(FLASH) <= _moonboot_max_image_size,", app);
        Assert.DoesNotContain("ASSERT", boot);
        // Read back from the script itself: RAM runs up to the state region, which ends at the RAM bank's top
        // (RamOrigin 0x20000000 + 160 KiB); a template that moved either region would fail here.
        var regions = System.Text.RegularExpressions.Regex.Matches(app, @"(\w+) : ORIGIN = 0x([0-9a-f]+), LENGTH = (\d+)")
            .ToDictionary(m => m.Groups[1].Value, m => (Origin: Convert.ToUInt64(m.Groups[2].Value, 16), Length: ulong.Parse(m.Groups[3].Value)));
        Assert.Equal(regions["RAM"].Origin + regions["RAM"].Length, regions["MOONBOOT_STATE"].Origin);
        Assert.Equal(0x2000_0000UL + 160 * 1024, regions["MOONBOOT_STATE"].Origin + regions["MOONBOOT_STATE"].Length);
    }

    [Fact]
    public void Without_ram_state_the_scripts_have_no_state_region_and_the_whole_ram()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Samd51NoRamState());
        var (ok, engine, _) = Run(layout, Item(dir.File("a.x"), Template("application.memory.x.scriban"), "application"),
            Item(dir.File("l.h"), Template("moonboot_layout.h.scriban"), ""));
        Assert.True(ok, engine.Describe());
        string app = File.ReadAllText(dir.File("a.x"));
        Assert.DoesNotContain("MOONBOOT_STATE", app);
        Assert.DoesNotContain("_moonboot_state", app);
        Assert.Contains("    RAM : ORIGIN = 0x20000000, LENGTH = 196608\n", app);
        string header = File.ReadAllText(dir.File("l.h"));
        Assert.Contains("#define MOONBOOT_HAS_RAM_STATE 0\n", header);
        Assert.DoesNotContain("MOONBOOT_RAM_STATE_ORIGIN", header);
    }

    [Fact]
    public void External_bank_origin_is_its_offset()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Nrf52840ExternalUpdate());
        var (ok, engine, _) = Run(layout, Item(dir.File("l.h"), Template("moonboot_layout.h.scriban"), ""));
        Assert.True(ok, engine.Describe());
        string header = File.ReadAllText(dir.File("l.h"));
        Assert.Contains("#define MOONBOOT_UPDATE_BANK_ORIGIN 0x00000000u\n", header);
        Assert.Contains("#define MOONBOOT_UPDATE_BANK_UNIT MOONBOOT_UNIT_EXTERNAL\n", header);
        Assert.Contains("#define MOONBOOT_BOOT_BANK_UNIT MOONBOOT_UNIT_INTERNAL\n", header);
    }

    [Fact]
    public void A_user_template_replaces_the_shipped_one()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Seed());
        File.WriteAllText(dir.File("mine.scriban"), "FLASH {{ hex flash.origin }} {{ dec flash.size }} {{ role }} {{ config_name }}\n");
        var (ok, engine, _) = Run(layout, Item(dir.File("out.x"), dir.File("mine.scriban"), "application"));
        Assert.True(ok, engine.Describe());
        Assert.Equal("FLASH 0x08008000 114688 application Memory\n", File.ReadAllText(dir.File("out.x")));
    }

    [Fact]
    public void A_template_syntax_error_names_the_template_file_and_line()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Seed());
        File.WriteAllText(dir.File("bad.scriban"), "line one\nline two\nFLASH {{ if }}\n");
        var (ok, engine, _) = Run(layout, Item(dir.File("out.x"), dir.File("bad.scriban"), "bootloader"));
        Assert.False(ok);
        Assert.All(engine.Errors, e => Assert.Equal("MBS1006", e.Code));
        var error = engine.Errors[0];
        Assert.Equal(dir.File("bad.scriban"), error.File);
        Assert.Equal(3, error.LineNumber);
        Assert.False(File.Exists(dir.File("out.x")));
    }

    [Fact]
    public void An_unknown_template_variable_names_the_template_file_and_line()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Seed());
        File.WriteAllText(dir.File("bad.scriban"), "ok {{ page_size }}\n{{ no_such_value }}\n");
        var (ok, engine, _) = Run(layout, Item(dir.File("out.x"), dir.File("bad.scriban"), "bootloader"));
        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("MBS1006", error.Code);
        Assert.Equal(dir.File("bad.scriban"), error.File);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("no_such_value", error.Message);
    }

    [Fact]
    public void A_missing_template_is_MBS1005()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Seed());
        var (ok, engine, _) = Run(layout, Item(dir.File("out.x"), dir.File("nope.scriban"), "bootloader"));
        Assert.False(ok);
        Assert.Equal("MBS1005", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void An_unknown_role_is_MBS1007()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Seed());
        var (ok, engine, _) = Run(layout, Item(dir.File("out.x"), Template("bootloader.memory.x.scriban"), "updater"));
        Assert.False(ok);
        Assert.Equal("MBS1007", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void A_malformed_layout_file_is_MBS1003()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File("layout.txt"), "not a layout\n");
        var (ok, engine, _) = Run(dir.File("layout.txt"), Item(dir.File("out.x"), Template("bootloader.memory.x.scriban"), "bootloader"));
        Assert.False(ok);
        Assert.Equal("MBS1003", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void Unchanged_output_is_not_touched()
    {
        using var dir = new TestDirectory();
        string layout = WriteLayout(dir, Parts.Seed());
        var item = Item(dir.File("out.x"), Template("bootloader.memory.x.scriban"), "bootloader");
        Assert.True(Run(layout, item).ok);
        string first = File.ReadAllText(dir.File("out.x"));
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(dir.File("out.x"), old);
        Assert.True(Run(layout, item).ok);
        Assert.Equal(first, File.ReadAllText(dir.File("out.x")));
        // Its time stamp stays, so a firmware link that depends on it does not rerun (the targets keep stamps).
        Assert.Equal(old, File.GetLastWriteTimeUtc(dir.File("out.x")));
    }
}

public sealed class GenerateMoonbootLinkerFilesValidationTests
{
    [Fact]
    public void A_hand_written_invalid_layout_is_MBS1004_naming_the_rule()
    {
        using var dir = new TestDirectory();
        var overlapping = Parts.SeedWithOverlappingUpdateBank();
        File.WriteAllText(dir.File("layout.txt"), LayoutManifest.Write(overlapping));
        var engine = new FakeBuildEngine();
        var item = new TaskItem(dir.File("memory.x"));
        item.SetMetadata("Template", GenerateMoonbootLinkerFilesTests.Template("application.memory.x.scriban"));
        item.SetMetadata("Role", "application");
        Assert.False(new GenerateMoonbootLinkerFiles { BuildEngine = engine, LayoutFile = dir.File("layout.txt"), Files = new[] { item } }.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal("MBS1004", error.Code);
        Assert.Contains("MB0001", error.Message);
        Assert.Equal(HelpLinks.For("MBS1004"), error.HelpLink);
        Assert.False(File.Exists(dir.File("memory.x")));
    }
}
