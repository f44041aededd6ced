using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Moonboot.Generators.Tests
{
    /// <summary>
    /// Approved-file snapshots: Snapshots/&lt;Class&gt;.&lt;Test&gt;.verified.cs next to the tests. On a mismatch the
    /// actual text goes to .received.cs and the test fails with a line diff; MOONBOOT_ACCEPT_SNAPSHOTS=1 accepts it.
    /// </summary>
    internal static class Snapshot
    {
        public static string Scrub(string text) =>
            Regex.Replace(text.Replace("\r\n", "\n").TrimStart('\uFEFF'),
                "GeneratedCode\\(\"Moonboot\\.Generators\", \"[^\"]*\"\\)",
                "GeneratedCode(\"Moonboot.Generators\", \"{version}\")");

        public static void Verify(string actual, [CallerFilePath] string callerFile = "", [CallerMemberName] string test = "")
        {
            string directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
            string name = Path.GetFileNameWithoutExtension(callerFile) + "." + test;
            string verified = Path.Combine(directory, name + ".verified.cs");
            string received = Path.Combine(directory, name + ".received.cs");
            actual = actual.Replace("\r\n", "\n");
            if (!actual.EndsWith("\n", StringComparison.Ordinal)) actual += "\n";

            bool accept = Environment.GetEnvironmentVariable("MOONBOOT_ACCEPT_SNAPSHOTS") == "1";
            string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
            if (expected == actual)
            {
                if (File.Exists(received)) File.Delete(received);
                return;
            }
            if (accept)
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(verified, actual);
                if (File.Exists(received)) File.Delete(received);
                return;
            }
            Directory.CreateDirectory(directory);
            File.WriteAllText(received, actual);
            throw new XunitException(
                (expected is null ? $"No approved snapshot {verified}." : $"Snapshot {verified} differs.") +
                $"\nReceived: {received}\nAccept with MOONBOOT_ACCEPT_SNAPSHOTS=1.\n" + Diff(expected ?? "", actual));
        }

        /// <summary>A short line diff: the first differing lines with a little context.</summary>
        private static string Diff(string expected, string actual)
        {
            var a = expected.Split('\n');
            var b = actual.Split('\n');
            var diff = new StringBuilder();
            int shown = 0;
            for (int i = 0; i < Math.Max(a.Length, b.Length) && shown < 40; i++)
            {
                string? x = i < a.Length ? a[i] : null;
                string? y = i < b.Length ? b[i] : null;
                if (x == y) continue;
                if (x is not null) diff.Append($"{i + 1,5} - {x}\n");
                if (y is not null) diff.Append($"{i + 1,5} + {y}\n");
                shown++;
            }
            return diff.ToString();
        }
    }
}
