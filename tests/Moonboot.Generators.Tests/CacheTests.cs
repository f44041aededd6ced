using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Moonboot.Generators.Tests
{
    /// <summary>The pipeline caches: a rerun on an unchanged compilation does no work, and its models hold no symbols.</summary>
    public class CacheTests
    {
        [Theory]
        [InlineData(nameof(Layouts.Seed))]
        [InlineData(nameof(Layouts.ExternalUpdateFlash))]
        [InlineData("Invalid")]
        public void SecondRunOnClonedCompilationIsFullyCached(string layout)
        {
            string source = layout switch
            {
                nameof(Layouts.Seed) => Layouts.Seed,
                nameof(Layouts.ExternalUpdateFlash) => Layouts.ExternalUpdateFlash,
                _ => Layouts.Seed.Replace("PageSize = 2048", "PageSize = 3000"),
            };
            var compilation = GeneratorHarness.Compile(source);
            var first = GeneratorHarness.RunGenerator(compilation);
            var second = GeneratorHarness.RunGenerator(compilation.Clone(), first.Driver);

            foreach (var name in MoonbootGenerator.TrackingNames.All)
            {
                Assert.True(first.Result.TrackedSteps.ContainsKey(name), $"step {name} is not tracked");
                var before = first.Result.TrackedSteps[name];
                var after = second.Result.TrackedSteps[name];
                Assert.Equal(before.Length, after.Length);
                for (int i = 0; i < before.Length; i++)
                {
                    Assert.Equal(
                        before[i].Outputs.Select(o => o.Value),
                        after[i].Outputs.Select(o => o.Value));
                    foreach (var (value, reason) in after[i].Outputs)
                    {
                        Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                            $"step {name} output {value} ran again: {reason}");
                        AssertNoCompilerObjects(value, name);
                    }
                }
            }
            foreach (var (output, steps) in second.Result.TrackedOutputSteps)
            {
                foreach (var step in steps)
                {
                    Assert.All(step.Outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
                }
            }
        }

        [Fact]
        public void EditThatOnlyMovesCodeDoesNotRegenerate()
        {
            var compilation = GeneratorHarness.Compile(Layouts.Seed);
            var first = GeneratorHarness.RunGenerator(compilation);
            var tree = compilation.SyntaxTrees.Single();
            var moved = tree.WithChangedText(SourceText.From("// a comment that moves every line down\n\n" + Layouts.Seed));
            var second = GeneratorHarness.RunGenerator(compilation.ReplaceSyntaxTree(tree, moved), first.Driver);

            // The model holds locations, so it changes; the emitter's input does not, so nothing is regenerated.
            Assert.Equal(IncrementalStepRunReason.Modified,
                second.Result.TrackedSteps[MoonbootGenerator.TrackingNames.Configs].Single().Outputs.Single().Reason);
            Assert.Equal(IncrementalStepRunReason.Unchanged,
                second.Result.TrackedSteps[MoonbootGenerator.TrackingNames.Generation].Single().Outputs.Single().Reason);
            Assert.Equal(IncrementalStepRunReason.Unchanged,
                second.Result.TrackedSteps[MoonbootGenerator.TrackingNames.Manifest].Single().Outputs.Single().Reason);
        }

        [Fact]
        public void ChangingTheLayoutRegenerates()
        {
            var compilation = GeneratorHarness.Compile(Layouts.Seed);
            var first = GeneratorHarness.RunGenerator(compilation);
            var tree = compilation.SyntaxTrees.Single();
            var changed = tree.WithChangedText(SourceText.From(Layouts.Seed.Replace("160 * 1024", "128 * 1024")));
            var second = GeneratorHarness.RunGenerator(compilation.ReplaceSyntaxTree(tree, changed), first.Driver);

            Assert.Equal(IncrementalStepRunReason.Modified,
                second.Result.TrackedSteps[MoonbootGenerator.TrackingNames.Generation].Single().Outputs.Single().Reason);
            Assert.Contains("public const uint Size = 131072;", second.Source("Memory.Moonboot.g.cs"));
        }

        /// <summary>Walks an output object graph and fails on anything that would pin a compilation in memory.</summary>
        private static void AssertNoCompilerObjects(object? value, string step)
        {
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            void Walk(object? node, string path)
            {
                if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum) return;
                if (!node.GetType().IsValueType && !seen.Add(node)) return;
                Assert.False(node is Compilation || node is ISymbol || node is SyntaxNode || node is SyntaxTree
                    || node is Location || node is SemanticModel,
                    $"step {step} keeps a {node.GetType().Name} at {path}");
                if (node is IEnumerable items)
                {
                    int i = 0;
                    foreach (var item in items) Walk(item, $"{path}[{i++}]");
                }
                for (var type = node.GetType(); type is not null && type != typeof(object); type = type.BaseType)
                {
                    foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (field.FieldType.IsPointer) continue;
                        Walk(field.GetValue(node), path + "." + field.Name);
                    }
                }
            }
            Walk(value, "output");
        }
    }
}
