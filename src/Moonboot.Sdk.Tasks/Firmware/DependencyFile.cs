using System.Collections.Generic;
using System.Text;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>
    /// Reads the make rules gcc writes with <c>-MMD -MF</c>: <c>obj.o: src.c inc/a.h \</c> (continued lines), spaces
    /// escaped as <c>\ </c>, <c>$$</c> for <c>$</c>, and with <c>-MP</c> extra empty rules <c>inc/a.h:</c>.
    /// </summary>
    internal static class DependencyFile
    {
        /// <summary>Every prerequisite of every rule, in order, without duplicates. Targets are not included.</summary>
        public static IReadOnlyList<string> Parse(string text)
        {
            var result = new List<string>();
            var seen = new HashSet<string>();
            // Join continuation lines: a backslash right before the newline.
            text = text.Replace("\r\n", "\n").Replace("\\\n", " ");
            foreach (string rawLine in text.Split('\n'))
            {
                var words = Words(rawLine);
                int colon = -1;
                for (int i = 0; i < words.Count; i++)
                {
                    if (words[i].IsRuleColon) { colon = i; break; }
                }
                if (colon < 0) continue;
                for (int i = colon + 1; i < words.Count; i++)
                {
                    if (words[i].IsRuleColon) break;
                    if (seen.Add(words[i].Text)) result.Add(words[i].Text);
                }
            }
            return result;
        }

        private readonly struct Word
        {
            public Word(string text, bool isRuleColon) { Text = text; IsRuleColon = isRuleColon; }
            public string Text { get; }
            public bool IsRuleColon { get; }
        }

        // Splits a rule line into words. A target ends with "name:" followed by whitespace or the end of the line;
        // a colon followed by anything else ("C:\dir") stays part of the word.
        private static List<Word> Words(string line)
        {
            var words = new List<Word>();
            var current = new StringBuilder();
            void Flush()
            {
                if (current.Length > 0) words.Add(new Word(current.ToString(), false));
                current.Clear();
            }
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (c == '\\' && i + 1 < line.Length && (line[i + 1] == ' ' || line[i + 1] == '#'))
                {
                    current.Append(line[i + 1]);
                    i++;
                }
                else if (c == '$' && i + 1 < line.Length && line[i + 1] == '$')
                {
                    current.Append('$');
                    i++;
                }
                else if (c == ' ' || c == '\t')
                {
                    Flush();
                }
                else if (c == ':' && (i + 1 == line.Length || line[i + 1] == ' ' || line[i + 1] == '\t'))
                {
                    Flush();
                    words.Add(new Word(":", true));
                }
                else if (c == '#' && current.Length == 0 && words.Count == 0)
                {
                    break; // comment line
                }
                else
                {
                    current.Append(c);
                }
            }
            Flush();
            return words;
        }
    }
}
