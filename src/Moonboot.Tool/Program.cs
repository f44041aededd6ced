using System;
using Spectre.Console;

namespace Moonboot.Tool
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            bool interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected;
            // Piped output (CI logs, scripts) gets wide tables instead of wrapped 80-column ones.
            if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 200;
            var context = new ToolContext(AnsiConsole.Console, Console.Out, Console.Error, interactive);
            return Cli.Run(args, context);
        }
    }
}
