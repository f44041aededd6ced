using System;
using System.Collections.Generic;

namespace Moonboot.Layout
{
    /// <summary>A bank with its derived addresses.</summary>
    internal sealed class ResolvedBank
    {
        public ResolvedBank(LayoutBankSpec spec, ulong origin, ulong pageCount)
        {
            Spec = spec; Origin = origin; PageCount = pageCount;
        }

        public LayoutBankSpec Spec { get; }
        public string Name => Spec.Name;
        public BankRole Role => Spec.Role;
        public MemoryUnit Unit => Spec.Unit;
        public ulong Offset => Spec.Location;
        public ulong Size => Spec.Size;
        /// <summary>Absolute address for internal flash and RAM; the offset itself on an external unit.</summary>
        public ulong Origin { get; }
        public ulong End => Origin + Size;
        /// <summary>Erase pages in the bank; 0 for the RAM bank.</summary>
        public ulong PageCount { get; }
        /// <summary>Name used in C macros and in the generated C# nested class: BOOT / Boot.</summary>
        public string RoleMacro => Role.ToString().ToUpperInvariant();
    }

    /// <summary>A valid layout with every derived value the generated files need.</summary>
    internal sealed class ResolvedLayout
    {
        /// <summary>Bytes of the runtime's RAM state record (struct moonboot_ram_state), already a multiple of 8.</summary>
        public const ulong RamStateRecordSize = 32;

        public ResolvedLayout(LayoutSpec spec)
        {
            Spec = spec;
            var banks = new List<ResolvedBank>();
            foreach (var bank in spec.Banks)
            {
                ulong unitOrigin = bank.IsRam ? spec.RamOrigin
                    : bank.Unit == MemoryUnit.Internal ? spec.FlashOrigin : 0;
                ulong pages = bank.IsRam || spec.PageSize == 0 ? 0 : bank.Size / spec.PageSize;
                banks.Add(new ResolvedBank(bank, unitOrigin + bank.Location, pages));
            }
            Banks = banks;
        }

        public LayoutSpec Spec { get; }
        public IReadOnlyList<ResolvedBank> Banks { get; }
        public ulong PageSize => Spec.PageSize;
        public ulong WriteSize => Spec.WriteSize;
        public ulong ErasedValue => Spec.ErasedValue;
        public bool HasRamState => Spec.HasRamState;
        public ulong ImageHeaderSize => Spec.ImageHeaderSize;
        /// <summary>Signed layouts: images carry an MCUboot header of <see cref="ImageHeaderSize"/> bytes and a TLV area.</summary>
        public bool IsSigned => Spec.ImageHeaderSize != 0;

        /// <summary>
        /// Bytes of the TLV area an Ed25519-signed image with a security counter carries (imgtool's layout): protected
        /// info header 4 + security counter 4+4, info header 4 + SHA-256 4+32 + key hash 4+32 + signature 4+64.
        /// </summary>
        public const ulong SignedTlvSize = 12 + 144;

        /// <summary>What a signed image adds around the linked application: header and TLVs; 0 when unsigned.</summary>
        public ulong ImageOverhead => IsSigned ? ImageHeaderSize + SignedTlvSize : 0;

        /// <summary>Largest linked application (vector table to the end of .data's load image) that still fits
        /// <see cref="MaxImageSize"/> once the header and TLVs are added.</summary>
        public ulong MaxApplicationSize => MaxImageSize > ImageOverhead ? MaxImageSize - ImageOverhead : 0;

        public ResolvedBank? Find(BankRole role)
        {
            foreach (var bank in Banks)
            {
                if (bank.Role == role) return bank;
            }
            return null;
        }

        public ResolvedBank Get(BankRole role) =>
            Find(role) ?? throw new InvalidOperationException("The layout has no " + role + " bank.");

        /// <summary>
        /// The shifted exchange chain needs one spare page in the update bank, so an image may fill the boot bank
        /// only when the update bank is at least one page larger.
        /// </summary>
        public ulong MaxImageSize
        {
            get
            {
                var boot = Get(BankRole.Boot).Size;
                var update = Get(BankRole.Update).Size;
                ulong updateRoom = update > PageSize ? update - PageSize : 0;
                return Math.Min(boot, updateRoom);
            }
        }

        /// <summary>Bytes of one record of the runtime's flash journal (MOONBOOT_RECORD_BYTES).</summary>
        public const ulong JournalRecordSize = 32;

        /// <summary>
        /// State pages for which no journal page is erased more often than a bank page: an exchange of the largest
        /// image writes one record per half-step (two per image page) plus two, and the journal ring erases a page
        /// each time it enters it; one page more keeps the page being filled out of the count.
        /// </summary>
        public ulong StatePagesForWear
        {
            get
            {
                ulong imagePages = (MaxImageSize + PageSize - 1) / PageSize;
                ulong journalBytes = (2 * imagePages + 2) * JournalRecordSize;
                return Math.Max(2, (journalBytes + PageSize - 1) / PageSize + 1);
            }
        }

        public ulong RamStateSize => HasRamState ? RamStateRecordSize : 0;

        /// <summary>The RAM state sits at the top of the RAM bank, so the stack grows down from just below it.</summary>
        public ulong RamStateOrigin => HasRamState ? Get(BankRole.Ram).End - RamStateRecordSize : 0;

        /// <summary>RAM the firmware links into: the RAM bank minus the state section.</summary>
        public ulong FirmwareRamSize => Get(BankRole.Ram).Size - RamStateSize;
    }
}
