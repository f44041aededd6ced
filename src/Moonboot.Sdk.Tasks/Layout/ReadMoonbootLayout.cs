using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>
    /// Reads the normalized layout from the built config assembly, checks it again against the shared layout rules,
    /// and writes it to <see cref="LayoutFile"/> (only when the text differs, so later steps stay up to date).
    /// </summary>
    public sealed class ReadMoonbootLayout : Task
    {
        /// <summary>The compiled config assembly (the project's @(IntermediateAssembly)).</summary>
        [Required]
        public string Assembly { get; set; } = "";

        /// <summary>Where to write the layout text, normally obj/.../moonboot/layout.txt.</summary>
        [Required]
        public string LayoutFile { get; set; } = "";

        /// <summary>Shown in errors so the user knows which project to fix; defaults to the assembly.</summary>
        public string? ProjectFile { get; set; }

        /// <summary>True when the layout file was (re)written by this run.</summary>
        [Output]
        public bool Changed { get; private set; }

        public override bool Execute()
        {
            string? text;
            try
            {
                text = ManifestReader.Read(Assembly);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is BadImageFormatException)
            {
                Error(TaskErrors.AssemblyUnreadable, Assembly,
                    $"Cannot read the Moonboot config assembly '{Assembly}': {e.Message} Build the config project " +
                    "first; the layout is read from its compiled output.");
                return false;
            }

            if (text is null)
            {
                Error(TaskErrors.NoManifest, ProjectFile ?? Assembly,
                    $"The config assembly '{Path.GetFileName(Assembly)}' contains no Moonboot layout (type " +
                    $"{LayoutManifest.TypeNamespace}.{LayoutManifest.TypeName}). Add a 'public static partial class' " +
                    "marked [MoonbootConfig] with its [Bank] consts to this project (see README.md), or set " +
                    "<MoonbootGenerateLayout>false</MoonbootGenerateLayout> if this project is not a layout config.");
                return false;
            }

            return ValidateAndWrite(text);
        }

        private bool ValidateAndWrite(string text)
        {
            LayoutSpec spec;
            try
            {
                spec = LayoutManifest.Read(text);
            }
            catch (FormatException e)
            {
                Error(TaskErrors.ManifestMalformed, Assembly,
                    $"The Moonboot layout in '{Path.GetFileName(Assembly)}' cannot be read ({e.Message}). The " +
                    "generator and the SDK tasks come from different Moonboot.Sdk versions: clean and rebuild the " +
                    "config project with one Moonboot.Sdk version.");
                return false;
            }

            bool valid = true;
            foreach (var issue in LayoutRules.Validate(spec))
            {
                if (issue.Severity != LayoutIssueSeverity.Error) continue; // the generator already warned
                valid = false;
                Error(TaskErrors.LayoutInvalid, Assembly,
                    $"The Moonboot layout '{spec.ConfigName}' breaks rule {issue.Id} ({issue.Rule.Title}): " +
                    $"{issue.Message}");
            }
            if (!valid) return false;

            string normalized = LayoutManifest.Write(spec);
            try
            {
                Changed = FileUtil.WriteIfDifferent(LayoutFile, normalized);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Error(TaskErrors.WriteFailed, LayoutFile, $"Cannot write '{LayoutFile}': {e.Message}");
                return false;
            }
            Log.LogMessage(MessageImportance.Low,
                Changed ? $"Moonboot layout '{spec.ConfigName}' written to {LayoutFile}"
                        : $"Moonboot layout '{spec.ConfigName}' unchanged in {LayoutFile}");
            return true;
        }

        private void Error(string code, string file, string message) =>
            Log.LogError(null, code, TaskErrors.Help(code), file, 0, 0, 0, 0, message);
    }
}
