using System;
using System.IO;
using System.Linq;
using Moonboot.Layout;
using Moonboot.Sdk.Tasks.Layout;
using Xunit;

namespace Moonboot.Sdk.Tasks.Tests;

public sealed class ReadMoonbootLayoutTests
{
    private static (bool ok, FakeBuildEngine engine, ReadMoonbootLayout task) Run(string assembly, string layoutFile)
    {
        var engine = new FakeBuildEngine();
        var task = new ReadMoonbootLayout { BuildEngine = engine, Assembly = assembly, LayoutFile = layoutFile };
        return (task.Execute(), engine, task);
    }

    [Fact]
    public void Reads_the_manifest_const_and_writes_the_normalized_layout()
    {
        using var dir = new TestDirectory();
        string manifest = LayoutManifest.Write(Parts.Seed());
        TestAssemblies.Write(dir.File("Config.dll"), manifest);
        var (ok, engine, task) = Run(dir.File("Config.dll"), dir.File("obj/moonboot/layout.txt"));
        Assert.True(ok, engine.Describe());
        Assert.True(task.Changed);
        Assert.Equal(manifest, File.ReadAllText(dir.File("obj/moonboot/layout.txt")));
        Assert.Equal(Parts.Seed(), LayoutManifest.Read(File.ReadAllText(dir.File("obj/moonboot/layout.txt"))));
    }

    [Fact]
    public void An_unchanged_layout_is_not_rewritten()
    {
        using var dir = new TestDirectory();
        TestAssemblies.Write(dir.File("Config.dll"), LayoutManifest.Write(Parts.KinetisK64()));
        Assert.True(Run(dir.File("Config.dll"), dir.File("layout.txt")).ok);
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(dir.File("layout.txt"), old);
        var (ok, engine, task) = Run(dir.File("Config.dll"), dir.File("layout.txt"));
        Assert.True(ok, engine.Describe());
        Assert.False(task.Changed);
        Assert.Equal(old, File.GetLastWriteTimeUtc(dir.File("layout.txt")));
    }

    [Fact]
    public void A_changed_layout_is_rewritten()
    {
        using var dir = new TestDirectory();
        TestAssemblies.Write(dir.File("Config.dll"), LayoutManifest.Write(Parts.Seed()));
        Assert.True(Run(dir.File("Config.dll"), dir.File("layout.txt")).ok);
        TestAssemblies.Write(dir.File("Config.dll"), LayoutManifest.Write(Parts.Samd51NoRamState()));
        var (ok, _, task) = Run(dir.File("Config.dll"), dir.File("layout.txt"));
        Assert.True(ok);
        Assert.True(task.Changed);
        Assert.Contains("has_ram_state false", File.ReadAllText(dir.File("layout.txt")));
    }

    [Fact]
    public void The_assembly_is_not_locked_after_reading()
    {
        using var dir = new TestDirectory();
        TestAssemblies.Write(dir.File("Config.dll"), LayoutManifest.Write(Parts.Seed()));
        Assert.True(Run(dir.File("Config.dll"), dir.File("layout.txt")).ok);
        using (var exclusive = new FileStream(dir.File("Config.dll"), FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
        File.Delete(dir.File("Config.dll"));
    }

    [Fact]
    public void An_assembly_without_a_config_class_is_MBS1001_with_the_fix()
    {
        using var dir = new TestDirectory();
        TestAssemblies.Write(dir.File("Config.dll"), manifest: null);
        var (ok, engine, _) = Run(dir.File("Config.dll"), dir.File("layout.txt"));
        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("MBS1001", error.Code);
        Assert.Contains("[MoonbootConfig]", error.Message);
        Assert.Contains("MoonbootGenerateLayout", error.Message);
        // The link goes in the help-link slot; helpKeyword is for an IDE's own help system.
        Assert.Null(error.HelpKeyword);
        Assert.Equal(Moonboot.Layout.HelpLinks.For("MBS1001"), error.HelpLink);
        Assert.Contains("Roslyn 4.5", error.Message);
        Assert.False(File.Exists(dir.File("layout.txt")));
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_MBS1002()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File("Config.dll"), "not a PE file");
        var (ok, engine, _) = Run(dir.File("Config.dll"), dir.File("layout.txt"));
        Assert.False(ok);
        Assert.Equal("MBS1002", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void A_missing_assembly_is_MBS1002()
    {
        using var dir = new TestDirectory();
        var (ok, engine, _) = Run(dir.File("Missing.dll"), dir.File("layout.txt"));
        Assert.False(ok);
        Assert.Equal("MBS1002", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void A_manifest_of_another_format_is_MBS1003()
    {
        using var dir = new TestDirectory();
        TestAssemblies.Write(dir.File("Config.dll"), "moonboot-layout 99\nconfig X\n");
        var (ok, engine, _) = Run(dir.File("Config.dll"), dir.File("layout.txt"));
        Assert.False(ok);
        Assert.Equal("MBS1003", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void Renders_the_files_in_the_same_pass_and_leaves_unchanged_ones_untouched()
    {
        using var dir = new TestDirectory();
        TestAssemblies.Write(dir.File("Config.dll"), LayoutManifest.Write(Parts.Seed()));
        var files = new[]
        {
            Item(dir.File("application/memory.x"), GenerateMoonbootLinkerFilesTests.Template("application.memory.x.scriban"), "application"),
            Item(dir.File("include/moonboot_layout.h"), GenerateMoonbootLinkerFilesTests.Template("moonboot_layout.h.scriban"), ""),
        };
        var engine = new FakeBuildEngine();
        Assert.True(new ReadMoonbootLayout { BuildEngine = engine, Assembly = dir.File("Config.dll"), LayoutFile = dir.File("layout.txt"), Files = files }.Execute(), engine.Describe());
        Assert.Contains("FLASH : ORIGIN = 0x08008000, LENGTH = 114688", File.ReadAllText(dir.File("application/memory.x")));
        Assert.Contains("#define MOONBOOT_LAYOUT_RECORD_BYTES 32u", File.ReadAllText(dir.File("include/moonboot_layout.h")));

        // A second pass over the same layout writes nothing: the time stamps stay where they were.
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var f in new[] { "layout.txt", "application/memory.x", "include/moonboot_layout.h" }) File.SetLastWriteTimeUtc(dir.File(f), old);
        Assert.True(new ReadMoonbootLayout { BuildEngine = engine, Assembly = dir.File("Config.dll"), LayoutFile = dir.File("layout.txt"), Files = files }.Execute(), engine.Describe());
        foreach (var f in new[] { "layout.txt", "application/memory.x", "include/moonboot_layout.h" }) Assert.Equal(old, File.GetLastWriteTimeUtc(dir.File(f)));
    }

    private static Microsoft.Build.Framework.ITaskItem Item(string output, string template, string role)
    {
        var item = new Microsoft.Build.Utilities.TaskItem(output);
        item.SetMetadata("Template", template);
        item.SetMetadata("Role", role);
        return item;
    }

    [Fact]
    public void A_layout_from_the_assembly_is_not_validated_again()
    {
        // The generator compiles a manifest in only when the analyzer's rules pass: the config project validates
        // once, in the compiler. (A hand-written layout.txt is validated by GenerateMoonbootLinkerFiles: MBS1004.)
        using var dir = new TestDirectory();
        var overlapping = Parts.SeedWithOverlappingUpdateBank();
        TestAssemblies.Write(dir.File("Config.dll"), LayoutManifest.Write(overlapping));
        var (ok, engine, _) = Run(dir.File("Config.dll"), dir.File("layout.txt"));
        Assert.True(ok, engine.Describe());
        Assert.Empty(engine.Errors);
    }
}
