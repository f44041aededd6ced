namespace Moonboot.Sdk.Tasks.Signing
{
    /// <summary>Codes of the signing steps. Each has a page docs/diagnostics/&lt;code&gt;.md.</summary>
    internal static class SigningErrors
    {
        /// <summary>A MoonbootSigningKey or MoonbootTrustedKey file is missing or not an Ed25519 PEM key.</summary>
        public const string BadKeyFile = "MBS3001";
        /// <summary>A Release build signed with the generated development key (warning; raised by the SDK's targets).</summary>
        public const string DevelopmentKeyInRelease = "MBS3002";
        /// <summary>The image could not be signed: bad Version or security counter, or it does not fit the exchange.</summary>
        public const string SignFailed = "MBS3003";
    }
}
