using System.Linq;
using System.Collections.Generic;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Tests;

/// <summary>Layouts of real parts: the seed and parts with other origins, page sizes and units.</summary>
internal static class Parts
{
    private static LayoutBankSpec Bank(string name, BankRole role, ulong location, ulong size,
        MemoryUnit unit = MemoryUnit.Internal) => new(name, role, unit, location, size);

    /// <summary>The config (STM32L4-class: 256 KiB flash at 0x08000000, 2 KiB pages, 160 KiB RAM).</summary>
    public static LayoutSpec Seed() => new("Memory", 0x0800_0000, 0x2000_0000, 2048, 8, 0xFF, true, new List<LayoutBankSpec>
    {
        Bank("Bootloader", BankRole.Bootloader, 0, 32 * 1024),
        Bank("Boot", BankRole.Boot, 32 * 1024, 112 * 1024),
        Bank("Update", BankRole.Update, (32 + 112) * 1024, 112 * 1024),
        Bank("Ram", BankRole.Ram, 0, 160 * 1024),
    });

    /// <summary>NXP Kinetis K64F: flash at 0, 4 KiB sectors, SRAM_L+SRAM_U from 0x1FFF0000, a flash state journal.</summary>
    public static LayoutSpec KinetisK64() => new("K64Layout", 0x0000_0000, 0x1FFF_0000, 4096, 8, 0xFF, true, new List<LayoutBankSpec>
    {
        Bank("Loader", BankRole.Bootloader, 0, 0x8000),
        Bank("Active", BankRole.Boot, 0x8000, 0x7A000),
        Bank("Staging", BankRole.Update, 0x82000, 0x7A000),
        Bank("Journal", BankRole.State, 0xFC000, 0x4000),
        Bank("Sram", BankRole.Ram, 0, 256 * 1024),
    });

    /// <summary>Nordic nRF52840: 1 MiB flash at 0, 4 KiB pages, 4-byte writes; update bank on a QSPI NOR flash.</summary>
    public static LayoutSpec Nrf52840ExternalUpdate() => new("Nrf52Layout", 0x0000_0000, 0x2000_0000, 4096, 4, 0xFF, true, new List<LayoutBankSpec>
    {
        Bank("Bootloader", BankRole.Bootloader, 0, 0x10000),
        Bank("Boot", BankRole.Boot, 0x10000, 0xE0000),
        Bank("Update", BankRole.Update, 0, 0xE1000, MemoryUnit.External),
        Bank("State", BankRole.State, 0xF0000, 0x5000),
        Bank("Scratch", BankRole.Scratch, 0xF5000, 0xB000),
        Bank("Ram", BankRole.Ram, 0, 256 * 1024),
    });

    /// <summary>Microchip SAMD51J19: 512 KiB flash at 0, 8 KiB erase blocks, 16-byte writes, no RAM state.</summary>
    public static LayoutSpec Samd51NoRamState() => new("Samd51Layout", 0x0000_0000, 0x2000_0000, 8192, 16, 0xFF, false, new List<LayoutBankSpec>
    {
        Bank("Bootloader", BankRole.Bootloader, 0, 0x4000),
        Bank("Boot", BankRole.Boot, 0x4000, 0x3C000),
        Bank("Update", BankRole.Update, 0x40000, 0x3E000),
        Bank("Scratch", BankRole.Scratch, 0x7E000, 0x2000),
        Bank("Ram", BankRole.Ram, 0, 192 * 1024),
    });

    /// <summary>The QEMU template's layout with signed images: 0x200-byte MCUboot header, 32 KiB bootloader bank.</summary>
    public static LayoutSpec QemuSigned() => new("Memory", 0x0000_0000, 0x2000_0000, 4096, 4, 0xFF, true, new List<LayoutBankSpec>
    {
        Bank("Bootloader", BankRole.Bootloader, 0, 0x8000),
        Bank("Boot", BankRole.Boot, 0x8000, 0x38000),
        Bank("Update", BankRole.Update, 0x40000, 0x39000),
        Bank("State", BankRole.State, 0x79000, 0x7000),
        Bank("Ram", BankRole.Ram, 0, 0x40000),
    }, imageHeaderSize: 0x200);

    public static LayoutSpec ByName(string name) => name switch
    {
        "qemu-signed" => QemuSigned(),
        "seed" => Seed(),
        "k64f" => KinetisK64(),
        "nrf52840-external-update" => Nrf52840ExternalUpdate(),
        "samd51-no-ram-state" => Samd51NoRamState(),
        _ => throw new KeyNotFoundException(name),
    };

    public static readonly string[] Names = { "seed", "k64f", "nrf52840-external-update", "samd51-no-ram-state", "qemu-signed" };

    /// <summary>The seed with its update bank moved onto the boot bank (MB0001): a layout the rules refuse.</summary>
    public static LayoutSpec SeedWithOverlappingUpdateBank()
    {
        var seed = Seed();
        return new LayoutSpec(seed.ConfigName, seed.FlashOrigin, seed.RamOrigin, seed.PageSize, seed.WriteSize,
            seed.ErasedValue, seed.HasRamState, seed.Banks.Select(b => b.Role == BankRole.Update
                ? new LayoutBankSpec(b.Name, b.Role, b.Unit, 0x10000, b.Size) : b).ToList());
    }
}
