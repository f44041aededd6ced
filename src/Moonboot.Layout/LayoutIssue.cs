using System;
using System.Collections.Generic;

namespace Moonboot.Layout
{
    internal enum LayoutIssueSeverity { Error, Warning }

    /// <summary>What an issue points at, so the generator can place the squiggle on the right token.</summary>
    internal enum LayoutIssueTarget { ConfigClass, ConfigProperty, Bank }

    /// <summary>One broken layout rule, with its message already written for the user.</summary>
    /// <param name="Rule">The broken rule; one instance per rule, so equality compares it by reference.</param>
    /// <param name="Message">The message, written for the user.</param>
    /// <param name="Target">What the issue points at.</param>
    /// <param name="TargetName">Bank const name, config property name (PageSize, ...) or the config class name.</param>
    /// <param name="Suggestions">
    /// Replacement values a code fix may offer for the target, comma-separated, best first ("0x8000,0x8800"),
    /// or null when no single obvious fix exists. Written in the same notation as the user's literal would be.
    /// </param>
    internal sealed record LayoutIssue(LayoutRule Rule, string Message, LayoutIssueTarget Target, string TargetName,
        string? Suggestions = null)
    {
        public string Id => Rule.Id;
        public LayoutIssueSeverity Severity => Rule.Severity;

        /// <summary>Key of <see cref="Suggestions"/> in a Roslyn diagnostic's properties, read by the code fixes.</summary>
        public const string SuggestionsProperty = "Suggestions";

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
        public string HelpLink => HelpLinks.For(Id);

        // Layout rules, checked by LayoutRules.Validate (shared by the analyzer, the generator and the tasks).
        public static readonly LayoutRule BanksOverlap = new(DiagnosticIds.BanksOverlap, LayoutIssueSeverity.Error, "Banks overlap");
        public static readonly LayoutRule LocationNotPageAligned = new(DiagnosticIds.LocationNotPageAligned, LayoutIssueSeverity.Error, "Bank location is not a multiple of the page size");
        public static readonly LayoutRule SizeNotPageAligned = new(DiagnosticIds.SizeNotPageAligned, LayoutIssueSeverity.Error, "Bank size is not a multiple of the page size");
        public static readonly LayoutRule PageSizeNotPowerOfTwo = new(DiagnosticIds.PageSizeNotPowerOfTwo, LayoutIssueSeverity.Error, "PageSize is not a power of two");
        public static readonly LayoutRule RequiredBankMissing = new(DiagnosticIds.RequiredBankMissing, LayoutIssueSeverity.Error, "A required bank is missing");
        public static readonly LayoutRule UpdateBankTooSmall = new(DiagnosticIds.UpdateBankTooSmall, LayoutIssueSeverity.Error, "Update bank is smaller than the boot bank");
        public static readonly LayoutRule BootloaderNotAtStart = new(DiagnosticIds.BootloaderNotAtStart, LayoutIssueSeverity.Warning, "Bootloader bank is not at offset 0 of internal flash");
        public static readonly LayoutRule RamStateDoesNotFit = new(DiagnosticIds.RamStateDoesNotFit, LayoutIssueSeverity.Error, "The RAM state does not fit in the RAM bank");
        public static readonly LayoutRule BankPastAddressSpace = new(DiagnosticIds.BankPastAddressSpace, LayoutIssueSeverity.Error, "Bank runs past the 32-bit address space");
        // Declaration rules, checked by ConfigReader on the syntax and symbols.
        public static readonly LayoutRule MultipleConfigs = new(DiagnosticIds.MultipleConfigs, LayoutIssueSeverity.Error, "More than one [MoonbootConfig] class in the project");
        public static readonly LayoutRule BankNotConstUInt = new(DiagnosticIds.BankNotConstUInt, LayoutIssueSeverity.Error, "[Bank] is not on a const uint");
        public static readonly LayoutRule ConfigNotPartial = new(DiagnosticIds.ConfigNotPartial, LayoutIssueSeverity.Error, "[MoonbootConfig] class is not partial");
        // More layout rules.
        public static readonly LayoutRule InvalidWriteSize = new(DiagnosticIds.InvalidWriteSize, LayoutIssueSeverity.Error, "WriteSize is not 1, 2, 4, 8 or 16, or exceeds PageSize");
        public static readonly LayoutRule DuplicateRole = new(DiagnosticIds.DuplicateRole, LayoutIssueSeverity.Error, "Two banks have the same role");
        public static readonly LayoutRule StateBankTooSmall = new(DiagnosticIds.StateBankTooSmall, LayoutIssueSeverity.Error, "State bank has fewer than two pages");
        public static readonly LayoutRule EmptyBank = new(DiagnosticIds.EmptyBank, LayoutIssueSeverity.Error, "Bank size is zero");
        public static readonly LayoutRule InvalidErasedValue = new(DiagnosticIds.InvalidErasedValue, LayoutIssueSeverity.Error, "ErasedValue is neither 0xFF nor 0x00");
        public static readonly LayoutRule BankMustBeInternal = new(DiagnosticIds.BankMustBeInternal, LayoutIssueSeverity.Error, "Bank must be on internal memory");
        public static readonly LayoutRule NoRoomForImage = new(DiagnosticIds.NoRoomForImage, LayoutIssueSeverity.Error, "The banks leave no room for an application image");
        public static readonly LayoutRule RamBankMisaligned = new(DiagnosticIds.RamBankMisaligned, LayoutIssueSeverity.Error, "RAM bank is not 8-byte aligned");
        // More declaration rules.
        public static readonly LayoutRule ConfigNotStatic = new(DiagnosticIds.ConfigNotStatic, LayoutIssueSeverity.Error, "[MoonbootConfig] class is not static");
        public static readonly LayoutRule GeneratedNameTaken = new(DiagnosticIds.GeneratedNameTaken, LayoutIssueSeverity.Error, "A member name the generator needs is already taken");
        public static readonly LayoutRule ConfigNested = new(DiagnosticIds.ConfigNested, LayoutIssueSeverity.Error, "[MoonbootConfig] class is nested or generic");
        // Wear (layout rule).
        public static readonly LayoutRule StateBankWearsFaster = new(DiagnosticIds.StateBankWearsFaster, LayoutIssueSeverity.Warning, "State bank pages would wear faster than bank pages");
        // The runtime's journal (layout rule).
        public static readonly LayoutRule PageSmallerThanRecord = new(DiagnosticIds.PageSmallerThanRecord, LayoutIssueSeverity.Error, "PageSize is smaller than the 32-byte journal record");

        // Signed images (layout rule).
        public static readonly LayoutRule InvalidImageHeaderSize = new(DiagnosticIds.InvalidImageHeaderSize, LayoutIssueSeverity.Error, "ImageHeaderSize is not 0 or a multiple of 128 that leaves room for an image");

        // A [Bank] value the compiler accepts through a cast (declaration rule, worded by LayoutRules.CheckRole/CheckUnit).
        public static readonly LayoutRule UndefinedRoleOrUnit = new(DiagnosticIds.UndefinedRoleOrUnit, LayoutIssueSeverity.Error, "Bank role or memory unit is not a defined member");

        public static IReadOnlyList<LayoutRule> All { get; } = new[]
        {
            BanksOverlap, LocationNotPageAligned, SizeNotPageAligned, PageSizeNotPowerOfTwo, RequiredBankMissing,
            UpdateBankTooSmall, BootloaderNotAtStart, RamStateDoesNotFit, BankPastAddressSpace, MultipleConfigs,
            BankNotConstUInt, ConfigNotPartial, InvalidWriteSize, DuplicateRole, StateBankTooSmall, EmptyBank,
            InvalidErasedValue, BankMustBeInternal, NoRoomForImage, RamBankMisaligned, ConfigNotStatic,
            GeneratedNameTaken, ConfigNested, StateBankWearsFaster, PageSmallerThanRecord, InvalidImageHeaderSize,
            UndefinedRoleOrUnit,
        };
    }
}
