using System.Collections.Generic;
using System.IO;
using System.Linq;
using Moonboot.Layout;
using Moonboot.Sdk.Tasks.Firmware;
using Xunit;

namespace Moonboot.Sdk.Firmware.Tests;

public class FirmwareSizeTests
{
    // The QEMU sample's layout: 1 KiB pages, Boot 64 KiB, Update 64 KiB (equal banks: the largest image is 63 KiB).
    internal const string QemuLayout =
        "moonboot-layout 1\nconfig QemuMemory\nflash_origin 0x21000000\nram_origin 0x20000000\npage_size 1024\n" +
        "write_size 8\nerased_value 0xFF\nhas_ram_state true\n" +
        "bank Bootloader role=Bootloader unit=Internal location=0x00000000 size=16384\n" +
        "bank Boot role=Boot unit=Internal location=0x00008000 size=65536\n" +
        "bank Update role=Update unit=Internal location=0x00018000 size=65536\n" +
        "bank Ram role=Ram unit=Internal location=0x00000000 size=65536\n";

    private static ResolvedLayout Layout => new(LayoutManifest.Read(QemuLayout));

    private static List<ElfSection> Image(uint origin, uint textSize, uint dataSize = 16, uint bssSize = 128) => new()
    {
        new(".isr_vector", origin, origin, 64, true, false, false),
        new(".text", origin + 64, origin + 64, textSize, true, false, true),
        new(".data", 0x20000000, origin + 64 + textSize, dataSize, true, true, false),
        new(".bss", 0x20000000 + dataSize, 0x20000000 + dataSize, bssSize, false, true, false),
        new(".moonboot_state", 0x2000FFE0, 0x2000FFE0, 32, false, true, false),
    };

    [Fact]
    public void Bootloader_that_fits_reports_flash_and_ram()
    {
        var size = FirmwareSize.Measure(Image(0x21000000, 1000), FirmwareRole.Bootloader, Layout);
        Assert.Empty(size.Problems);
        Assert.Equal(64UL + 1000 + 16, size.FlashUsed);   // vectors + text + .data's load image
        Assert.Equal(16384UL, size.FlashLimit);
        Assert.Equal(16UL + 128, size.RamUsed);            // .data + .bss; the state record is not counted
        Assert.Equal(65536UL - 32, size.RamLimit);
        Assert.Contains("flash 1,080 / 16,384 bytes", size.Summary("Boot"));
    }

    [Fact]
    public void Bootloader_larger_than_its_bank_is_MBS2002()
    {
        var size = FirmwareSize.Measure(Image(0x21000000, 17000), FirmwareRole.Bootloader, Layout);
        var problem = Assert.Single(size.Problems);
        Assert.Equal("MBS2002", problem.Code);
        Assert.Contains("Bootloader bank", problem.Message);
        Assert.Contains("16384 bytes (16 KiB)", problem.Message);
    }

    [Fact]
    public void Application_is_checked_against_the_largest_exchangeable_image_not_the_bank()
    {
        // 64 KiB bank, 63 KiB limit: an image of 63.5 KiB fits the bank but cannot be exchanged.
        var size = FirmwareSize.Measure(Image(0x21008000, 65024 - 64 - 16), FirmwareRole.Application, Layout);
        Assert.Equal(65024UL, size.FlashUsed);
        Assert.Equal(64512UL, size.FlashLimit);
        var problem = Assert.Single(size.Problems);
        Assert.Equal("MBS2002", problem.Code);
        Assert.Contains("largest image the exchange can move is 64512 bytes (63 KiB)", problem.Message);
        Assert.Contains("512 bytes too large", problem.Message);
    }

    [Fact]
    public void Application_exactly_at_the_limit_fits()
    {
        var size = FirmwareSize.Measure(Image(0x21008000, 64512 - 64 - 16), FirmwareRole.Application, Layout);
        Assert.Empty(size.Problems);
        Assert.Equal(size.FlashLimit, size.FlashUsed);
    }

    [Fact]
    public void Ram_overflow_is_MBS2003()
    {
        var size = FirmwareSize.Measure(Image(0x21000000, 100, 16, 65536), FirmwareRole.Bootloader, Layout);
        Assert.Contains(size.Problems, p => p.Code == "MBS2003" && p.Message.Contains(".bss"));
    }

    [Fact]
    public void Report_lists_every_section()
    {
        var size = FirmwareSize.Measure(Image(0x21000000, 1000), FirmwareRole.Bootloader, Layout);
        string report = size.Report("Boot", "/x/Boot.elf");
        Assert.Contains("flash.used: 1080", report);
        Assert.Contains("flash.limit: 16384 (bootloader bank)", report);
        Assert.Contains(".data", report);
        Assert.Contains("flash -> ram", report);
    }

    [ToolchainFact]
    public void Reads_section_and_load_addresses_from_a_real_elf()
    {
        string dir = Arm.TempDirectory("elf");
        File.WriteAllText(Path.Combine(dir, "t.c"),
            "int counter = 5; char buffer[100]; const char text[300] = {1};\n" +
            "void Reset_Handler(void) { buffer[0] = text[counter]; for (;;) {} }\n" +
            "__attribute__((section(\".isr_vector\"), used)) const void *const vectors[2] = { 0, (const void *)Reset_Handler };\n");
        File.WriteAllText(Path.Combine(dir, "t.ld"),
            "MEMORY { FLASH : ORIGIN = 0x21000000, LENGTH = 16K\n RAM : ORIGIN = 0x20000000, LENGTH = 64K }\n" +
            "ENTRY(Reset_Handler)\nSECTIONS { .isr_vector : { KEEP(*(.isr_vector)) } > FLASH\n .text : { *(.text*) *(.rodata*) } > FLASH\n" +
            " .data : { *(.data*) } > RAM AT > FLASH\n .bss (NOLOAD) : { *(.bss*) *(COMMON) } > RAM }\n");
        var (rc, output) = Arm.Run(Arm.Gcc!, "-mcpu=cortex-m4 -mthumb -Os -nostdlib -T t.ld t.c -o t.elf", dir);
        Assert.True(rc == 0, output);

        var sections = ElfImage.ReadAllocatedSections(Path.Combine(dir, "t.elf"));
        var vectors = sections.Single(s => s.Name == ".isr_vector");
        Assert.Equal(0x21000000u, vectors.Address);
        var data = sections.Single(s => s.Name == ".data");
        Assert.Equal(0x20000000u, data.Address);
        Assert.True(data.LoadAddress >= 0x21000000u && data.LoadAddress < 0x21004000u, $"LMA {data.LoadAddress:X8}");
        var bss = sections.Single(s => s.Name == ".bss");
        Assert.False(bss.HasContents);
        Assert.True(bss.Size >= 100);

        var size = FirmwareSize.Measure(sections, FirmwareRole.Bootloader, Layout);
        Assert.Empty(size.Problems);
        Assert.Equal((ulong)data.LoadAddress + data.Size - 0x21000000u, size.FlashUsed);
    }

    [Fact]
    public void Not_an_elf_is_rejected()
    {
        Assert.Throws<InvalidDataException>(() => ElfImage.ReadAllocatedSections(new byte[] { 1, 2, 3 }));
    }
}
