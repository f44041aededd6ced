using System;
using System.Collections.Generic;
using Moonboot.Layout;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>A template problem at a place in the template file (1-based line and column).</summary>
    internal sealed class TemplateProblem
    {
        public TemplateProblem(string file, int line, int column, string message)
        {
            File = file; Line = line; Column = column; Message = message;
        }

        public string File { get; }
        public int Line { get; }
        public int Column { get; }
        public string Message { get; }
        public override string ToString() => $"{File}({Line},{Column}): {Message}";
    }

    /// <summary>Renders a Scriban layout template; shared by the config-project and firmware-project tasks.</summary>
    internal static class LayoutTemplateRenderer
    {
        /// <summary>The rendered text ("\n" line ends), or null with <paramref name="problems"/> filled.</summary>
        public static string? Render(string templateText, string templatePath, ResolvedLayout layout, string role,
            out IReadOnlyList<TemplateProblem> problems)
        {
            var found = new List<TemplateProblem>();
            problems = found;
            var template = Template.Parse(templateText, templatePath);
            if (template.HasErrors)
            {
                foreach (var message in template.Messages)
                {
                    if (message.Type != ParserMessageType.Error) continue;
                    found.Add(At(templatePath, message.Span, message.Message));
                }
                return null;
            }

            var context = new TemplateContext
            {
                StrictVariables = true,
                EnableRelaxedMemberAccess = false,
                NewLine = "\n",
                LoopLimit = 10000,
                MemberRenamer = member => member.Name,
            };
            context.PushGlobal(LayoutTemplateModel.Create(layout, role));
            try
            {
                string text = template.Render(context);
                return text.Replace("\r\n", "\n");
            }
            catch (ScriptRuntimeException e)
            {
                found.Add(At(templatePath, e.Span, e.OriginalMessage));
                return null;
            }
        }

        private static TemplateProblem At(string path, SourceSpan span, string message) =>
            new(path, span.Start.Line + 1, span.Start.Column + 1, message);
    }
}
