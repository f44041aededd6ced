using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Moonboot.Generators;

namespace Moonboot.Analyzers.Tests
{
    /// <summary>Test drivers: the analyzer alone (as the IDE runs it), and the analyzer with one code fix.</summary>
    internal static class Verify
    {
        /// <summary>No package downloads: the running runtime's assemblies plus Moonboot.Config.</summary>
        private static readonly ReferenceAssemblies Local = new("net-local");

        private static readonly MetadataReference[] References = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path =>
            {
                string name = Path.GetFileNameWithoutExtension(path);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard";
            })
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(MoonbootConfigAttribute).Assembly.Location))
            .ToArray();

        public sealed class AnalyzerTest : CSharpAnalyzerTest<MoonbootAnalyzer, DefaultVerifier>
        {
            public AnalyzerTest(string source)
            {
                TestCode = source;
                ReferenceAssemblies = Local;
                TestState.AdditionalReferences.AddRange(References);
            }
        }

        public sealed class FixTest<TFix> : CSharpCodeFixTest<MoonbootAnalyzer, TFix, DefaultVerifier>
            where TFix : CodeFixProvider, new()
        {
            public FixTest(string source, string fixedSource, string? equivalenceKey = null)
            {
                TestCode = source;
                FixedCode = fixedSource;
                CodeActionEquivalenceKey = equivalenceKey;
                ReferenceAssemblies = Local;
                TestState.AdditionalReferences.AddRange(References);
                FixedState.AdditionalReferences.AddRange(References);
            }
        }

        public static System.Threading.Tasks.Task Analyzer(string source) => new AnalyzerTest(source).RunAsync();

        public static System.Threading.Tasks.Task Fix<TFix>(string source, string fixedSource, string? key = null)
            where TFix : CodeFixProvider, new() => new FixTest<TFix>(source, fixedSource, key).RunAsync();
    }
}
