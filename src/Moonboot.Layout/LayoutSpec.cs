// The layout rules live here once and are compiled into both the source generator and the MSBuild tasks,
// so the IDE and the command-line build can never disagree about what a valid layout is.
// Everything is plain data with value equality: the generator caches on it.
using System;
using System.Collections.Generic;
using System.Text;

namespace Moonboot.Layout
{
    internal enum LayoutBankRole { Bootloader = 0, Boot = 1, Update = 2, Ram = 3, State = 4, Scratch = 5 }

    internal enum LayoutMemoryUnit { Internal = 0, External = 1 }

    /// <summary>One [Bank] as declared: its size is the const's value, Location an offset from its unit's origin.
    /// A record: its equality (the generator's cache depends on it) is generated, not written by hand.</summary>
    internal sealed record LayoutBankSpec(string Name, LayoutBankRole Role, LayoutMemoryUnit Unit, ulong Location, ulong Size)
    {
        /// <summary>RAM is its own address space; flash banks share one per memory unit.</summary>
        public bool IsRam => Role == LayoutBankRole.Ram;
    }

    /// <summary>The [MoonbootConfig] class as declared, before validation.</summary>
    internal sealed class LayoutSpec : IEquatable<LayoutSpec>
    {
        public const ulong DefaultPageSize = 2048;
        public const ulong DefaultWriteSize = 8;
        public const ulong DefaultErasedValue = 0xFF;
        public const bool DefaultHasRamState = true;
        /// <summary>0: CRC-only images (no MCUboot header).</summary>
        public const ulong DefaultImageHeaderSize = 0;

        public LayoutSpec(string configName, ulong flashOrigin, ulong ramOrigin, ulong pageSize, ulong writeSize,
            ulong erasedValue, bool hasRamState, IReadOnlyList<LayoutBankSpec> banks,
            ulong imageHeaderSize = DefaultImageHeaderSize)
        {
            ConfigName = configName; FlashOrigin = flashOrigin; RamOrigin = ramOrigin; PageSize = pageSize;
            WriteSize = writeSize; ErasedValue = erasedValue; HasRamState = hasRamState; Banks = banks;
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
        public IReadOnlyList<LayoutBankSpec> Banks { get; }

        public bool Equals(LayoutSpec? other)
        {
            if (other is null || ConfigName != other.ConfigName || FlashOrigin != other.FlashOrigin
                || RamOrigin != other.RamOrigin || PageSize != other.PageSize || WriteSize != other.WriteSize
                || ErasedValue != other.ErasedValue || HasRamState != other.HasRamState
                || ImageHeaderSize != other.ImageHeaderSize
                || Banks.Count != other.Banks.Count)
            {
                return false;
            }
            for (int i = 0; i < Banks.Count; i++)
            {
                if (!Banks[i].Equals(other.Banks[i])) return false;
            }
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as LayoutSpec);

        public override int GetHashCode()
        {
            unchecked
            {
                int h = ConfigName.GetHashCode();
                h = h * 31 + FlashOrigin.GetHashCode();
                h = h * 31 + RamOrigin.GetHashCode();
                h = h * 31 + PageSize.GetHashCode();
                h = h * 31 + WriteSize.GetHashCode();
                h = h * 31 + ErasedValue.GetHashCode();
                h = h * 31 + (HasRamState ? 1 : 0);
                h = h * 31 + ImageHeaderSize.GetHashCode();
                foreach (var bank in Banks) h = h * 31 + bank.GetHashCode();
                return h;
            }
        }

        public override string ToString()
        {
            var text = new StringBuilder(ConfigName);
            foreach (var bank in Banks) text.Append(' ').Append(bank.Name);
            return text.ToString();
        }
    }
}
