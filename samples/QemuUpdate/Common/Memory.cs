using Moonboot;

namespace QemuUpdate;

/// <summary>
/// The memory layout of the QEMU sample (mps2-an386). The "flash" is the 16 MiB file-backed RAM at 0x21000000, with
/// NOR rules enforced by the board's flash driver; QEMU's RAM at 0x0 only holds the bootloader's boot alias.
/// Images are signed (MCUboot format, a 0x200-byte header before the vector table); the bootloader verifies Ed25519
/// and offers serial recovery, so it gets 32 KiB, as in the template.
/// </summary>
[MoonbootConfig(FlashOrigin = 0x2100_0000, RamOrigin = 0x2000_0000, PageSize = 1024, WriteSize = 8, ImageHeaderSize = 0x200)]
public static partial class Memory
{
    public const uint BankSize = 64 * 1024;

    [Bank(BankRole.Bootloader, Location = 0x0000)]
    public const uint Bootloader = 32 * 1024;

    // The flash journal. An exchange of the largest image (64 pages) writes 2 x 64 + 2 records of 32 bytes, about
    // four pages; with six, no journal page is erased more often than a bank page.
    [Bank(BankRole.State, Location = 0x8000)]
    public const uint State = 6 * 1024;

    [Bank(BankRole.Boot, Location = 0x10000)]
    public const uint Boot = BankSize;

    // One page larger than Boot: the exchange's spare page, so an image may fill all of Boot.
    [Bank(BankRole.Update, Location = 0x10000 + BankSize)]
    public const uint Update = BankSize + 1024;

    [Bank(BankRole.Ram, Location = 0)]
    public const uint Ram = 4 * 1024 * 1024;
}
