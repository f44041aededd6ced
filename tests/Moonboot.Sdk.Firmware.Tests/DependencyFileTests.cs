using Moonboot.Sdk.Tasks.Firmware;
using Xunit;

namespace Moonboot.Sdk.Firmware.Tests;

public class DependencyFileTests
{
    [Fact]
    public void Reads_prerequisites_across_continuation_lines()
    {
        var deps = DependencyFile.Parse("/obj/main.c.o: /src/main.c /src/a.h \\\n /inc/b.h\n");
        Assert.Equal(new[] { "/src/main.c", "/src/a.h", "/inc/b.h" }, deps);
    }

    [Fact]
    public void Unescapes_spaces_and_dollars()
    {
        var deps = DependencyFile.Parse("o.o: my\\ dir/main.c cost$$.h\n");
        Assert.Equal(new[] { "my dir/main.c", "cost$.h" }, deps);
    }

    [Fact]
    public void Phony_rules_from_MP_add_nothing_new()
    {
        var deps = DependencyFile.Parse("o.o: main.c a.h b.h\n\na.h:\n\nb.h:\n");
        Assert.Equal(new[] { "main.c", "a.h", "b.h" }, deps);
    }

    [Fact]
    public void Windows_drive_letters_are_not_rule_separators()
    {
        var deps = DependencyFile.Parse("C:\\obj\\main.o: C:\\src\\main.c C:\\src\\x.h\r\n");
        Assert.Equal(new[] { "C:\\src\\main.c", "C:\\src\\x.h" }, deps);
    }

    [Fact]
    public void Empty_or_garbage_gives_no_dependencies()
    {
        Assert.Empty(DependencyFile.Parse(""));
        Assert.Empty(DependencyFile.Parse("# just a comment\n"));
    }
}
