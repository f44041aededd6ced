// The words a layout is written in: the bank roles, the memory units and the [MoonbootConfig] defaults, defined once.
// This one file is compiled twice:
//  - into Moonboot.Config (MOONBOOT_CONFIG, src/Moonboot.Config/Moonboot.Config.csproj) as the public Moonboot.BankRole
//    and Moonboot.MemoryUnit user code writes in [Bank(...)], with the defaults the attribute's properties start from;
//  - into every assembly that links the layout model (Moonboot.Layout.props: generator, analyzer, tasks, imaging) as
//    internal Moonboot.Layout.BankRole and Moonboot.Layout.MemoryUnit, which the model, the rules and the manifest use.
// The generator reads a [Bank] argument as the number the compiler folded it to and takes it as the same member of
// the same declaration, so a role or unit added here is known everywhere at once, with no mapping to keep in step.
#if MOONBOOT_CONFIG
namespace Moonboot
#else
namespace Moonboot.Layout
#endif
{
    /// <summary>The role a bank plays in the update scheme.</summary>
#if MOONBOOT_CONFIG
    public
#else
    internal
#endif
    enum BankRole
    {
        /// <summary>Where the CPU starts: the bootloader itself.</summary>
        Bootloader = 0,
        /// <summary>The bank the application runs from.</summary>
        Boot = 1,
        /// <summary>The bank that receives a new image.</summary>
        Update = 2,
        /// <summary>The application's RAM.</summary>
        Ram = 3,
        /// <summary>Flash pages of the power-safe state journal.</summary>
        State = 4,
        /// <summary>Spare flash pages reserved for the user; the exchange does not need them.</summary>
        Scratch = 5,
    }

    /// <summary>The memory unit a bank lives on.</summary>
#if MOONBOOT_CONFIG
    public
#else
    internal
#endif
    enum MemoryUnit
    {
        /// <summary>Memory-mapped internal flash (offsets from FlashOrigin) or RAM (offsets from RamOrigin).</summary>
        Internal = 0,
        /// <summary>An external, non-memory-mapped flash with its own address space: offsets only, no linker region.</summary>
        External = 1,
    }

    /// <summary>The value of each [MoonbootConfig] property a config does not set (the attribute's initial values,
    /// the generator's starting values, the manifest reader's value for a line an older manifest lacks).</summary>
    internal static class LayoutDefaults
    {
        /// <summary>Flash erase unit in bytes.</summary>
        public const uint PageSize = 2048;
        /// <summary>Flash program granule in bytes.</summary>
        public const uint WriteSize = 8;
        /// <summary>Value of an erased flash byte (NOR flash).</summary>
        public const uint ErasedValue = 0xFF;
        /// <summary>The RAM-state section is reserved.</summary>
        public const bool HasRamState = true;
        /// <summary>0: CRC-only images (no MCUboot header).</summary>
        public const uint ImageHeaderSize = 0;
    }
}
