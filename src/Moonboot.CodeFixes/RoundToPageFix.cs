using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Moonboot.Layout;

namespace Moonboot.CodeFixes
{
    /// <summary>
    /// MB0002 and MB0003: round a bank's Location or size down or up to the page. The values come from the layout
    /// rules (the diagnostic's Suggestions property), so the fix and the message always agree.
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(RoundToPageFix)), Shared]
    public sealed class RoundToPageFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
            DiagnosticIds.LocationNotPageAligned, DiagnosticIds.SizeNotPageAligned);

        /// <inheritdoc />
        public override FixAllProvider? GetFixAllProvider() => null; // each bank needs its own choice of direction

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(LayoutIssue.SuggestionsProperty, out var suggestions)
                    || string.IsNullOrEmpty(suggestions))
                {
                    continue;
                }
                var node = root.FindNode(diagnostic.Location.SourceSpan);
                ExpressionSyntax? target = diagnostic.Id == DiagnosticIds.LocationNotPageAligned
                    ? node.FirstAncestorOrSelf<AttributeArgumentSyntax>()?.Expression
                    : node.FirstAncestorOrSelf<VariableDeclaratorSyntax>()?.Initializer?.Value;
                if (target is null) continue;
                string what = diagnostic.Id == DiagnosticIds.LocationNotPageAligned ? "Location" : "the bank size";
                ulong current = ulong.MaxValue;
                var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
                if (model?.GetConstantValue(target, context.CancellationToken) is { HasValue: true, Value: { } v })
                {
                    current = System.Convert.ToUInt64(v, CultureInfo.InvariantCulture);
                }
                foreach (var text in suggestions!.Split(','))
                {
                    ulong value = ulong.Parse(text, CultureInfo.InvariantCulture);
                    string direction = value < current ? "down" : "up";
                    string literal = Format(value, target);
                    context.RegisterCodeFix(CodeAction.Create(
                        $"Round {what} {direction} to the page: {literal}",
                        cancellationToken => Replace(context.Document, target, literal, cancellationToken),
                        diagnostic.Id + "." + direction), diagnostic);
                }
            }
        }

        /// <summary>Hex when the user wrote hex, decimal otherwise.</summary>
        private static string Format(ulong value, ExpressionSyntax original) =>
            original.ToString().IndexOf("0x", System.StringComparison.OrdinalIgnoreCase) >= 0
                ? "0x" + value.ToString("X", CultureInfo.InvariantCulture)
                : value.ToString(CultureInfo.InvariantCulture);

        private static async Task<Document> Replace(Document document, ExpressionSyntax target, string literal,
            System.Threading.CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var replacement = SyntaxFactory.ParseExpression(literal).WithTriviaFrom(target);
            return document.WithSyntaxRoot(root!.ReplaceNode(target, replacement));
        }
    }
}
