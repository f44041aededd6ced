namespace Moonboot.Layout
{
    /// <summary>
    /// The layout diagnostic IDs as constants, so the analyzer's descriptors are static and release tracking
    /// (AnalyzerReleases.*.md, RS2008) can read them. <see cref="LayoutRule"/> adds severity and title.
    /// </summary>
    internal static class DiagnosticIds
    {
        public const string BanksOverlap = "MB0001";
        public const string LocationNotPageAligned = "MB0002";
        public const string SizeNotPageAligned = "MB0003";
        public const string PageSizeNotPowerOfTwo = "MB0004";
        public const string RequiredBankMissing = "MB0005";
        public const string UpdateBankTooSmall = "MB0006";
        public const string BootloaderNotAtStart = "MB0007";
        public const string RamStateDoesNotFit = "MB0008";
        public const string BankPastAddressSpace = "MB0009";
        public const string MultipleConfigs = "MB0010";
        public const string BankNotConstUInt = "MB0011";
        public const string ConfigNotPartial = "MB0012";
        public const string InvalidWriteSize = "MB0013";
        public const string DuplicateRole = "MB0014";
        public const string StateBankTooSmall = "MB0015";
        public const string EmptyBank = "MB0016";
        public const string InvalidErasedValue = "MB0017";
        public const string BankMustBeInternal = "MB0018";
        public const string NoRoomForImage = "MB0019";
        public const string RamBankMisaligned = "MB0020";
        public const string ConfigNotStatic = "MB0021";
        public const string GeneratedNameTaken = "MB0022";
        public const string ConfigNested = "MB0023";
        public const string StateBankWearsFaster = "MB0024";
        public const string PageSmallerThanRecord = "MB0025";
        public const string InvalidImageHeaderSize = "MB0026";
        public const string UndefinedRoleOrUnit = "MB0027";
    }

    /// <summary>Help links of every diagnostic and task error: one base, from the repository URL.</summary>
    internal static class HelpLinks
    {
        /// <summary>
        /// Where docs/diagnostics/ is published. RepositoryInfo is generated at build time from $(RepositoryUrl) in
        /// Directory.Build.props (see Moonboot.Layout.props), so the URL is set in one place.
        /// </summary>
        public const string DiagnosticsBase = RepositoryInfo.Url + "/blob/main/docs/diagnostics/";

        public static string For(string id) => DiagnosticsBase + id + ".md";
    }
}
