using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Moonboot.Generators
{
    /// <summary>
    /// Reports every MB diagnostic of the [MoonbootConfig] class. An analyzer, not the generator, so the IDE shows
    /// them while typing (Visual Studio's default "Balanced" mode runs generators only on save or build), at real
    /// source locations, where #pragma warning disable and .editorconfig severities apply. It reads the class with the
    /// generator's <see cref="ConfigReader"/>: one model, one set of rules.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MoonbootAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(static start =>
            {
                var configAttribute = start.Compilation.GetTypeByMetadataName(ConfigReader.ConfigAttributeName);
                if (configAttribute is null) return; // not a config project
                var configs = new ConcurrentBag<(string Display, Location Location)>();
                start.RegisterSymbolAction(symbol => AnalyzeType(symbol, configAttribute, configs), SymbolKind.NamedType);
                start.RegisterCompilationEndAction(end => ReportMultipleConfigs(end, configs));
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol configAttribute,
            ConcurrentBag<(string Display, Location Location)> configs)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            // With the attribute on two parts of a partial class (CS0579) the first one speaks for the class.
            var attribute = type.GetAttributes().FirstOrDefault(a =>
                SymbolEqualityComparer.Default.Equals(a.AttributeClass, configAttribute) && a.ApplicationSyntaxReference is not null);
            if (attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken)
                    .FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } syntax)
            {
                return;
            }
            var model = ConfigReader.Read(syntax, type, attribute, context.Compilation, context.CancellationToken);
            foreach (var diagnostic in model.Diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(context.Compilation));
            }
            configs.Add((model.DisplayName, syntax.Identifier.GetLocation()));
        }

        /// <summary>MB0010: a project has one layout. Needs every class, so it waits for the compilation's end.</summary>
        private static void ReportMultipleConfigs(CompilationAnalysisContext context,
            ConcurrentBag<(string Display, Location Location)> configs)
        {
            if (configs.Count < 2) return;
            var ordered = configs
                .OrderBy(c => c.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
                .ThenBy(c => c.Location.SourceSpan.Start)
                .ToList();
            var first = ordered[0];
            foreach (var second in ordered.Skip(1))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MultipleConfigs, second.Location,
                    $"'{second.Display}' is a second [MoonbootConfig] class, but '{first.Display}' already is this " +
                    "project's layout. A project has exactly one layout: remove one attribute, or move the second " +
                    "layout into its own project."));
            }
        }
    }
}
