using System;
using System.Collections.Generic;

namespace Moonboot
{
    /// <summary>One bank of a resolved layout, with its absolute addresses.</summary>
    public sealed class MoonbootBank
    {
        /// <summary>Creates a bank description.</summary>
        public MoonbootBank(string name, BankRole role, MemoryUnit unit, uint offset, ulong origin, uint size, uint pageCount)
        {
            Name = name; Role = role; Unit = unit; Offset = offset; Origin = origin; Size = size; PageCount = pageCount;
        }
        /// <summary>Name of the const that declares the bank.</summary>
        public string Name { get; }
        /// <summary>The bank's role.</summary>
        public BankRole Role { get; }
        /// <summary>The memory unit the bank lives on.</summary>
        public MemoryUnit Unit { get; }
        /// <summary>Offset from the origin of the memory unit (the config's Location).</summary>
        public uint Offset { get; }
        /// <summary>Absolute start address (internal units) or the offset itself (external units).</summary>
        public ulong Origin { get; }
        /// <summary>Size in bytes.</summary>
        public uint Size { get; }
        /// <summary>First address past the bank.</summary>
        public ulong End => Origin + Size;
        /// <summary>Number of flash pages (0 for the RAM bank).</summary>
        public uint PageCount { get; }
        /// <inheritdoc />
        public override string ToString() => $"{Name} ({Role}, {Unit}) 0x{Origin:X8}..0x{End:X8}";
    }

    /// <summary>A read-only view of a validated Moonboot layout, for host-side tools (flashers, signers, tests).</summary>
    public sealed class MoonbootLayout
    {
        /// <summary>Creates a layout view; normally only generated code calls this.</summary>
        public MoonbootLayout(uint flashOrigin, uint ramOrigin, uint pageSize, uint writeSize, byte erasedValue,
            bool hasRamState, uint ramStateOrigin, uint ramStateSize, uint maxImageSize, uint imageHeaderSize,
            IReadOnlyList<MoonbootBank> banks)
        {
            ImageHeaderSize = imageHeaderSize;
            FlashOrigin = flashOrigin; RamOrigin = ramOrigin; PageSize = pageSize; WriteSize = writeSize;
            ErasedValue = erasedValue; HasRamState = hasRamState; RamStateOrigin = ramStateOrigin;
            RamStateSize = ramStateSize; MaxImageSize = maxImageSize;
            Banks = banks ?? throw new ArgumentNullException(nameof(banks));
        }
        /// <summary>Absolute address of internal flash.</summary>
        public uint FlashOrigin { get; }
        /// <summary>Absolute address of RAM.</summary>
        public uint RamOrigin { get; }
        /// <summary>Flash erase unit in bytes.</summary>
        public uint PageSize { get; }
        /// <summary>Flash program granule in bytes.</summary>
        public uint WriteSize { get; }
        /// <summary>Value of an erased flash byte.</summary>
        public byte ErasedValue { get; }
        /// <summary>Whether a RAM-state section is reserved at the top of the RAM bank.</summary>
        public bool HasRamState { get; }
        /// <summary>Address of the RAM-state section (0 without RAM state).</summary>
        public uint RamStateOrigin { get; }
        /// <summary>Size of the RAM-state section in bytes (0 without RAM state).</summary>
        public uint RamStateSize { get; }
        /// <summary>Largest application image the exchange can move between the boot and update banks.</summary>
        public uint MaxImageSize { get; }
        /// <summary>Bytes of the MCUboot header before the application's vector table; 0 for CRC-only images.</summary>
        public uint ImageHeaderSize { get; }
        /// <summary>Whether images of this layout are signed MCUboot images (a header size is set).</summary>
        public bool IsSigned => ImageHeaderSize != 0;
        /// <summary>Every bank, in declaration order.</summary>
        public IReadOnlyList<MoonbootBank> Banks { get; }

        /// <summary>The bank with the given role, or null when the layout has none.</summary>
        public MoonbootBank? Find(BankRole role)
        {
            foreach (var bank in Banks)
            {
                if (bank.Role == role) return bank;
            }
            return null;
        }

        /// <summary>The bank with the given role; throws when the layout has none.</summary>
        public MoonbootBank Get(BankRole role) =>
            Find(role) ?? throw new InvalidOperationException($"The layout declares no {role} bank.");
    }
}
