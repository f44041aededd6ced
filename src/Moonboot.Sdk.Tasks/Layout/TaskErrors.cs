namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>
    /// Error codes of the SDK's MSBuild tasks (MBS1xxx). Layout rule IDs (MBxxxx) belong to the generator and the
    /// shared model; every code here has its page in docs/diagnostics/&lt;Code&gt;.md.
    /// </summary>
    internal static class TaskErrors
    {
        /// <summary>The config assembly holds no layout manifest (no [MoonbootConfig] class, or no generator).</summary>
        public const string NoManifest = "MBS1001";
        /// <summary>The config assembly is missing or is not a .NET assembly.</summary>
        public const string AssemblyUnreadable = "MBS1002";
        /// <summary>The manifest (in the assembly or in layout.txt) cannot be parsed.</summary>
        public const string ManifestMalformed = "MBS1003";
        /// <summary>The manifest describes a layout that breaks a layout rule.</summary>
        public const string LayoutInvalid = "MBS1004";
        /// <summary>A template file is missing or unreadable.</summary>
        public const string TemplateNotFound = "MBS1005";
        /// <summary>A template does not parse or fails while rendering.</summary>
        public const string TemplateError = "MBS1006";
        /// <summary>A generated file item is incomplete (no Template metadata, unknown Role).</summary>
        public const string BadFileItem = "MBS1007";
        /// <summary>A generated file cannot be written.</summary>
        public const string WriteFailed = "MBS1008";
    }
}
