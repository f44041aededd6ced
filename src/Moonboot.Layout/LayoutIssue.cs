using System;
using System.Collections.Generic;

namespace Moonboot.Layout
{
    internal enum LayoutIssueSeverity { Error, Warning }

    /// <summary>What an issue points at, so the generator can place the squiggle on the right token.</summary>
    internal enum LayoutIssueTarget { ConfigClass, ConfigProperty, Bank }

    /// <summary>One broken layout rule, with its message already written for the user.</summary>
    internal sealed class LayoutIssue : IEquatable<LayoutIssue>
    {
        public LayoutIssue(LayoutRule rule, string message, LayoutIssueTarget target, string targetName)
        {
            Rule = rule; Message = message; Target = target; TargetName = targetName;
        }

        public LayoutRule Rule { get; }
        public string Id => Rule.Id;
        public LayoutIssueSeverity Severity => Rule.Severity;
        public string Message { get; }
        public LayoutIssueTarget Target { get; }
        /// <summary>Bank const name, config property name (PageSize, ...) or the config class name.</summary>
        public string TargetName { get; }

        public bool Equals(LayoutIssue? other) =>
            other is not null && Rule.Id == other.Rule.Id && Message == other.Message
            && Target == other.Target && TargetName == other.TargetName;
        public override bool Equals(object? obj) => Equals(obj as LayoutIssue);
        public override int GetHashCode() => unchecked(Id.GetHashCode() * 31 + Message.GetHashCode());
        public override string ToString() => $"{Id}: {Message}";
    }

    /// <summary>A diagnostic rule: its ID, severity and title. Every rule has a page docs/diagnostics/&lt;Id&gt;.md.</summary>
    internal sealed class LayoutRule
    {
        private LayoutRule(string id, LayoutIssueSeverity severity, string title)
        {
            Id = id; Severity = severity; Title = title;
        }

        public string Id { get; }
        public LayoutIssueSeverity Severity { get; }
        public string Title { get; }
        public string HelpLink => "https://github.com/moonboot-sdk/moonboot-sdk/blob/main/docs/diagnostics/" + Id + ".md";

        // Layout rules, checked by LayoutRules.Validate (shared by the generator and the tasks).
        public static readonly LayoutRule BanksOverlap = new("MB0001", LayoutIssueSeverity.Error, "Banks overlap");
        public static readonly LayoutRule LocationNotPageAligned = new("MB0002", LayoutIssueSeverity.Error, "Bank location is not a multiple of the page size");
        public static readonly LayoutRule SizeNotPageAligned = new("MB0003", LayoutIssueSeverity.Error, "Bank size is not a multiple of the page size");
        public static readonly LayoutRule PageSizeNotPowerOfTwo = new("MB0004", LayoutIssueSeverity.Error, "PageSize is not a power of two");
        public static readonly LayoutRule RequiredBankMissing = new("MB0005", LayoutIssueSeverity.Error, "A required bank is missing");
        public static readonly LayoutRule UpdateBankTooSmall = new("MB0006", LayoutIssueSeverity.Error, "Update bank is smaller than the boot bank");
        public static readonly LayoutRule BootloaderNotAtStart = new("MB0007", LayoutIssueSeverity.Warning, "Bootloader bank is not at offset 0 of internal flash");
        public static readonly LayoutRule RamStateDoesNotFit = new("MB0008", LayoutIssueSeverity.Error, "The RAM state does not fit in the RAM bank");
        public static readonly LayoutRule BankPastAddressSpace = new("MB0009", LayoutIssueSeverity.Error, "Bank runs past the 32-bit address space");
        // Declaration rules, checked by the generator on the syntax and symbols.
        public static readonly LayoutRule MultipleConfigs = new("MB0010", LayoutIssueSeverity.Error, "More than one [MoonbootConfig] class in the project");
        public static readonly LayoutRule BankNotConstUInt = new("MB0011", LayoutIssueSeverity.Error, "[Bank] is not on a const uint");
        public static readonly LayoutRule ConfigNotPartial = new("MB0012", LayoutIssueSeverity.Error, "[MoonbootConfig] class is not partial");
        // More layout rules.
        public static readonly LayoutRule InvalidWriteSize = new("MB0013", LayoutIssueSeverity.Error, "WriteSize is not 1, 2, 4, 8 or 16, or exceeds PageSize");
        public static readonly LayoutRule DuplicateRole = new("MB0014", LayoutIssueSeverity.Error, "Two banks have the same role");
        public static readonly LayoutRule StateBankTooSmall = new("MB0015", LayoutIssueSeverity.Error, "State bank has fewer than two pages");
        public static readonly LayoutRule EmptyBank = new("MB0016", LayoutIssueSeverity.Error, "Bank size is zero");
        public static readonly LayoutRule InvalidErasedValue = new("MB0017", LayoutIssueSeverity.Error, "ErasedValue is neither 0xFF nor 0x00");
        public static readonly LayoutRule BankMustBeInternal = new("MB0018", LayoutIssueSeverity.Error, "Bank must be on internal memory");
        public static readonly LayoutRule NoRoomForImage = new("MB0019", LayoutIssueSeverity.Error, "The banks leave no room for an application image");
        public static readonly LayoutRule RamBankMisaligned = new("MB0020", LayoutIssueSeverity.Error, "RAM bank is not 8-byte aligned");
        // More declaration rules (generator).
        public static readonly LayoutRule ConfigNotStatic = new("MB0021", LayoutIssueSeverity.Error, "[MoonbootConfig] class is not static");
        public static readonly LayoutRule GeneratedNameTaken = new("MB0022", LayoutIssueSeverity.Error, "A member name the generator needs is already taken");
        public static readonly LayoutRule ConfigNested = new("MB0023", LayoutIssueSeverity.Error, "[MoonbootConfig] class is nested or generic");
        // Wear (layout rule).
        public static readonly LayoutRule StateBankWearsFaster = new("MB0024", LayoutIssueSeverity.Warning, "State bank pages would wear faster than bank pages");

        public static IReadOnlyList<LayoutRule> All { get; } = new[]
        {
            BanksOverlap, LocationNotPageAligned, SizeNotPageAligned, PageSizeNotPowerOfTwo, RequiredBankMissing,
            UpdateBankTooSmall, BootloaderNotAtStart, RamStateDoesNotFit, BankPastAddressSpace, MultipleConfigs,
            BankNotConstUInt, ConfigNotPartial, InvalidWriteSize, DuplicateRole, StateBankTooSmall, EmptyBank,
            InvalidErasedValue, BankMustBeInternal, NoRoomForImage, RamBankMisaligned, ConfigNotStatic,
            GeneratedNameTaken, ConfigNested, StateBankWearsFaster,
        };
    }
}
