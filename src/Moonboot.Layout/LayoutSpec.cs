// The layout rules live here once and are compiled into both the source generator and the MSBuild tasks,
// so the IDE and the command-line build can never disagree about what a valid layout is.
// Everything is plain data with value equality: the generator caches on it.
using System.Collections.Generic;
using System.Text;

namespace Moonboot.Layout
{
    // BankRole, MemoryUnit and the defaults: LayoutVocabulary.cs, the one definition Moonboot.Config shares.

    /// <summary>One [Bank] as declared: its size is the const's value, Location an offset from its unit's origin.
    /// A record: its equality (the generator's cache depends on it) is generated, not written by hand.</summary>
    internal sealed record LayoutBankSpec(string Name, BankRole Role, MemoryUnit Unit, ulong Location, ulong Size)
    {
        /// <summary>RAM is its own address space; flash banks share one per memory unit.</summary>
        public bool IsRam => Role == BankRole.Ram;
    }

    /// <summary>The [MoonbootConfig] class as declared, before validation. A record over an
    /// <see cref="EquatableArray{T}"/> of banks: its equality (the generator's cache depends on it) is generated, so a
    /// new property is compared and hashed without anyone writing it twice.</summary>
    internal sealed record LayoutSpec
    {
        public LayoutSpec(string configName, ulong flashOrigin, ulong ramOrigin, ulong pageSize, ulong writeSize,
            ulong erasedValue, bool hasRamState, IEnumerable<LayoutBankSpec> banks,
            ulong imageHeaderSize = LayoutDefaults.ImageHeaderSize)
        {
            ConfigName = configName; FlashOrigin = flashOrigin; RamOrigin = ramOrigin; PageSize = pageSize;
            WriteSize = writeSize; ErasedValue = erasedValue; HasRamState = hasRamState;
            Banks = new EquatableArray<LayoutBankSpec>(banks);
            ImageHeaderSize = imageHeaderSize;
        }

        /// <summary>Simple name of the config class (used in generated comments only).</summary>
        public string ConfigName { get; }
        public ulong FlashOrigin { get; }
        public ulong RamOrigin { get; }
        public ulong PageSize { get; }
        public ulong WriteSize { get; }
        public ulong ErasedValue { get; }
        public bool HasRamState { get; }
        /// <summary>MCUboot header bytes before the vector table; 0 for CRC-only images.</summary>
        public ulong ImageHeaderSize { get; }
        public EquatableArray<LayoutBankSpec> Banks { get; }

        public override string ToString()
        {
            var text = new StringBuilder(ConfigName);
            foreach (var bank in Banks) text.Append(' ').Append(bank.Name);
            return text.ToString();
        }
    }
}
