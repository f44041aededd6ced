using Moonboot;

namespace QemuFixtures;

/// <summary>The sample's board and banks (samples/QemuUpdate/Common/Memory.cs) without the RAM state, and with an
/// update bank the size of the boot bank.</summary>
[MoonbootConfig(FlashOrigin = 0x2100_0000, RamOrigin = 0x2000_0000, PageSize = 1024, WriteSize = 8, HasRamState = false)]
public static partial class NoRamStateLayout
{
    [Bank(BankRole.Bootloader, Location = 0x0000)]
    public const uint Bootloader = 16 * 1024;

    [Bank(BankRole.State, Location = 0x4000)]
    public const uint State = 6 * 1024;

    [Bank(BankRole.Boot, Location = 0x8000)]
    public const uint Boot = 64 * 1024;

    [Bank(BankRole.Update, Location = 0x18000)]
    public const uint Update = 64 * 1024;

    [Bank(BankRole.Ram, Location = 0)]
    public const uint Ram = 4 * 1024 * 1024;
}
