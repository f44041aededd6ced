using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>
    /// The config project's one pass from the compiled layout to files: reads the normalized layout the generator
    /// compiled into the assembly (it is there only when the analyzer's rules passed, so it is not validated again),
    /// writes it to <see cref="LayoutFile"/> and renders <see cref="Files"/> (linker scripts, header) from it. Each
    /// file is rewritten only when its text changed, so nothing downstream reruns for an unchanged layout.
    /// </summary>
    public sealed class ReadMoonbootLayout : Task
    {
        /// <summary>The compiled config assembly (the project's @(IntermediateAssembly)).</summary>
        [Required]
        public string Assembly { get; set; } = "";

        /// <summary>Where to write the layout text, normally obj/.../moonboot/layout.txt.</summary>
        [Required]
        public string LayoutFile { get; set; } = "";

        /// <summary>The files to render from the layout (metadata: Template, Role); see <see cref="LayoutFileWriter"/>.</summary>
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

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
                    "<MoonbootGenerateLayout>false</MoonbootGenerateLayout> if this project is not a layout config. If the class " +
                    "is there, the compiler skipped the Moonboot generator: it needs Roslyn 4.5 or later (Visual Studio " +
                    "17.5, .NET SDK 7.0.200), and an older one says so in warning CS8032.");
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
            var layout = new ResolvedLayout(spec);
            foreach (var file in Files) LayoutFileWriter.Render(Log, layout, file);
            return !Log.HasLoggedErrors;
        }

        private void Error(string code, string file, string message) =>
            Log.Error(code, file, message);
    }
}
