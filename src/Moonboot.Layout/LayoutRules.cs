using System;
using System.Collections.Generic;

namespace Moonboot.Layout
{
    /// <summary>Checks a declared layout against every rule the runtime and the linker depend on.</summary>
    internal static class LayoutRules
    {
        private const ulong AddressSpaceEnd = 0x1_0000_0000UL;
        private static readonly BankRole[] RequiredRoles = new[]
            { BankRole.Bootloader, BankRole.Boot, BankRole.Update, BankRole.Ram };

        /// <summary>Every broken rule, errors and warnings, in a stable order. Empty means valid.</summary>
        public static IReadOnlyList<LayoutIssue> Validate(LayoutSpec spec)
        {
            var issues = new List<LayoutIssue>();
            var layout = new ResolvedLayout(spec);
            bool pageSizeValid = spec.PageSize != 0 && (spec.PageSize & (spec.PageSize - 1)) == 0;

            if (!pageSizeValid)
            {
                issues.Add(Property(LayoutRule.PageSizeNotPowerOfTwo, "PageSize",
                    $"PageSize {LayoutFormat.Decimal(spec.PageSize)} is not a power of two; flash erase pages are " +
                    $"{NearestPowersOfTwo(spec.PageSize)}. Use the erase page size from the part's reference manual."));
            }
            else if (spec.PageSize < ResolvedLayout.JournalRecordSize)
            {
                // The runtime's moonboot_init refuses such a page (page_size >= MOONBOOT_RECORD_BYTES); the rules
                // below would only add noise about a page size that has to change anyway.
                pageSizeValid = false;
                issues.Add(Property(LayoutRule.PageSmallerThanRecord, "PageSize",
                    $"PageSize {LayoutFormat.Decimal(spec.PageSize)} is smaller than the runtime's " +
                    $"{LayoutFormat.Decimal(ResolvedLayout.JournalRecordSize)}-byte journal record, so the bootloader " +
                    "would refuse the layout at boot (moonboot_init). Use the part's erase page size; parts whose " +
                    $"pages are smaller than {LayoutFormat.Decimal(ResolvedLayout.JournalRecordSize)} bytes are not supported."));
            }
            ulong w = spec.WriteSize;
            // A valid page is at least the 32-byte record, so a valid granule (16 at most) never exceeds it.
            if (!(w == 1 || w == 2 || w == 4 || w == 8 || w == 16))
            {
                issues.Add(Property(LayoutRule.InvalidWriteSize, "WriteSize",
                    $"WriteSize {LayoutFormat.Decimal(w)} is not a valid program granule: use 1, 2, 4, 8 or 16 bytes, " +
                    "no larger than PageSize (STM32L4: 8, nRF52: 4, STM32H7: 32 is not supported yet)."));
            }
            if (spec.ErasedValue != 0xFF && spec.ErasedValue != 0x00)
            {
                issues.Add(Property(LayoutRule.InvalidErasedValue, "ErasedValue",
                    $"ErasedValue {LayoutFormat.Hex(spec.ErasedValue)} is neither 0xFF (NOR flash) nor 0x00."));
            }

            var seenRoles = new Dictionary<BankRole, ResolvedBank>();
            foreach (var bank in layout.Banks)
            {
                if (seenRoles.TryGetValue(bank.Role, out var first))
                {
                    issues.Add(Bank(LayoutRule.DuplicateRole, bank,
                        $"Bank '{bank.Name}' has role {bank.Role}, which bank '{first.Name}' already has; " +
                        "a layout has at most one bank per role."));
                    continue;
                }
                seenRoles.Add(bank.Role, bank);
            }
            foreach (var role in RequiredRoles)
            {
                if (!seenRoles.ContainsKey(role))
                {
                    issues.Add(new LayoutIssue(LayoutRule.RequiredBankMissing,
                        $"The layout '{spec.ConfigName}' has no {role} bank. Add one: " +
                        $"[Bank(BankRole.{role}, Location = ...)] public const uint {role} = <size in bytes>;",
                        LayoutIssueTarget.ConfigClass, spec.ConfigName));
                }
            }

            foreach (var bank in layout.Banks)
            {
                CheckBank(spec, bank, pageSizeValid, issues);
            }
            CheckOverlaps(layout, issues);

            bool haveBoot = seenRoles.TryGetValue(BankRole.Boot, out var boot);
            bool haveUpdate = seenRoles.TryGetValue(BankRole.Update, out var update);
            if (haveBoot && haveUpdate && boot!.Size != 0 && update!.Size != 0)
            {
                if (update.Size < boot.Size)
                {
                    issues.Add(Bank(LayoutRule.UpdateBankTooSmall, update,
                        $"Update bank '{update.Name}' is {LayoutFormat.Bytes(update.Size)}, smaller than boot bank " +
                        $"'{boot.Name}' ({LayoutFormat.Bytes(boot.Size)}): the update bank must be at least " +
                        $"{LayoutFormat.Bytes(boot.Size)}, and {LayoutFormat.Bytes(boot.Size + spec.PageSize)} " +
                        "(one page more) to let an image fill the whole boot bank."));
                }
                else if (pageSizeValid && layout.MaxImageSize == 0)
                {
                    issues.Add(Bank(LayoutRule.NoRoomForImage, update,
                        $"Update bank '{update.Name}' is {LayoutFormat.Bytes(update.Size)}: the exchange keeps one " +
                        $"spare page of {LayoutFormat.Bytes(spec.PageSize)} in it, which leaves no room for an image. " +
                        "Give the update bank at least two pages."));
                }
            }

            bool haveState = seenRoles.TryGetValue(BankRole.State, out var state);
            // With no room for an image (MB0019) the wear count is its floor of 2 pages, which MB0015 already asks for.
            if (pageSizeValid && haveState && haveBoot && haveUpdate
                && state!.Size % spec.PageSize == 0 && state.Size / spec.PageSize >= 2
                && state.Size / spec.PageSize < layout.StatePagesForWear)
            {
                ulong imagePages = (layout.MaxImageSize + spec.PageSize - 1) / spec.PageSize;
                ulong wanted = layout.StatePagesForWear;
                issues.Add(Bank(LayoutRule.StateBankWearsFaster, state,
                    $"State bank '{state.Name}' has {LayoutFormat.Decimal(state.Size / spec.PageSize)} pages, but an " +
                    $"exchange of the largest image ({LayoutFormat.Decimal(imagePages)} pages) writes up to " +
                    $"{LayoutFormat.Decimal(2 * imagePages + 2)} journal records of {LayoutFormat.Decimal(ResolvedLayout.JournalRecordSize)} bytes, " +
                    "so its pages would be erased more often than the bank pages and wear out first. Give it " +
                    $"{LayoutFormat.Decimal(wanted)} pages: {LayoutFormat.Bytes(wanted * spec.PageSize)}."));
            }

            CheckImageHeaderSize(spec, layout, haveBoot && haveUpdate && pageSizeValid, issues);

            if (seenRoles.TryGetValue(BankRole.Bootloader, out var bootloader)
                && (bootloader.Unit != MemoryUnit.Internal || bootloader.Offset != 0))
            {
                issues.Add(Bank(LayoutRule.BootloaderNotAtStart, bootloader,
                    $"Bootloader bank '{bootloader.Name}' starts at {LayoutFormat.Hex(bootloader.Origin)}, not at " +
                    $"FlashOrigin {LayoutFormat.Hex(spec.FlashOrigin)}: most parts start executing at the start of " +
                    "flash, so make sure yours boots from this address (or set Location = 0)."));
            }

            if (seenRoles.TryGetValue(BankRole.Ram, out var ram))
            {
                if (ram.Origin % 8 != 0 || ram.Size % 8 != 0)
                {
                    issues.Add(Bank(LayoutRule.RamBankMisaligned, ram,
                        $"RAM bank '{ram.Name}' ({LayoutFormat.Range(ram.Origin, ram.End)}) must start and end on an " +
                        "8-byte boundary: the stack starts at its top (AAPCS requires 8-byte alignment) and the RAM " +
                        "state sits there."));
                }
                if (spec.HasRamState && ram.Size <= ResolvedLayout.RamStateRecordSize)
                {
                    issues.Add(Bank(LayoutRule.RamStateDoesNotFit, ram,
                        $"RAM bank '{ram.Name}' is {LayoutFormat.Bytes(ram.Size)}, but the RAM state alone takes " +
                        $"{LayoutFormat.Bytes(ResolvedLayout.RamStateRecordSize)} at its top. Enlarge the RAM bank or " +
                        "set HasRamState = false."));
                }
            }
            return issues;
        }

        private static void CheckBank(LayoutSpec spec, ResolvedBank bank, bool pageSizeValid, List<LayoutIssue> issues)
        {
            if (bank.Size == 0)
            {
                issues.Add(Bank(LayoutRule.EmptyBank, bank, $"Bank '{bank.Name}' has size 0; give it its size in bytes."));
            }
            if (bank.End > AddressSpaceEnd)
            {
                issues.Add(Bank(LayoutRule.BankPastAddressSpace, bank,
                    $"Bank '{bank.Name}' ({LayoutFormat.Range(bank.Origin, bank.End)}) runs past the end of the 32-bit " +
                    $"address space at 0x100000000 by {LayoutFormat.Bytes(bank.End - AddressSpaceEnd)}. Check its " +
                    "Location and size, and the config's origin."));
            }
            if (bank.Unit == MemoryUnit.External
                && (bank.Role == BankRole.Bootloader || bank.Role == BankRole.Boot || bank.Role == BankRole.Ram))
            {
                issues.Add(Bank(LayoutRule.BankMustBeInternal, bank,
                    $"Bank '{bank.Name}' has role {bank.Role} but Unit = MemoryUnit.External: the CPU executes the " +
                    "bootloader and boot banks in place and uses RAM directly, so they must be internal. Only Update, " +
                    "State and Scratch banks may live on external flash."));
            }
            if (bank.Spec.IsRam || !pageSizeValid)
            {
                return;
            }
            if (bank.Offset % spec.PageSize != 0)
            {
                ulong below = bank.Offset - bank.Offset % spec.PageSize;
                issues.Add(Bank(LayoutRule.LocationNotPageAligned, bank,
                    $"Bank '{bank.Name}' starts at offset {LayoutFormat.Hex(bank.Offset)} ({LayoutFormat.Hex(bank.Origin)}), " +
                    $"which is not a multiple of PageSize {LayoutFormat.Decimal(spec.PageSize)}: a page erase would hit " +
                    $"its neighbour. Use Location {LayoutFormat.Hex(below)} or {LayoutFormat.Hex(below + spec.PageSize)}.",
                    Suggest(below, below + spec.PageSize)));
            }
            if (bank.Size % spec.PageSize != 0)
            {
                ulong below = bank.Size - bank.Size % spec.PageSize;
                issues.Add(Bank(LayoutRule.SizeNotPageAligned, bank,
                    $"Bank '{bank.Name}' is {LayoutFormat.Bytes(bank.Size)}, not a multiple of PageSize " +
                    $"{LayoutFormat.Decimal(spec.PageSize)}. Use {LayoutFormat.Decimal(below)} or " +
                    $"{LayoutFormat.Decimal(below + spec.PageSize)} bytes.",
                    Suggest(below, below + spec.PageSize)));
            }
            if (bank.Role == BankRole.State && bank.Size != 0 && bank.Size / spec.PageSize < 2)
            {
                issues.Add(Bank(LayoutRule.StateBankTooSmall, bank,
                    $"State bank '{bank.Name}' is {LayoutFormat.Bytes(bank.Size)}: the journal needs at least two " +
                    $"pages ({LayoutFormat.Bytes(2 * spec.PageSize)}) so one always holds the state while the other is erased."));
            }
        }

        /// <summary>Largest MCUboot header: its hdr_size field is 16 bits; the largest multiple of 128 below 2^16.</summary>
        public const ulong MaxImageHeaderSize = 0xFF80;

        /// <summary>The VTOR alignment the header keeps: 128 bytes covers vector tables of up to 32 entries.</summary>
        public const ulong ImageHeaderAlignment = 128;

        private static void CheckImageHeaderSize(LayoutSpec spec, ResolvedLayout layout, bool banksKnown, List<LayoutIssue> issues)
        {
            // 0, CRC-only images, passes both checks: a multiple of 128 that adds no overhead.
            ulong h = spec.ImageHeaderSize;
            string? problem = null;
            // A multiple of 128 is also at least the 32-byte MCUboot header.
            if (h % ImageHeaderAlignment != 0 || h > MaxImageHeaderSize)
            {
                // The aligned values around h, never past the largest header (then that one alone is offered).
                ulong below = Math.Min(h - h % ImageHeaderAlignment, MaxImageHeaderSize);
                ulong above = Math.Min(below + ImageHeaderAlignment, MaxImageHeaderSize);
                problem = $"ImageHeaderSize {LayoutFormat.Hex(h)} is not a multiple of {LayoutFormat.Decimal(ImageHeaderAlignment)} " +
                    $"between {LayoutFormat.Decimal(ImageHeaderAlignment)} and {LayoutFormat.Hex(MaxImageHeaderSize)}: the " +
                    "application's vector table sits right after the header, and VTOR needs it aligned (128 bytes for up " +
                    "to 32 vectors; use a multiple of the table's own alignment, e.g. 0x200 for up to 128 vectors). Use " +
                    (below >= ImageHeaderAlignment && below != above ? $"{LayoutFormat.Hex(below)} or " : "") + $"{LayoutFormat.Hex(above)}, " +
                    "or 0 for CRC-only images.";
            }
            else if (banksKnown && layout.MaxImageSize > 0 && layout.MaxApplicationSize == 0)
            {
                problem = $"ImageHeaderSize {LayoutFormat.Hex(h)} plus the {LayoutFormat.Decimal(ResolvedLayout.SignedTlvSize)}-byte " +
                    $"TLV area of a signed image leaves no room for an application in the largest image the exchange moves " +
                    $"({LayoutFormat.Bytes(layout.MaxImageSize)}). Use a smaller header (0x200 is usual) or larger banks.";
            }
            if (problem != null)
            {
                issues.Add(Property(LayoutRule.InvalidImageHeaderSize, "ImageHeaderSize", problem));
            }
        }

        private static void CheckOverlaps(ResolvedLayout layout, List<LayoutIssue> issues)
        {
            var banks = layout.Banks;
            for (int later = 1; later < banks.Count; later++)
            {
                for (int earlier = 0; earlier < later; earlier++)
                {
                    var a = banks[earlier];
                    var b = banks[later];
                    bool sameSpace = a.Spec.IsRam == b.Spec.IsRam && (a.Spec.IsRam || a.Unit == b.Unit);
                    if (!sameSpace || a.Size == 0 || b.Size == 0 || a.Origin >= b.End || b.Origin >= a.End)
                    {
                        continue;
                    }
                    string unit = a.Spec.IsRam ? "RAM" : a.Unit == MemoryUnit.Internal ? "internal flash" : "external flash";
                    issues.Add(Bank(LayoutRule.BanksOverlap, b,
                        $"Bank '{b.Name}' ({LayoutFormat.Range(b.Origin, b.End)}) overlaps bank '{a.Name}' " +
                        $"({LayoutFormat.Range(a.Origin, a.End)}) on {unit}. Move '{b.Name}' to Location " +
                        $"{LayoutFormat.Hex(a.Offset + a.Size)} or later, or shrink '{a.Name}'."));
                }
            }
        }

        private static string NearestPowersOfTwo(ulong value)
        {
            if (value == 0) return "never 0";
            ulong below = 1;
            while (below * 2 <= value) below *= 2;
            return $"powers of two such as {LayoutFormat.Decimal(below)} or {LayoutFormat.Decimal(below * 2)}";
        }

        /// <summary>
        /// MB0027: a [Bank] role the compiler accepted through a cast, <c>[Bank((BankRole)42)]</c>, that no BankRole
        /// member names. The layout cannot be checked or generated from a role that does not exist; null when defined.
        /// </summary>
        public static LayoutIssue? CheckRole(string bankName, int role) =>
            Enum.IsDefined(typeof(BankRole), role)
                ? null
                : Undefined(bankName, $"role {Cast(nameof(BankRole), role)}", typeof(BankRole));

        /// <summary>MB0027: a [Bank] <c>Unit = (MemoryUnit)7</c> that no MemoryUnit member names; null when defined.</summary>
        public static LayoutIssue? CheckUnit(string bankName, int unit) =>
            Enum.IsDefined(typeof(MemoryUnit), unit)
                ? null
                : Undefined(bankName, $"Unit = {Cast(nameof(MemoryUnit), unit)}", typeof(MemoryUnit));

        /// <summary>The cast as the user wrote it: "(BankRole)42", "(MemoryUnit)(-1)".</summary>
        private static string Cast(string type, int value) =>
            value < 0
                ? $"({type})({value.ToString(System.Globalization.CultureInfo.InvariantCulture)})"
                : $"({type}){value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

        private static LayoutIssue Undefined(string bankName, string written, Type type)
        {
            var members = new List<string>();
            foreach (var member in Enum.GetNames(type)) members.Add(type.Name + "." + member);
            string last = members[members.Count - 1];
            members.RemoveAt(members.Count - 1);
            return new LayoutIssue(LayoutRule.UndefinedRoleOrUnit,
                $"Bank '{bankName}' has {written}, which is not a defined {type.Name}, so the layout can be neither " +
                $"checked nor generated. Use one of {string.Join(", ", members)} or {last}.",
                LayoutIssueTarget.Bank, bankName);
        }

        private static LayoutIssue Bank(LayoutRule rule, ResolvedBank bank, string message, string? suggestions = null) =>
            new(rule, message, LayoutIssueTarget.Bank, bank.Name, suggestions);

        /// <summary>The page multiples around a value, for the round-down/round-up code fixes; 0 is never offered
        /// as a size (MB0016), and nothing past the 32-bit range is.</summary>
        private static string? Suggest(ulong below, ulong above)
        {
            var values = new List<string>();
            if (below != 0) values.Add(LayoutFormat.Decimal(below));
            if (above <= uint.MaxValue) values.Add(LayoutFormat.Decimal(above));
            return values.Count == 0 ? null : string.Join(",", values);
        }

        private static LayoutIssue Property(LayoutRule rule, string property, string message) =>
            new(rule, message, LayoutIssueTarget.ConfigProperty, property);
    }
}
