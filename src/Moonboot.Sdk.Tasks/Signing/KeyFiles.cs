using System;
using System.IO;
using Microsoft.Build.Utilities;
using Moonboot.Imaging;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Signing
{
    internal static class KeyFiles
    {
        /// <summary>Loads a PEM key (private or public); logs MBS3001 and returns null when it is missing or invalid.</summary>
        public static Ed25519Key? Load(string path, string what, TaskLoggingHelper log)
        {
            try
            {
                if (!File.Exists(path))
                {
                    log.LogError(null, SigningErrors.BadKeyFile, null, HelpLinks.For(SigningErrors.BadKeyFile), path, 0, 0, 0, 0,
                        $"{what} '{path}' does not exist.");
                    return null;
                }
                return Ed25519Key.Load(path);
            }
            catch (Exception e) when (e is MoonbootException || e is IOException || e is UnauthorizedAccessException || e is FormatException)
            {
                string reason = e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message.Substring(path.Length + 2) : e.Message;
                log.LogError(null, SigningErrors.BadKeyFile, null, HelpLinks.For(SigningErrors.BadKeyFile), path, 0, 0, 0, 0,
                    reason.StartsWith("the PUBLIC KEY is not a usable", StringComparison.Ordinal)
                        ? $"{what} '{path}': {reason}"
                        : $"{what} '{path}' is not an Ed25519 PEM key: {reason}");
                return null;
            }
        }
    }

    /// <summary>The solution's development key: generated once next to the config project, ignored by git.</summary>
    internal static class DevelopmentKeys
    {
        public static string Ensure(string path, TaskLoggingHelper log)
        {
            path = Path.GetFullPath(path);
            if (File.Exists(path)) return path;
            string dir = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(dir);
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temp, Ed25519Key.Generate().ToPrivatePem());
            try
            {
                // Two projects of one solution may get here at once: the first rename wins, both use its key.
                File.Move(temp, path);
                log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"Moonboot: generated the development signing key '{path}' (ignored by git; not for production, docs/signing.md).");
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
            string ignore = Path.Combine(dir, ".gitignore");
            string name = Path.GetFileName(path);
            string existing = File.Exists(ignore) ? File.ReadAllText(ignore) : "";
            if (Array.IndexOf(existing.Replace("\r\n", "\n").Split('\n'), name) < 0)
            {
                File.AppendAllText(ignore, (existing.Length == 0 || existing.EndsWith("\n") ? "" : "\n")
                    + "# Moonboot's generated development signing key: never commit or ship it.\n" + name + "\n");
            }
            return path;
        }
    }
}
