using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Moonboot.Layout;

namespace Moonboot.Generators
{
    /// <summary>
    /// One static descriptor per <see cref="LayoutRule"/>, with constant IDs, category and severity so release
    /// tracking (AnalyzerReleases.Shipped.md / Unshipped.md, RS2008) checks them. Titles come from the rule
    /// catalogue; a test holds each severity equal to its rule's.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        /// <summary>Every Moonboot layout diagnostic is about the memory layout.</summary>
        public const string Category = "Moonboot.Layout";

        public static readonly DiagnosticDescriptor BanksOverlap = new(
            DiagnosticIds.BanksOverlap, LayoutRule.BanksOverlap.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.BanksOverlap + ".md");
        public static readonly DiagnosticDescriptor LocationNotPageAligned = new(
            DiagnosticIds.LocationNotPageAligned, LayoutRule.LocationNotPageAligned.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.LocationNotPageAligned + ".md");
        public static readonly DiagnosticDescriptor SizeNotPageAligned = new(
            DiagnosticIds.SizeNotPageAligned, LayoutRule.SizeNotPageAligned.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.SizeNotPageAligned + ".md");
        public static readonly DiagnosticDescriptor PageSizeNotPowerOfTwo = new(
            DiagnosticIds.PageSizeNotPowerOfTwo, LayoutRule.PageSizeNotPowerOfTwo.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.PageSizeNotPowerOfTwo + ".md");
        public static readonly DiagnosticDescriptor RequiredBankMissing = new(
            DiagnosticIds.RequiredBankMissing, LayoutRule.RequiredBankMissing.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.RequiredBankMissing + ".md");
        public static readonly DiagnosticDescriptor UpdateBankTooSmall = new(
            DiagnosticIds.UpdateBankTooSmall, LayoutRule.UpdateBankTooSmall.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.UpdateBankTooSmall + ".md");
        public static readonly DiagnosticDescriptor BootloaderNotAtStart = new(
            DiagnosticIds.BootloaderNotAtStart, LayoutRule.BootloaderNotAtStart.Title, "{0}", Category, DiagnosticSeverity.Warning,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.BootloaderNotAtStart + ".md");
        public static readonly DiagnosticDescriptor RamStateDoesNotFit = new(
            DiagnosticIds.RamStateDoesNotFit, LayoutRule.RamStateDoesNotFit.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.RamStateDoesNotFit + ".md");
        public static readonly DiagnosticDescriptor BankPastAddressSpace = new(
            DiagnosticIds.BankPastAddressSpace, LayoutRule.BankPastAddressSpace.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.BankPastAddressSpace + ".md");
        public static readonly DiagnosticDescriptor MultipleConfigs = new(
            DiagnosticIds.MultipleConfigs, LayoutRule.MultipleConfigs.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.MultipleConfigs + ".md", customTags: WellKnownDiagnosticTags.CompilationEnd);
        public static readonly DiagnosticDescriptor BankNotConstUInt = new(
            DiagnosticIds.BankNotConstUInt, LayoutRule.BankNotConstUInt.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.BankNotConstUInt + ".md");
        public static readonly DiagnosticDescriptor ConfigNotPartial = new(
            DiagnosticIds.ConfigNotPartial, LayoutRule.ConfigNotPartial.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.ConfigNotPartial + ".md");
        public static readonly DiagnosticDescriptor InvalidWriteSize = new(
            DiagnosticIds.InvalidWriteSize, LayoutRule.InvalidWriteSize.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.InvalidWriteSize + ".md");
        public static readonly DiagnosticDescriptor DuplicateRole = new(
            DiagnosticIds.DuplicateRole, LayoutRule.DuplicateRole.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.DuplicateRole + ".md");
        public static readonly DiagnosticDescriptor StateBankTooSmall = new(
            DiagnosticIds.StateBankTooSmall, LayoutRule.StateBankTooSmall.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.StateBankTooSmall + ".md");
        public static readonly DiagnosticDescriptor EmptyBank = new(
            DiagnosticIds.EmptyBank, LayoutRule.EmptyBank.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.EmptyBank + ".md");
        public static readonly DiagnosticDescriptor InvalidErasedValue = new(
            DiagnosticIds.InvalidErasedValue, LayoutRule.InvalidErasedValue.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.InvalidErasedValue + ".md");
        public static readonly DiagnosticDescriptor BankMustBeInternal = new(
            DiagnosticIds.BankMustBeInternal, LayoutRule.BankMustBeInternal.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.BankMustBeInternal + ".md");
        public static readonly DiagnosticDescriptor NoRoomForImage = new(
            DiagnosticIds.NoRoomForImage, LayoutRule.NoRoomForImage.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.NoRoomForImage + ".md");
        public static readonly DiagnosticDescriptor RamBankMisaligned = new(
            DiagnosticIds.RamBankMisaligned, LayoutRule.RamBankMisaligned.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.RamBankMisaligned + ".md");
        public static readonly DiagnosticDescriptor ConfigNotStatic = new(
            DiagnosticIds.ConfigNotStatic, LayoutRule.ConfigNotStatic.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.ConfigNotStatic + ".md");
        public static readonly DiagnosticDescriptor GeneratedNameTaken = new(
            DiagnosticIds.GeneratedNameTaken, LayoutRule.GeneratedNameTaken.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.GeneratedNameTaken + ".md");
        public static readonly DiagnosticDescriptor ConfigNested = new(
            DiagnosticIds.ConfigNested, LayoutRule.ConfigNested.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.ConfigNested + ".md");
        public static readonly DiagnosticDescriptor StateBankWearsFaster = new(
            DiagnosticIds.StateBankWearsFaster, LayoutRule.StateBankWearsFaster.Title, "{0}", Category, DiagnosticSeverity.Warning,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.StateBankWearsFaster + ".md");
        public static readonly DiagnosticDescriptor PageSmallerThanRecord = new(
            DiagnosticIds.PageSmallerThanRecord, LayoutRule.PageSmallerThanRecord.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.PageSmallerThanRecord + ".md");
        public static readonly DiagnosticDescriptor InvalidImageHeaderSize = new(
            DiagnosticIds.InvalidImageHeaderSize, LayoutRule.InvalidImageHeaderSize.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.InvalidImageHeaderSize + ".md");
        public static readonly DiagnosticDescriptor UndefinedRoleOrUnit = new(
            DiagnosticIds.UndefinedRoleOrUnit, LayoutRule.UndefinedRoleOrUnit.Title, "{0}", Category, DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.DiagnosticsBase + DiagnosticIds.UndefinedRoleOrUnit + ".md");

        public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
            BanksOverlap, LocationNotPageAligned, SizeNotPageAligned, PageSizeNotPowerOfTwo, RequiredBankMissing, UpdateBankTooSmall, BootloaderNotAtStart, RamStateDoesNotFit, BankPastAddressSpace, MultipleConfigs, BankNotConstUInt, ConfigNotPartial, InvalidWriteSize, DuplicateRole, StateBankTooSmall, EmptyBank, InvalidErasedValue, BankMustBeInternal, NoRoomForImage, RamBankMisaligned, ConfigNotStatic, GeneratedNameTaken, ConfigNested, StateBankWearsFaster, PageSmallerThanRecord, InvalidImageHeaderSize, UndefinedRoleOrUnit);

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = BuildIndex();

        public static DiagnosticDescriptor Get(string id) =>
            ById.TryGetValue(id, out var descriptor)
                ? descriptor
                : throw new ArgumentException("Unknown Moonboot diagnostic " + id, nameof(id));

        private static Dictionary<string, DiagnosticDescriptor> BuildIndex()
        {
            var byId = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
            foreach (var descriptor in All) byId.Add(descriptor.Id, descriptor);
            return byId;
        }
    }
}
