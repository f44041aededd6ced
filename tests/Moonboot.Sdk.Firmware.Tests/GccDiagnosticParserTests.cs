using Moonboot.Sdk.Tasks.Firmware;
using Xunit;

namespace Moonboot.Sdk.Firmware.Tests;

public class GccDiagnosticParserTests
{
    [Fact]
    public void Error_with_line_and_column()
    {
        Assert.True(GccDiagnosticParser.TryParseCompilerLine("/w/app/main.c:12:5: error: expected ';' before '}' token", out var d));
        Assert.Equal(GccSeverity.Error, d.Severity);
        Assert.Equal("/w/app/main.c", d.File);
        Assert.Equal(12, d.Line);
        Assert.Equal(5, d.Column);
        Assert.Equal("expected ';' before '}' token", d.Message);
    }

    [Fact]
    public void Warning_keeps_the_option_in_the_message()
    {
        Assert.True(GccDiagnosticParser.TryParseCompilerLine("src/x.c:3:12: warning: 'unused' defined but not used [-Wunused-variable]", out var d));
        Assert.Equal(GccSeverity.Warning, d.Severity);
        Assert.Equal(3, d.Line);
        Assert.Contains("[-Wunused-variable]", d.Message);
    }

    [Fact]
    public void Fatal_error_without_column()
    {
        Assert.True(GccDiagnosticParser.TryParseCompilerLine("main.c:1: fatal error: nothere.h: No such file or directory", out var d));
        Assert.Equal(GccSeverity.Error, d.Severity);
        Assert.Equal(1, d.Line);
        Assert.Equal(0, d.Column);
    }

    [Fact]
    public void Windows_paths()
    {
        Assert.True(GccDiagnosticParser.TryParseCompilerLine("C:\\fw\\main.c:7:2: error: boom", out var d));
        Assert.Equal("C:\\fw\\main.c", d.File);
        Assert.Equal(7, d.Line);
    }

    [Fact]
    public void Assembler_error()
    {
        Assert.True(GccDiagnosticParser.TryParseCompilerLine("/w/start.S:4: Error: bad instruction `mvo r0,r1'", out var d));
        Assert.Equal(GccSeverity.Error, d.Severity);
        Assert.Equal("/w/start.S", d.File);
        Assert.Equal(4, d.Line);
    }

    [Theory]
    [InlineData("In file included from /w/main.c:1:")]
    [InlineData("   12 |   int x = ;")]
    [InlineData("      |           ^")]
    [InlineData("")]
    public void Context_lines_are_not_diagnostics(string line)
    {
        Assert.False(GccDiagnosticParser.TryParseCompilerLine(line, out _));
    }

    [Fact]
    public void Flash_region_overflow_is_MBS2002()
    {
        Assert.True(GccDiagnosticParser.TryParseLinkerLine(
            "/usr/lib/gcc/arm-none-eabi/12.2.1/../../../arm-none-eabi/bin/ld: region `FLASH' overflowed by 4212 bytes", true, out var d));
        Assert.Equal(GccSeverity.Error, d.Severity);
        Assert.Equal("MBS2002", d.Code);
        Assert.Contains("FLASH overflowed by 4212 bytes", d.Message);
    }

    [Fact]
    public void Ram_region_overflow_is_MBS2003()
    {
        Assert.True(GccDiagnosticParser.TryParseLinkerLine("arm-none-eabi-ld: region `RAM' overflowed by 8 bytes", true, out var d));
        Assert.Equal("MBS2003", d.Code);
    }

    [Fact]
    public void Largest_image_assert_is_MBS2002()
    {
        Assert.True(GccDiagnosticParser.TryParseLinkerLine(
            "/usr/bin/arm-none-eabi-ld: Moonboot: the application image is larger than _moonboot_max_image_size = 64512 bytes, the largest image the exchange can move", true, out var d));
        Assert.Equal("MBS2002", d.Code);
    }

    [Fact]
    public void Undefined_reference_with_file_and_line()
    {
        Assert.False(GccDiagnosticParser.TryParseLinkerLine("/usr/bin/arm-none-eabi-ld: /w/obj/main.c.o: in function `main':", true, out _));
        Assert.True(GccDiagnosticParser.TryParseLinkerLine("/w/app/main.c:9: undefined reference to `missing'", true, out var d));
        Assert.Equal("/w/app/main.c", d.File);
        Assert.Equal(9, d.Line);
        Assert.Equal("MBS2004", d.Code);
        Assert.Equal(GccSeverity.Error, d.Severity);
    }

    [Fact]
    public void Collect2_summary_is_skipped()
    {
        Assert.False(GccDiagnosticParser.TryParseLinkerLine("collect2: error: ld returned 1 exit status", true, out _));
    }

    [Fact]
    public void Linker_warning_on_success()
    {
        Assert.True(GccDiagnosticParser.TryParseLinkerLine("/usr/bin/arm-none-eabi-ld: warning: app.elf has a LOAD segment with RWX permissions", false, out var d));
        Assert.Equal(GccSeverity.Warning, d.Severity);
        Assert.False(GccDiagnosticParser.TryParseLinkerLine("some informational line", false, out _));
    }
}
