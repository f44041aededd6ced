using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>
    /// Renders one generated file: its item spec is the output path, metadata <c>Template</c> the Scriban template
    /// and <c>Role</c> (bootloader | application | empty) decides which bank the template sees as <c>flash</c>.
    /// </summary>
    internal static class LayoutFileWriter
    {
        public static bool Render(TaskLoggingHelper log, ResolvedLayout layout, ITaskItem file)
        {
            string output = file.GetMetadata("FullPath");
            string template = file.GetMetadata("Template");
            string role = file.GetMetadata("Role");
            if (string.IsNullOrWhiteSpace(template))
            {
                Error(log, TaskErrors.BadFileItem, output, 0, 0,
                    $"No Template metadata on generated file '{file.ItemSpec}': set Template to a .scriban file.");
                return false;
            }
            if (!LayoutTemplateModel.TryGetFlashRole(role, out _))
            {
                Error(log, TaskErrors.BadFileItem, output, 0, 0,
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
                Error(log, TaskErrors.TemplateNotFound, template, 0, 0,
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
                Error(log, TaskErrors.TemplateError, template, 0, 0, $"The template failed while rendering '{file.ItemSpec}': {e.Message}");
                return false;
            }
            if (rendered is null)
            {
                foreach (var problem in problems)
                {
                    Error(log, TaskErrors.TemplateError, problem.File, problem.Line, problem.Column,
                        $"Template error while rendering '{file.ItemSpec}': {problem.Message}");
                }
                return false;
            }

            try
            {
                // Rewritten only when the text changed: an unchanged script keeps its time stamp, so nothing that
                // depends on it (the firmware link) reruns. The calling targets keep their own stamp files.
                FileUtil.WriteIfDifferent(output, rendered);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Error(log, TaskErrors.WriteFailed, output, 0, 0, $"Cannot write '{output}': {e.Message}");
                return false;
            }
            log.LogMessage(MessageImportance.Normal, $"Moonboot: {template} -> {output}");
            return true;
        }

        private static void Error(TaskLoggingHelper log, string code, string file, int line, int column, string message) =>
            log.Error(code, file, message, line, column);
    }
}
