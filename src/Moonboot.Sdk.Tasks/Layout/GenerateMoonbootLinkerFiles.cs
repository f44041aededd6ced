using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>
    /// Renders linker scripts and C headers from a layout file (written by <see cref="ReadMoonbootLayout"/>).
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
                if (RenderOne(layout, file)) generated.Add(new TaskItem(file));
            }
            GeneratedFiles = generated.ToArray();
            return !Log.HasLoggedErrors;
        }

        private bool RenderOne(ResolvedLayout layout, ITaskItem file)
        {
            string output = file.GetMetadata("FullPath");
            string template = file.GetMetadata("Template");
            string role = file.GetMetadata("Role");
            if (string.IsNullOrWhiteSpace(template))
            {
                Error(TaskErrors.BadFileItem, output, 0, 0,
                    $"No Template metadata on generated file '{file.ItemSpec}': set Template to a .scriban file.");
                return false;
            }
            if (!LayoutTemplateModel.TryGetFlashRole(role, out _))
            {
                Error(TaskErrors.BadFileItem, output, 0, 0,
                    $"Unknown Role '{role}' on generated file '{file.ItemSpec}': use 'bootloader', 'application' or leave it empty.");
                return false;
            }
            template = Path.GetFullPath(template);
            string text;
            try
            {
                text = File.ReadAllText(template);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                Error(TaskErrors.TemplateNotFound, template, 0, 0,
                    $"Cannot read the template '{template}' for '{file.ItemSpec}': {e.Message}");
                return false;
            }

            string? rendered;
            IReadOnlyList<TemplateProblem> problems;
            try
            {
                rendered = LayoutTemplateRenderer.Render(text, template, layout, role, out problems);
            }
            catch (Exception e)
            {
                Error(TaskErrors.TemplateError, template, 0, 0, $"The template failed while rendering '{file.ItemSpec}': {e.Message}");
                return false;
            }
            if (rendered is null)
            {
                foreach (var problem in problems)
                {
                    Error(TaskErrors.TemplateError, problem.File, problem.Line, problem.Column,
                        $"Template error while rendering '{file.ItemSpec}': {problem.Message}");
                }
                return false;
            }

            try
            {
                // Always leave the output newer than its inputs, so the calling target is up to date next time;
                // rewrite only when the text changed.
                if (!FileUtil.WriteIfDifferent(output, rendered)) File.SetLastWriteTimeUtc(output, DateTime.UtcNow);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Error(TaskErrors.WriteFailed, output, 0, 0, $"Cannot write '{output}': {e.Message}");
                return false;
            }
            Log.LogMessage(MessageImportance.Normal, $"Moonboot: {template} -> {output}");
            return true;
        }

        private void Error(string code, string file, int line, int column, string message) =>
            Log.LogError(null, code, TaskErrors.Help(code), file, line, column, 0, 0, message);
    }
}
