using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks
{
    /// <summary>
    /// Every MBS error of the tasks goes through here: the code, its help link in the help-link slot (not in
    /// helpKeyword, which IDEs look up in their own help system), and the message as text, never as a format string.
    /// </summary>
    internal static class TaskLog
    {
        public static void Error(this TaskLoggingHelper log, string code, string? file, string message,
            int line = 0, int column = 0, string? subcategory = null) =>
            log.LogError(subcategory, code, null, HelpLinks.For(code), file, line, column, 0, 0, "{0}", message);
    }
}
