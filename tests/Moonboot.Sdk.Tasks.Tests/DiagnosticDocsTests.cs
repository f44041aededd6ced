using System.IO;
using System.Linq;
using System.Reflection;
using Moonboot.Sdk.Tasks.Layout;
using Xunit;

namespace Moonboot.Sdk.Tasks.Tests;

public sealed class DiagnosticDocsTests
{
    [Fact]
    public void Every_task_error_code_has_its_page_in_docs_diagnostics()
    {
        var codes = typeof(TaskErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => v.StartsWith("MBS"))
            .ToList();
        Assert.NotEmpty(codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        string docs = Path.GetFullPath(Path.Combine(Approvals.Directory, "..", "..", "..", "docs", "diagnostics"));
        Assert.All(codes, code =>
        {
            Assert.Matches(@"^MBS1\d{3}$", code);
            string page = Path.Combine(docs, code + ".md");
            Assert.True(File.Exists(page), $"missing {page}");
            Assert.StartsWith("# " + code + ":", File.ReadAllText(page));
        });
    }
}
