using Moonboot;

namespace MoonbootDevice.Common;

/// <summary>
/// The memory layout of MoonbootDevice: the one source of truth for the bootloader, the application, their linker
/// scripts and the C header. A bank is a const whose value is its size; Location is its offset from FlashOrigin
/// (RamOrigin for the RAM bank). Reference: https://github.com/moonboot-sdk/moonboot-sdk/blob/main/docs/config-reference.md
/// </summary>
#if (isQemu)
// QEMU mps2-an386: the "flash" is the 16 MiB file-backed RAM at 0x21000000 (NOR rules enforced by the board driver).
#if (hasRamState)
[MoonbootConfig(FlashOrigin = 0x2100_0000, RamOrigin = 0x2000_0000, PageSize = 1024, WriteSize = 8, ImageHeaderSize = 0x200)]
#else
[MoonbootConfig(FlashOrigin = 0x2100_0000, RamOrigin = 0x2000_0000, PageSize = 1024, WriteSize = 8, ImageHeaderSize = 0x200, HasRamState = false)]
#endif
public static partial class Memory
{
    // Images are signed (ImageHeaderSize: MCUboot's header before the vector table, docs/signing.md), and the
    // bootloader verifies Ed25519 and offers serial recovery: it gets 32 KiB.
    public const uint BootloaderSize = 32 * 1024;
    public const uint StateSize = 6 * 1024;
    public const uint BankSize = 64 * 1024;
    public const uint PageSize = 1024;

    [Bank(BankRole.Bootloader, Location = 0)]
    public const uint Bootloader = BootloaderSize;

    // The flash journal: exchange progress and requests survive any power cut here. An exchange of the largest
    // image writes 2 x (image pages) + 2 records of 32 bytes; with that many pages plus one, no journal page is
    // erased more often than a bank page (docs/on-flash-format.md).
    [Bank(BankRole.State, Location = BootloaderSize)]
    public const uint State = StateSize;

    [Bank(BankRole.Boot, Location = 0x10000)]
    public const uint Boot = BankSize;

    // One page larger than Boot: the exchange needs one spare page, so an image may fill all of Boot.
    [Bank(BankRole.Update, Location = 0x10000 + BankSize)]
    public const uint Update = BankSize + PageSize;

    [Bank(BankRole.Ram, Location = 0)]
    public const uint Ram = 4 * 1024 * 1024;
}
#else
// STM32L4 (e.g. STM32L476RG): 256 KiB of the internal flash at 0x08000000, 2 KiB pages, 8-byte programming.
#if (hasRamState)
[MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000, PageSize = 2048, WriteSize = 8, ImageHeaderSize = 0x200)]
#else
[MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000, PageSize = 2048, WriteSize = 8, ImageHeaderSize = 0x200, HasRamState = false)]
#endif
public static partial class Memory
{
    // Signed images and serial recovery fit the 32 KiB bootloader bank (docs/signing.md).
    public const uint BootloaderSize = 32 * 1024;
    public const uint StateSize = 6 * 1024;
    public const uint BankSize = 106 * 1024;
    public const uint PageSize = 2048;

    [Bank(BankRole.Bootloader, Location = 0)]
    public const uint Bootloader = BootloaderSize;

    // The flash journal: exchange progress and requests survive any power cut here. An exchange of the largest
    // image writes 2 x (image pages) + 2 records of 32 bytes; with that many pages plus one, no journal page is
    // erased more often than a bank page (docs/on-flash-format.md).
    [Bank(BankRole.State, Location = BootloaderSize)]
    public const uint State = StateSize;

    [Bank(BankRole.Boot, Location = BootloaderSize + StateSize)]
    public const uint Boot = BankSize;

    // One page larger than Boot: the exchange needs one spare page, so an image may fill all of Boot.
    [Bank(BankRole.Update, Location = BootloaderSize + StateSize + BankSize)]
    public const uint Update = BankSize + PageSize;

    // SRAM1 of the STM32L476 (96 KiB).
    [Bank(BankRole.Ram, Location = 0)]
    public const uint Ram = 96 * 1024;
}
#endif
