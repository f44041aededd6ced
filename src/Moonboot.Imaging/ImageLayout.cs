using System;
using System.Collections.Generic;
using Moonboot.Layout;

namespace Moonboot.Imaging
{
    /// <summary>One bank of the layout, as the map and the signer see it.</summary>
    public sealed class LayoutBank
    {
        internal LayoutBank(ResolvedBank bank)
        {
            Name = bank.Name; Role = bank.Role.ToString(); Unit = bank.Unit.ToString();
            Origin = bank.Origin; Size = bank.Size; PageCount = bank.PageCount;
        }

        public string Name { get; }
        /// <summary>Bootloader, Boot, Update, Ram, State or Scratch.</summary>
        public string Role { get; }
        /// <summary>Internal or External.</summary>
        public string Unit { get; }
        /// <summary>Absolute address (internal flash, RAM) or offset on the external unit.</summary>
        public ulong Origin { get; }
        public ulong Size { get; }
        public ulong End => Origin + Size;
        /// <summary>Erase pages; 0 for RAM.</summary>
        public ulong PageCount { get; }
        public bool IsRam => Role == nameof(BankRole.Ram);
    }

    /// <summary>
    /// The memory layout of a Moonboot config, validated, with everything the signer needs: the image header size,
    /// the slot (update bank) size and the largest image the exchange can move. Nobody types these.
    /// </summary>
    public sealed class ImageLayout
    {
        /// <summary>
        /// The header size for images signed without a signed layout (no layout, or a CRC-only one whose
        /// ImageHeaderSize is 0). 0x200 is imgtool's and MCUboot's usual value, and keeps the vector table aligned for
        /// VTOR for up to 128 vectors (Cortex-M needs the table aligned to its size rounded up to a power of two).
        /// </summary>
        public const int DefaultHeaderSize = 0x200;

        internal ImageLayout(ResolvedLayout layout, string source)
        {
            Resolved = layout;
            Source = source;
            var banks = new List<LayoutBank>();
            foreach (var bank in layout.Banks) banks.Add(new LayoutBank(bank));
            Banks = banks;
        }

        internal ResolvedLayout Resolved { get; }

        /// <summary>Where the layout came from (file or assembly path), for messages.</summary>
        public string Source { get; }
        public string ConfigName => Resolved.Spec.ConfigName;
        public IReadOnlyList<LayoutBank> Banks { get; }
        public ulong PageSize => Resolved.PageSize;
        public ulong WriteSize => Resolved.WriteSize;
        public byte ErasedValue => (byte)Resolved.ErasedValue;
        public ulong FlashOrigin => Resolved.Spec.FlashOrigin;
        public ulong RamOrigin => Resolved.Spec.RamOrigin;

        /// <summary>Whether the layout declares signed images ([MoonbootConfig(ImageHeaderSize = ...)] is not 0).</summary>
        public bool IsSigned => Resolved.IsSigned;

        /// <summary>Bytes of the MCUboot header in front of the vector table: the layout's ImageHeaderSize, or
        /// <see cref="DefaultHeaderSize"/> for a CRC-only layout.</summary>
        public int HeaderSize => IsSigned ? checked((int)Resolved.ImageHeaderSize) : DefaultHeaderSize;
        /// <summary>MCUboot's "slot size": the update bank, where an upload lands.</summary>
        public ulong SlotSize => Resolved.Get(BankRole.Update).Size;
        /// <summary>The largest image (header, payload and TLVs) the exchange can move.</summary>
        public ulong MaxImageSize => Resolved.MaxImageSize;
        public LayoutBank BootBank => Find("Boot")!;
        public LayoutBank UpdateBank => Find("Update")!;

        public LayoutBank? Find(string role)
        {
            foreach (var bank in Banks) if (bank.Role == role) return bank;
            return null;
        }

        /// <summary>Why <see cref="MaxImageSize"/> is what it is, for messages.</summary>
        public string MaxImageSizeReason
        {
            get
            {
                ulong boot = BootBank.Size, update = UpdateBank.Size;
                return update > PageSize && update - PageSize < boot
                    ? $"the update bank ({update} bytes) minus the exchange's spare page ({PageSize} bytes)"
                    : $"the boot bank ({boot} bytes)";
            }
        }

        /// <summary>Parses and validates a normalized layout (layout.txt or the assembly's manifest).</summary>
        public static ImageLayout FromManifest(string text, string source)
        {
            LayoutSpec spec;
            try
            {
                spec = LayoutManifest.Read(text);
            }
            catch (FormatException e)
            {
                throw new MoonbootException(MoonbootError.LayoutFormat, $"{source}: not a moonboot layout: {e.Message}");
            }
            foreach (var issue in LayoutRules.Validate(spec))
            {
                if (issue.Severity == LayoutIssueSeverity.Error)
                {
                    throw new MoonbootException(MoonbootError.LayoutInvalid, $"{source}: {issue.Id}: {issue.Message}");
                }
            }
            return new ImageLayout(new ResolvedLayout(spec), source);
        }
    }
}
