using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Moonboot.Layout;
using Xunit;

namespace Moonboot.Generators.Tests
{
    /// <summary>Analyzer conventions: the lowest Roslyn, static descriptors in the release files, real help links.</summary>
    public class ConventionTests
    {
        private static string Root => DocsTests.RepositoryRoot();

        private static string Property(string file, string name) =>
            Regex.Match(File.ReadAllText(Path.Combine(Root, file)), "<" + name + ">([^<]+)</" + name + ">").Groups[1].Value;

        [Fact]
        public void TheseTestsRunOnTheLowestSupportedRoslyn()
        {
            // This project references Microsoft.CodeAnalysis.CSharp at $(RoslynVersion), the version the analyzer and
            // generator are built against: every test here runs them on the oldest compiler they claim to load in.
            var expected = Version.Parse(Property("Directory.Build.props", "RoslynVersion"));
            var running = typeof(Compilation).Assembly.GetName().Version!;
            Assert.Equal(new Version(expected.Major, expected.Minor, 0, 0), running);
            foreach (var reference in typeof(MoonbootGenerator).Assembly.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("Microsoft.CodeAnalysis")))
            {
                Assert.True(reference.Version <= running, $"{reference} is newer than Roslyn {running}");
            }
        }

        [Fact]
        public void EachDescriptorMatchesItsRule()
        {
            Assert.Equal(LayoutRule.All.Select(r => r.Id), DiagnosticDescriptors.All.Select(d => d.Id));
            foreach (var rule in LayoutRule.All)
            {
                var descriptor = DiagnosticDescriptors.Get(rule.Id);
                Assert.Equal(rule.Severity == LayoutIssueSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                    descriptor.DefaultSeverity);
                Assert.Equal(rule.Title, descriptor.Title.ToString());
                Assert.Equal("Moonboot.Layout", descriptor.Category);
                Assert.Equal(rule.HelpLink, descriptor.HelpLinkUri);
            }
            Assert.Equal(new MoonbootAnalyzer().SupportedDiagnostics, DiagnosticDescriptors.All);
        }

        [Fact]
        public void HelpLinksComeFromTheRepositoryUrlAndNameExistingPages()
        {
            string repository = Property("Directory.Build.props", "RepositoryUrl");
            Assert.StartsWith("https://", repository);
            Assert.StartsWith(repository + "/blob/main/docs/diagnostics/", HelpLinks.For("MB0001"));
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                string page = descriptor.HelpLinkUri.Substring(repository.Length + "/blob/main/".Length);
                Assert.True(File.Exists(Path.Combine(Root, page)), $"{descriptor.Id} links to {page}, which does not exist");
            }
            // No other address is written by hand anywhere in the shipped sources.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
                         .Concat(Directory.EnumerateFiles(Path.Combine(Root, "sdk"), "*.*", SearchOption.AllDirectories))
                         .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                                  && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar)))
            {
                Assert.DoesNotContain("docs/diagnostics/MB", File.ReadAllText(file).Replace("docs/diagnostics/MBxxxx", ""));
            }
        }

        [Fact]
        public void EveryDescriptorIsInTheReleaseFiles()
        {
            string dir = Path.Combine(Root, "src", "Moonboot.Generators");
            string releases = File.ReadAllText(Path.Combine(dir, "AnalyzerReleases.Shipped.md"))
                + File.ReadAllText(Path.Combine(dir, "AnalyzerReleases.Unshipped.md"));
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                Assert.Matches(new Regex("^" + descriptor.Id + @" \| " + Regex.Escape(descriptor.Category) + @" \| "
                    + descriptor.DefaultSeverity + @" \|", RegexOptions.Multiline), releases);
            }
        }

        [Fact]
        public void TheGeneratorReportsNothingEvenForABrokenLayout()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.Seed.Replace("PageSize = 2048", "PageSize = 3000").Replace("static partial", "partial"));
            Assert.NotEmpty(run.Moonboot);
            Assert.Empty(run.GeneratorDiagnostics);
        }

        [Fact]
        public void TheAttributeDefaultsAreTheModelDefaults()
        {
            // The attribute's initializers are what a user reads; the reader applies LayoutSpec's when an argument is
            // left out. The compiler cannot see an initializer, so this test is what keeps the two equal.
            var attribute = new MoonbootConfigAttribute();
            Assert.Equal(LayoutSpec.DefaultPageSize, attribute.PageSize);
            Assert.Equal(LayoutSpec.DefaultWriteSize, attribute.WriteSize);
            Assert.Equal(LayoutSpec.DefaultErasedValue, attribute.ErasedValue);
            Assert.Equal(LayoutSpec.DefaultHasRamState, attribute.HasRamState);
            Assert.Equal(MemoryUnit.Internal, new BankAttribute(BankRole.Boot).Unit);
        }

        [Fact]
        public void ThePublicEnumsAndTheModelEnumsAreOneSet()
        {
            // The reader maps BankRole/MemoryUnit to the model's enums by value (the compiler hands it an int).
            Assert.Equal(Enum.GetNames(typeof(BankRole)), Enum.GetNames(typeof(LayoutBankRole)));
            Assert.Equal(Enum.GetValues(typeof(BankRole)).Cast<object>().Select(Convert.ToInt32), Enum.GetValues(typeof(LayoutBankRole)).Cast<object>().Select(Convert.ToInt32));
            Assert.Equal(Enum.GetNames(typeof(MemoryUnit)), Enum.GetNames(typeof(LayoutMemoryUnit)));
            Assert.Equal(Enum.GetValues(typeof(MemoryUnit)).Cast<object>().Select(Convert.ToInt32), Enum.GetValues(typeof(LayoutMemoryUnit)).Cast<object>().Select(Convert.ToInt32));
        }
    }
}
