using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Moonboot.Layout;

namespace Moonboot.CodeFixes
{
    /// <summary>
    /// MB0012 and MB0021: add the missing 'partial' or 'static' to the [MoonbootConfig] class. MB0011: turn the
    /// [Bank] field into a 'const uint' when its initializer is already a constant. Each has exactly one fix.
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(DeclarationFixes)), Shared]
    public sealed class DeclarationFixes : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
            DiagnosticIds.ConfigNotPartial, DiagnosticIds.ConfigNotStatic, DiagnosticIds.BankNotConstUInt);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan);
                switch (diagnostic.Id)
                {
                    case DiagnosticIds.ConfigNotPartial when node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type:
                        Register(context, diagnostic, "Make the class partial", DiagnosticIds.ConfigNotPartial,
                            (generator, m) => m.WithPartial(true), type);
                        break;
                    // A record cannot be static: no fix, the page says to use a class.
                    case DiagnosticIds.ConfigNotStatic when node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is ClassDeclarationSyntax type:
                        Register(context, diagnostic, "Make the class static", DiagnosticIds.ConfigNotStatic,
                            (generator, m) => m.WithIsStatic(true), type);
                        break;
                    case DiagnosticIds.BankNotConstUInt:
                        await RegisterConstFix(context, diagnostic, node).ConfigureAwait(false);
                        break;
                }
            }
        }

        private static void Register(CodeFixContext context, Diagnostic diagnostic, string title, string key,
            System.Func<SyntaxGenerator, DeclarationModifiers, DeclarationModifiers> change, TypeDeclarationSyntax type)
        {
            context.RegisterCodeFix(CodeAction.Create(title, async cancellationToken =>
            {
                var editor = await DocumentEditor.CreateAsync(context.Document, cancellationToken).ConfigureAwait(false);
                var generator = editor.Generator;
                editor.SetModifiers(type, change(generator, generator.GetModifiers(type)));
                return editor.GetChangedDocument();
            }, key), diagnostic);
        }

        private static async Task RegisterConstFix(CodeFixContext context, Diagnostic diagnostic, SyntaxNode node)
        {
            if (node.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { Initializer: { } initializer } declarator
                || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration
                || declaration.Parent is not FieldDeclarationSyntax field)
            {
                return;
            }
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            // Only a value the compiler can fold into a uint makes a valid const; anything else has no single fix.
            var value = model?.GetConstantValue(initializer.Value, context.CancellationToken);
            if (value is not { HasValue: true, Value: int or uint or long or ulong or short or ushort or byte or sbyte }) return;
            context.RegisterCodeFix(CodeAction.Create("Make the bank a const uint", async cancellationToken =>
            {
                var editor = await DocumentEditor.CreateAsync(context.Document, cancellationToken).ConfigureAwait(false);
                var generator = editor.Generator;
                var modifiers = generator.GetModifiers(field).WithIsStatic(false).WithIsReadOnly(false)
                    .WithIsVolatile(false).WithIsConst(true);
                var changed = generator.WithModifiers(field, modifiers);
                changed = generator.WithType(changed, generator.TypeExpression(SpecialType.System_UInt32));
                editor.ReplaceNode(field, changed);
                return editor.GetChangedDocument();
            }, DiagnosticIds.BankNotConstUInt), diagnostic);
        }
    }
}
