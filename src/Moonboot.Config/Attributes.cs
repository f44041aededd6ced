using System;

namespace Moonboot
{
    // BankRole, MemoryUnit and the defaults below: src/Moonboot.Layout/LayoutVocabulary.cs, shared with the layout model.

    /// <summary>
    /// Marks a static partial class of <c>const uint</c> banks as the Moonboot memory layout.
    /// The source generator emits the bank constants into the class; the SDK turns it into memory.x and a C header.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class MoonbootConfigAttribute : Attribute
    {
        /// <summary>Absolute address of internal flash; flash bank locations are offsets from it.</summary>
        public uint FlashOrigin { get; set; }
        /// <summary>Absolute address of RAM; the RAM bank location is an offset from it.</summary>
        public uint RamOrigin { get; set; }
        /// <summary>Flash erase unit in bytes; a power of two.</summary>
        public uint PageSize { get; set; } = LayoutDefaults.PageSize;
        /// <summary>Flash program granule in bytes (1, 2, 4, 8 or 16).</summary>
        public uint WriteSize { get; set; } = LayoutDefaults.WriteSize;
        /// <summary>Value of an erased flash byte: 0xFF for NOR flash, 0x00 for some others.</summary>
        public uint ErasedValue { get; set; } = LayoutDefaults.ErasedValue;
        /// <summary>Reserve the RAM-state section at the top of the RAM bank (carries requests across a warm reset).</summary>
        public bool HasRamState { get; set; } = LayoutDefaults.HasRamState;
        /// <summary>
        /// Bytes of the MCUboot image header before the application's vector table. 0 (the default): CRC-only images.
        /// Otherwise images are signed in MCUboot's format: at least 32, a multiple of 128 (VTOR alignment), e.g. 0x200.
        /// </summary>
        public uint ImageHeaderSize { get; set; } = LayoutDefaults.ImageHeaderSize;
    }

    /// <summary>Marks a <c>const uint</c> as a bank; its value is the bank's size in bytes.</summary>
    [AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
    public sealed class BankAttribute : Attribute
    {
        /// <summary>Declares a bank with the given role.</summary>
        public BankAttribute(BankRole role) { Role = role; }
        /// <summary>The role of the bank.</summary>
        public BankRole Role { get; }
        /// <summary>Offset of the bank from the origin of its memory unit.</summary>
        public uint Location { get; set; }
        /// <summary>The memory unit the bank lives on.</summary>
        public MemoryUnit Unit { get; set; } = MemoryUnit.Internal;
    }
}
