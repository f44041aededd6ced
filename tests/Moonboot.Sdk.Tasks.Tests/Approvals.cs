using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Xunit.Sdk;

namespace Moonboot.Sdk.Tasks.Tests;

/// <summary>
/// Approved-file comparison: the text must equal Approved/&lt;name&gt; byte for byte. On a mismatch the actual text is
/// written next to it as &lt;name&gt;.received (git-ignored) and the test fails with a line diff. To approve, review
/// the .received file and rename it.
/// </summary>
internal static class Approvals
{
    public static string Directory { get; } = typeof(Approvals).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ApprovedDirectory").Value!;

    public static void Verify(string name, string actual)
    {
        string approvedPath = Path.Combine(Directory, name);
        string receivedPath = ReceivedPath(name);
        string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : null;
        if (approved == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual, new UTF8Encoding(false));
        if (approved is null)
        {
            throw new XunitException($"No approved file {approvedPath}. Review {receivedPath} and rename it to approve.");
        }
        throw new XunitException($"{name} differs from the approved file (received: {receivedPath}):\n{Diff(approved, actual)}");
    }

    public static string ReceivedPath(string name)
    {
        int dot = name.LastIndexOf('.');
        return Path.Combine(Directory, dot < 0 ? name + ".received" : name.Substring(0, dot) + ".received" + name.Substring(dot));
    }

    /// <summary>A minimal line diff: common prefix and suffix kept, the middle shown as - / + lines.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        int start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start]) start++;
        int endA = a.Length - 1, endB = b.Length - 1;
        while (endA >= start && endB >= start && a[endA] == b[endB]) { endA--; endB--; }
        var text = new StringBuilder();
        text.Append("@@ line ").Append(start + 1).Append(" @@\n");
        for (int i = start; i <= endA; i++) text.Append("- ").Append(Visible(a[i])).Append('\n');
        for (int i = start; i <= endB; i++) text.Append("+ ").Append(Visible(b[i])).Append('\n');
        return text.ToString();
    }

    private static string Visible(string line) => line.Replace("\r", "\\r").Replace("\t", "\\t");
}
