using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>
    /// Renders linker scripts and C headers from a hand-written or copied layout.txt (a firmware project with
    /// MoonbootLayoutFile, or a custom target). It validates the layout first, since nothing else has. A config
    /// project does not use it: <see cref="ReadMoonbootLayout"/> renders its files in the same pass.
    /// Each item of <see cref="Files"/> is one output file: its item spec is the output path, metadata
    /// <c>Template</c> the Scriban template and <c>Role</c> (bootloader | application | empty) decides which bank
    /// the template sees as <c>flash</c>. Config projects render all three files; a firmware project renders only
    /// what its own role needs.
    /// </summary>
    public sealed class GenerateMoonbootLinkerFiles : Task
    {
        /// <summary>layout.txt from ReadMoonbootLayout (or GetMoonbootLayout on the config project).</summary>
        [Required]
        public string LayoutFile { get; set; } = "";

        /// <summary>The files to render (metadata: Template, Role).</summary>
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The files actually rendered, with their metadata.</summary>
        [Output]
        public ITaskItem[] GeneratedFiles { get; private set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            LayoutSpec spec;
            try
            {
                spec = LayoutManifest.Read(File.ReadAllText(LayoutFile));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Error(TaskErrors.ManifestMalformed, LayoutFile, 0, 0, $"Cannot read the Moonboot layout file '{LayoutFile}': {e.Message}");
                return false;
            }
            catch (FormatException e)
            {
                Error(TaskErrors.ManifestMalformed, LayoutFile, 0, 0,
                    $"The Moonboot layout file '{LayoutFile}' is malformed ({e.Message}). Rebuild the config project.");
                return false;
            }
            foreach (var issue in LayoutRules.Validate(spec))
            {
                if (issue.Severity == LayoutIssueSeverity.Error)
                {
                    Error(TaskErrors.LayoutInvalid, LayoutFile, 0, 0,
                        $"The Moonboot layout '{spec.ConfigName}' breaks rule {issue.Id} ({issue.Rule.Title}): {issue.Message}");
                }
            }
            if (Log.HasLoggedErrors) return false;

            var layout = new ResolvedLayout(spec);
            var generated = new List<ITaskItem>();
            foreach (var file in Files)
            {
                if (LayoutFileWriter.Render(Log, layout, file)) generated.Add(new TaskItem(file));
            }
            GeneratedFiles = generated.ToArray();
            return !Log.HasLoggedErrors;
        }

        private void Error(string code, string file, int line, int column, string message) =>
            Log.Error(code, file, message, line, column);
    }
}
