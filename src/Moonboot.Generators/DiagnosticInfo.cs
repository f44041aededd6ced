using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Moonboot.Generators
{
    /// <summary>
    /// A source location as plain values (file path, span, line span): unlike <see cref="Location"/> it holds no
    /// syntax tree, so models that carry it stay cacheable across compilations.
    /// </summary>
    internal readonly record struct LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo? From(Location? location)
        {
            if (location is null || location.SourceTree is null) return null;
            return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
        }

        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

        public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
    }

    /// <summary>
    /// A diagnostic to report, as plain values: the rule's ID, the finished message, where, and the values a code fix
    /// may offer (see <see cref="Moonboot.Layout.LayoutIssue.Suggestions"/>).
    /// </summary>
    internal readonly record struct DiagnosticInfo(string Id, string Message, LocationInfo? Location, string? Suggestions)
    {
        /// <summary>
        /// A diagnostic at a real location in <paramref name="compilation"/>'s tree, so #pragma warning disable and
        /// .editorconfig severities apply to it (a location rebuilt from a path is external and escapes both).
        /// </summary>
        public Diagnostic ToDiagnostic(Compilation compilation)
        {
            Location location = Microsoft.CodeAnalysis.Location.None;
            if (Location is { } info)
            {
                var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == info.FilePath);
                location = tree is not null ? Microsoft.CodeAnalysis.Location.Create(tree, info.Span) : info.ToLocation();
            }
            var properties = Suggestions is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(Moonboot.Layout.LayoutIssue.SuggestionsProperty, Suggestions);
            return Diagnostic.Create(DiagnosticDescriptors.Get(Id), location, properties, Message);
        }
    }
}
