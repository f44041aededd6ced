using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Imaging;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Signing
{
    /// <summary>
    /// Signs an application's .bin (linked after the layout's header) in MCUboot's format and writes the signed
    /// .bin and .hex (at the boot bank's origin). With no key it creates the development key (once) next to the
    /// layout's config project and warns MBS3002 when the configuration is Release.
    /// </summary>
    public sealed class SignMoonbootImage : Task
    {
        [Required] public string LayoutFile { get; set; } = "";
        [Required] public string InputFile { get; set; } = "";
        [Required] public string SignedBinFile { get; set; } = "";
        [Required] public string SignedHexFile { get; set; } = "";
        /// <summary>The project's Version (major.minor.revision+build; a -prerelease suffix is dropped).</summary>
        public string Version { get; set; } = "0.0.0";
        public string SecurityCounter { get; set; } = "0";
        /// <summary>The private key PEM; empty: <see cref="DevelopmentKeyFile"/>, generated when it does not exist.</summary>
        public string KeyFile { get; set; } = "";
        [Required] public string DevelopmentKeyFile { get; set; } = "";

        /// <summary>The key file used (the development key when none was configured).</summary>
        [Output] public string UsedKeyFile { get; private set; } = "";

        public override bool Execute()
        {
            try
            {
                var layout = ImageLayout.FromManifest(File.ReadAllText(LayoutFile), LayoutFile);
                string keyFile = KeyFile.Trim();
                bool development = keyFile.Length == 0;
                // The Release warning (MBS3002) is the MoonbootWarnDevelopmentKey target's: it must also fire when this is up to date.
                if (development) keyFile = DevelopmentKeys.Ensure(DevelopmentKeyFile, Log);
                var key = KeyFiles.Load(keyFile, "MoonbootSigningKey", Log);
                if (key is null) return false;
                if (!key.HasPrivateKey)
                {
                    Log.LogError(null, SigningErrors.BadKeyFile, null, HelpLinks.For(SigningErrors.BadKeyFile), keyFile, 0, 0, 0, 0,
                        $"MoonbootSigningKey '{keyFile}' is a public key; signing needs the private key.");
                    return false;
                }
                if (!uint.TryParse(SecurityCounter.Trim(), out uint counter))
                {
                    return Fail($"MoonbootSecurityCounter '{SecurityCounter}' is not a number from 0 to 4294967295.");
                }
                var options = new SignOptions { Version = ParseVersion(Version), SecurityCounter = counter };
                var image = ImageSigner.Sign(File.ReadAllBytes(InputFile), key, options, layout);
                byte[] bytes = image.ToBytes();
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(SignedBinFile))!);
                File.WriteAllBytes(SignedBinFile, bytes);
                File.WriteAllText(SignedHexFile, IntelHex.Write(bytes, (uint)layout.BootBank.Origin));
                UsedKeyFile = keyFile;
                Log.LogMessage(MessageImportance.Normal,
                    $"Moonboot: signed {Path.GetFileName(SignedBinFile)}: {bytes.Length} bytes, version {options.Version}, " +
                    $"security counter {counter}, key {Path.GetFileName(keyFile)}{(development ? " (development key)" : "")}");
                return true;
            }
            catch (MoonbootException e)
            {
                return Fail(e.Message);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException)
            {
                return Fail(e.Message);
            }
        }

        /// <summary>MSBuild's Version may carry a prerelease suffix (1.2.3-beta): MCUboot has no such field.</summary>
        internal static ImageVersion ParseVersion(string text)
        {
            string v = (text ?? "").Trim();
            int dash = v.IndexOf('-');
            if (dash >= 0)
            {
                int plus = v.IndexOf('+');
                v = v.Substring(0, dash) + (plus > dash ? v.Substring(plus) : "");
            }
            return ImageVersion.Parse(v.Length == 0 ? "0.0.0" : v);
        }

        private bool Fail(string message)
        {
            Log.LogError(null, SigningErrors.SignFailed, null, HelpLinks.For(SigningErrors.SignFailed), InputFile, 0, 0, 0, 0,
                $"Moonboot could not sign '{InputFile}': {message}");
            return false;
        }
    }
}
