using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Sdk.Tasks.Firmware;
using Xunit;

namespace Moonboot.Sdk.Firmware.Tests;

public class CompileTaskTests
{
    private static CompileMoonbootSources Task(string dir, FakeBuildEngine engine, params string[] sources) => new()
    {
        BuildEngine = engine,
        Compiler = Arm.Gcc!,
        ObjectDirectory = Path.Combine(dir, "obj"),
        ProjectDirectory = dir,
        Sources = sources.Select(s => (ITaskItem)new TaskItem(Path.Combine(dir, s))).ToArray(),
        Flags = new[] { "-mcpu=cortex-m4", "-mthumb", "-Os", "-Wall" },
        IncludeDirectories = new ITaskItem[] { new TaskItem(Path.Combine(dir, "inc")) },
        Defines = new ITaskItem[] { new TaskItem("ANSWER", new System.Collections.Generic.Dictionary<string, string> { ["Value"] = "42" }) },
    };

    private static string Setup()
    {
        string dir = Arm.TempDirectory("compile");
        Directory.CreateDirectory(Path.Combine(dir, "inc"));
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.WriteAllText(Path.Combine(dir, "inc", "a.h"), "#define A 1\n");
        File.WriteAllText(Path.Combine(dir, "main.c"), "#include \"a.h\"\nint main(void) { return A + ANSWER; }\n");
        File.WriteAllText(Path.Combine(dir, "sub", "other.c"), "int other(void) { return 2; }\n");
        File.WriteAllText(Path.Combine(dir, "start.s"), ".syntax unified\n.thumb\n.global f\nf: bx lr\n");
        return dir;
    }

    [ToolchainFact]
    public void Compiles_everything_once_then_nothing_then_only_what_changed()
    {
        string dir = Setup();
        var engine = new FakeBuildEngine();
        var first = Task(dir, engine, "main.c", "sub/other.c", "start.s");
        Assert.True(first.Execute(), engine.Describe());
        Assert.Equal(3, first.CompiledSources.Length);
        Assert.Equal(3, first.ObjectFiles.Length);
        Assert.True(File.Exists(Path.Combine(dir, "obj", "sub", "other.c.o")));
        var stamp = first.ObjectFiles.ToDictionary(o => o.ItemSpec, o => File.GetLastWriteTimeUtc(o.ItemSpec));

        var second = Task(dir, engine, "main.c", "sub/other.c", "start.s");
        Assert.True(second.Execute(), engine.Describe());
        Assert.Empty(second.CompiledSources);
        foreach (var o in second.ObjectFiles) Assert.Equal(stamp[o.ItemSpec], File.GetLastWriteTimeUtc(o.ItemSpec));

        // A header change recompiles its includer only.
        File.SetLastWriteTimeUtc(Path.Combine(dir, "inc", "a.h"), DateTime.UtcNow.AddSeconds(5));
        var third = Task(dir, engine, "main.c", "sub/other.c", "start.s");
        Assert.True(third.Execute(), engine.Describe());
        Assert.Equal(new[] { Path.Combine(dir, "main.c") }, third.CompiledSources.Select(s => s.ItemSpec));

        // A flag change recompiles everything.
        var fourth = Task(dir, engine, "main.c", "sub/other.c", "start.s");
        fourth.Flags = new[] { "-mcpu=cortex-m4", "-mthumb", "-O2", "-Wall" };
        Assert.True(fourth.Execute(), engine.Describe());
        Assert.Equal(3, fourth.CompiledSources.Length);
    }

    [ToolchainFact]
    public void Compiler_errors_carry_file_line_and_column_and_leave_no_stale_object()
    {
        string dir = Setup();
        File.WriteAllText(Path.Combine(dir, "bad.c"), "int ok(void) { return 1; }\nint broken(void) { return 1 }\n");
        var engine = new FakeBuildEngine();
        var task = Task(dir, engine, "main.c", "bad.c");
        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal(Path.Combine(dir, "bad.c"), error.File);
        Assert.Equal(2, error.LineNumber);
        Assert.True(error.ColumnNumber > 0);
        Assert.Contains("expected ';'", error.Message);

        // Still failing on the next run: the broken file is not considered up to date.
        var again = Task(dir, new FakeBuildEngine(), "main.c", "bad.c");
        Assert.False(again.Execute());
    }

    [ToolchainFact]
    public void Warnings_are_msbuild_warnings()
    {
        string dir = Setup();
        File.WriteAllText(Path.Combine(dir, "warn.c"), "int f(void) { int unused; return 0; }\n");
        var engine = new FakeBuildEngine();
        Assert.True(Task(dir, engine, "warn.c").Execute(), engine.Describe());
        var warning = Assert.Single(engine.Warnings);
        Assert.Equal(1, warning.LineNumber);
        Assert.Contains("unused", warning.Message);
    }

    [Fact]
    public void Missing_toolchain_names_the_apt_package_and_the_property()
    {
        var engine = new FakeBuildEngine();
        var task = new ResolveMoonbootToolchain { BuildEngine = engine, ToolchainPath = "/nonexistent/toolchain" };
        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal("MBS2001", error.Code);
        Assert.Contains("gcc-arm-none-eabi libnewlib-arm-none-eabi", error.Message);
        Assert.Contains("MoonbootToolchainPath", error.Message);
        Assert.Contains("/nonexistent/toolchain", error.Message);
    }

    [Fact]
    public void Object_paths_mirror_the_project_and_runtime_folders()
    {
        var task = new CompileMoonbootSources { ObjectDirectory = "/p/obj/", ProjectDirectory = "/p", RuntimeDirectory = "/sdk/runtime/" };
        Assert.Equal("/p/obj/src/main.c.o", task.ObjectPathFor("/p/src/main.c"));
        Assert.Equal("/p/obj/runtime/core/boot.c.o", task.ObjectPathFor("/sdk/runtime/core/boot.c"));
        Assert.StartsWith("/p/obj/external/x.c.", task.ObjectPathFor("/elsewhere/x.c"));
    }

    [Fact]
    public void Command_line_quoting_round_trips()
    {
        string[] args = { "-c", "a b.c", "-DX=\"y\"", "end\\" };
        Assert.Equal("-c \"a b.c\" \"-DX=\\\"y\\\"\" end\\", CommandLine.Join(args));
        if (File.Exists("/usr/bin/printf"))
        {
            // .NET splits the string back into the same argv on Unix.
            var (rc, output) = Arm.Run("/usr/bin/printf", "\"%s|\" " + CommandLine.Join(args), Path.GetTempPath());
            Assert.Equal(0, rc);
            Assert.Equal("-c|a b.c|-DX=\"y\"|end\\|", output.TrimEnd());
        }
    }
}
