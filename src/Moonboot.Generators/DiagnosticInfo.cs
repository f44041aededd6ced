using System;
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

    /// <summary>A diagnostic to report, as plain values: the rule's ID, the finished message and where.</summary>
    internal readonly record struct DiagnosticInfo(string Id, string Message, LocationInfo? Location)
    {
        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(DiagnosticDescriptors.Get(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Message);
    }
}
