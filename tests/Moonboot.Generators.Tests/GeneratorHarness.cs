using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Moonboot.Generators;

namespace Moonboot.Generators.Tests
{
    /// <summary>Runs the generator in memory against the running runtime's assemblies (offline-safe).</summary>
    internal static class GeneratorHarness
    {
        public const string DefaultPath = "/src/Config/Memory.cs";

        private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
        {
            var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            var references = tpa
                .Where(path =>
                {
                    string name = Path.GetFileNameWithoutExtension(path);
                    return name.StartsWith("System.", StringComparison.Ordinal) || name == "System"
                        || name == "mscorlib" || name == "netstandard" || name == "Microsoft.Win32.Primitives";
                })
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToList();
            references.Add(MetadataReference.CreateFromFile(typeof(MoonbootConfigAttribute).Assembly.Location));
            return references.ToImmutableArray();
        });

        public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

        public static CSharpCompilation Compile(params (string Path, string Text)[] sources) =>
            CSharpCompilation.Create(
                "ConfigProject",
                sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Text), ParseOptions, s.Path)),
                References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        public static CSharpCompilation Compile(string source) => Compile((DefaultPath, source));

        public static GeneratorDriver CreateDriver(bool track = true) =>
            CSharpGeneratorDriver.Create(
                new[] { new MoonbootGenerator().AsSourceGenerator() },
                parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

        public sealed record Run(
            GeneratorDriver Driver,
            GeneratorRunResult Result,
            Compilation Output,
            ImmutableArray<Diagnostic> GeneratorDiagnostics,
            ImmutableArray<Diagnostic> CompilerDiagnostics,
            ImmutableArray<Diagnostic> AnalyzerDiagnostics)
        {
            /// <summary>The MB diagnostics, as the build reports them: from the analyzer, which runs on the compilation
            /// with the generated sources, like the compiler does.</summary>
            public IEnumerable<Diagnostic> Moonboot => AnalyzerDiagnostics.Where(d => d.Id.StartsWith("MB", StringComparison.Ordinal));

            public string? Source(string hintSuffix) =>
                Result.GeneratedSources.Where(s => s.HintName.EndsWith(hintSuffix, StringComparison.Ordinal))
                    .Select(s => s.SourceText.ToString()).SingleOrDefault();

            /// <summary>Every generated file, ordered by hint name, versions scrubbed: the snapshot text.</summary>
            public string AllSources() =>
                string.Join("\n", Result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal)
                    .Select(s => "// ---- " + s.HintName + " ----\n" + Snapshot.Scrub(s.SourceText.ToString())));
        }

        public static Run RunGenerator(Compilation compilation, GeneratorDriver? driver = null)
        {
            driver = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
            var result = driver.GetRunResult().Results.Single();
            var compilerDiagnostics = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
            return new Run(driver, result, output, diagnostics, compilerDiagnostics, Analyze(output));
        }

        /// <summary>Runs only the analyzer (no generator), as the IDE does while typing.</summary>
        public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, AnalyzerOptions? options = null) =>
            compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new MoonbootAnalyzer()), options)
                .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

        public static Run RunGenerator(string source) => RunGenerator(Compile(source));
    }
}
