using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Moonboot.Layout;

namespace Moonboot.Generators
{
    /// <summary>One descriptor per <see cref="LayoutRule"/>: the shared rule catalogue is the only list of IDs.</summary>
    internal static class DiagnosticDescriptors
    {
        public const string Category = "Moonboot";

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = Build();

        public static IReadOnlyCollection<DiagnosticDescriptor> All => ById.Values;

        public static DiagnosticDescriptor Get(string id) =>
            ById.TryGetValue(id, out var descriptor)
                ? descriptor
                : throw new ArgumentException("Unknown Moonboot diagnostic " + id, nameof(id));

        public static DiagnosticDescriptor Get(LayoutRule rule) => Get(rule.Id);

        private static Dictionary<string, DiagnosticDescriptor> Build()
        {
            var byId = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
            foreach (var rule in LayoutRule.All)
            {
                byId.Add(rule.Id, new DiagnosticDescriptor(
                    rule.Id,
                    rule.Title,
                    "{0}",
                    Category,
                    rule.Severity == LayoutIssueSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                    isEnabledByDefault: true,
                    description: null,
                    helpLinkUri: rule.HelpLink));
            }
            return byId;
        }
    }
}
