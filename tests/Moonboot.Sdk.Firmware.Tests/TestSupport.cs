using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.Build.Framework;
using Moonboot.Sdk.Tasks.Firmware;
using Xunit;

namespace Moonboot.Sdk.Firmware.Tests;

/// <summary>Collects what a task logs.</summary>
internal sealed class FakeBuildEngine : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = new();
    public List<BuildWarningEventArgs> Warnings { get; } = new();
    public List<BuildMessageEventArgs> Messages { get; } = new();
    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.proj";
    public void LogErrorEvent(BuildErrorEventArgs e) { lock (Errors) Errors.Add(e); }
    public void LogWarningEvent(BuildWarningEventArgs e) { lock (Warnings) Warnings.Add(e); }
    public void LogMessageEvent(BuildMessageEventArgs e) { lock (Messages) Messages.Add(e); }
    public void LogCustomEvent(CustomBuildEventArgs e) { }
    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;

    public string Describe() => string.Join("\n",
        Errors.Select(e => $"error {e.Code} {e.File}({e.LineNumber},{e.ColumnNumber}): {e.Message}")
            .Concat(Warnings.Select(w => $"warning {w.Code} {w.File}({w.LineNumber},{w.ColumnNumber}): {w.Message}"))
            .Concat(Messages.Select(m => "message " + m.Message)));
}

internal static class Arm
{
    public static readonly string? Gcc = Toolchain.Find(null, "arm-none-eabi-", "gcc");
    public static readonly string? Objcopy = Toolchain.Find(null, "arm-none-eabi-", "objcopy");
    public static readonly string? Readelf = Toolchain.Find(null, "arm-none-eabi-", "readelf");

    public const string MissingReason =
        "arm-none-eabi-gcc is not on PATH (install gcc-arm-none-eabi libnewlib-arm-none-eabi; build/test.sh does)";

    public static string RepositoryRoot => typeof(Arm).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>Runs a process; returns exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string file, string arguments, string workingDirectory, IDictionary<string, string>? environment = null, int timeoutMs = 600_000)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (environment != null)
        {
            foreach (var (k, v) in environment)
            {
                if (v.Length == 0) info.Environment.Remove(k); // empty: not inherited from the test host
                else info.Environment[k] = v;
            }
        }
        using var p = new Process { StartInfo = info };
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in {timeoutMs} ms:\n{output}");
        }
        p.WaitForExit();
        lock (output) return (p.ExitCode, output.ToString());
    }

    public static string TempDirectory(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "moonboot-fw-tests", name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>A [Fact] that is skipped, with the reason printed, when the Arm toolchain is not installed.</summary>
public sealed class ToolchainFactAttribute : FactAttribute
{
    public ToolchainFactAttribute()
    {
        if (Arm.Gcc == null)
        {
            Skip = Arm.MissingReason;
            Console.WriteLine("SKIP: " + Arm.MissingReason);
        }
    }
}

/// <summary>A [Theory] that is skipped, with the reason printed, when the Arm toolchain is not installed.</summary>
public sealed class ToolchainTheoryAttribute : TheoryAttribute
{
    public ToolchainTheoryAttribute()
    {
        if (Arm.Gcc == null)
        {
            Skip = Arm.MissingReason;
            Console.WriteLine("SKIP: " + Arm.MissingReason);
        }
    }
}
