using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Build.Framework;
using MSTask = Microsoft.Build.Utilities.Task;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Moonboot.Sdk.Tasks.Firmware
{
    /// <summary>
    /// Compiles C and assembly sources with gcc, each to its own object, in parallel, and only those that changed:
    /// an object is up to date when it is newer than every file its <c>.d</c> file lists (the source and every header
    /// gcc read, written by <c>-MMD -MF</c>) and its command line (kept in a <c>.cmd</c> file beside it) is the same.
    /// gcc's diagnostics become MSBuild errors and warnings with file, line and column.
    /// </summary>
    public sealed class CompileMoonbootSources : MSTask, ICancelableTask
    {
        /// <summary>The sources; none is an error (MBS2005), checked here rather than in an MSBuild condition.</summary>
        public ITaskItem[] Sources { get; set; } = Array.Empty<ITaskItem>();
        /// <summary>The project file, where the no-sources error points.</summary>
        public string? ProjectFile { get; set; }
        [Required] public string Compiler { get; set; } = "";
        /// <summary>Folder for objects, .d and .cmd files.</summary>
        [Required] public string ObjectDirectory { get; set; } = "";
        /// <summary>Sources under this folder keep their relative path under ObjectDirectory.</summary>
        public string? ProjectDirectory { get; set; }
        /// <summary>Sources under this folder (the SDK's C runtime) go to ObjectDirectory/runtime/.</summary>
        public string? RuntimeDirectory { get; set; }
        /// <summary>Flags for every source, one per item (CPU, optimisation, warnings, user MoonbootCFlags).</summary>
        public string[] Flags { get; set; } = Array.Empty<string>();
        public ITaskItem[] IncludeDirectories { get; set; } = Array.Empty<ITaskItem>();
        /// <summary>NAME or NAME=VALUE, or NAME with metadata Value.</summary>
        public ITaskItem[] Defines { get; set; } = Array.Empty<ITaskItem>();
        /// <summary>Most compilers at once; 0 = as many as MSBuild grants (IBuildEngine9.RequestCores), at most the CPU count.</summary>
        public int MaxParallelism { get; set; }

        /// <summary>Every object, in source order, with metadata Source.</summary>
        [Output] public ITaskItem[] ObjectFiles { get; private set; } = Array.Empty<ITaskItem>();
        /// <summary>The sources this run compiled (empty when everything was up to date).</summary>
        [Output] public ITaskItem[] CompiledSources { get; private set; } = Array.Empty<ITaskItem>();

        private volatile bool _cancelled;
        private readonly List<Process> _running = new List<Process>();

        public void Cancel()
        {
            _cancelled = true;
            lock (_running)
            {
                foreach (var p in _running)
                {
                    try { p.Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
                }
            }
        }

        private sealed class Job
        {
            public Job(ITaskItem source, string sourcePath, string objectPath)
            {
                Source = source; SourcePath = sourcePath; ObjectPath = objectPath;
            }
            public ITaskItem Source { get; }
            public string SourcePath { get; }
            public string ObjectPath { get; }
            public string DepPath => ObjectPath + ".d";
            public string CmdPath => ObjectPath + ".cmd";
            public List<string> Arguments { get; } = new List<string>();
            public string CommandLine = "";
            public int ExitCode;
            public readonly List<string> Output = new List<string>();
            public Exception? Failure;
        }

        public override bool Execute()
        {
            if (Sources.Length == 0)
            {
                Log.Error(FirmwareErrors.InvalidProperty, ProjectFile,
                    "The firmware project has no sources: add .c/.s/.S files next to the project or MoonbootSource items.");
                return false;
            }
            var jobs = new List<Job>();
            var objects = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var source in Sources)
            {
                string path = Path.GetFullPath(source.GetMetadata("FullPath") is { Length: > 0 } full ? full : source.ItemSpec);
                string obj = source.GetMetadata("ObjectFile");
                obj = obj.Length > 0 ? Path.GetFullPath(obj) : ObjectPathFor(path);
                if (objects.TryGetValue(obj, out var other))
                {
                    if (other == path) continue; // the same source twice
                    obj = ObjectPathFor(path, forceHash: true);
                }
                objects[obj] = path;
                var job = new Job(source, path, obj);
                job.Arguments.AddRange(ArgumentsFor(job));
                job.CommandLine = Moonboot.Sdk.Tasks.Firmware.CommandLine.Join(job.Arguments);
                jobs.Add(job);
            }

            var stale = jobs.Where(IsStale).ToList();
            if (stale.Count > 0)
            {
                Log.LogMessage(MessageImportance.Normal, "Compiling {0} of {1} source file(s).", stale.Count, jobs.Count);
                RunAll(stale);
                foreach (var job in stale) Report(job);
            }
            else
            {
                Log.LogMessage(MessageImportance.Normal, "All {0} object(s) are up to date; no compiler run.", jobs.Count);
            }

            ObjectFiles = jobs.Select(j =>
            {
                var item = new TaskItem(j.ObjectPath);
                item.SetMetadata("Source", j.SourcePath);
                return (ITaskItem)item;
            }).ToArray();
            CompiledSources = stale.Where(j => j.ExitCode == 0 && j.Failure == null).Select(j => (ITaskItem)new TaskItem(j.SourcePath)).ToArray();
            return !Log.HasLoggedErrors && !_cancelled;
        }

        internal string ObjectPathFor(string source, bool forceHash = false)
        {
            string objDir = Path.GetFullPath(ObjectDirectory);
            string? rel = forceHash ? null : Relative(RuntimeDirectory, source);
            if (rel != null) return Path.Combine(objDir, "runtime", rel + ".o");
            rel = forceHash ? null : Relative(ProjectDirectory, source);
            if (rel != null) return Path.Combine(objDir, rel + ".o");
            return Path.Combine(objDir, "external", Path.GetFileName(source) + "." + Hash(source) + ".o");
        }

        private static string? Relative(string? root, string path)
        {
            if (string.IsNullOrEmpty(root)) return null;
            string full = Path.GetFullPath(root!);
            if (!full.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal)) full += Path.DirectorySeparatorChar;
            return path.StartsWith(full, StringComparison.Ordinal) ? path.Substring(full.Length) : null;
        }

        private static string Hash(string text)
        {
            using var sha = SHA256.Create();
            var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return string.Concat(bytes.Take(4).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        private IEnumerable<string> ArgumentsFor(Job job)
        {
            foreach (string flag in Flags)
            {
                if (!string.IsNullOrWhiteSpace(flag)) yield return flag.Trim();
            }
            foreach (string flag in (job.Source.GetMetadata("CFlags") ?? "").Split(new[] { ' ', ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                yield return flag;
            }
            foreach (var define in Defines)
            {
                string value = define.GetMetadata("Value");
                yield return "-D" + define.ItemSpec + (value.Length > 0 ? "=" + value : "");
            }
            foreach (var dir in IncludeDirectories)
            {
                yield return "-I" + Path.GetFullPath(dir.ItemSpec).TrimEnd('/', '\\');
            }
            yield return "-fdiagnostics-color=never";
            yield return "-fno-diagnostics-show-caret";
            yield return "-MMD";
            yield return "-MF";
            yield return job.DepPath;
            yield return "-c";
            yield return job.SourcePath;
            yield return "-o";
            yield return job.ObjectPath;
        }

        /// <summary>True when the object must be rebuilt; missing or unreadable state always means rebuild.</summary>
        private bool IsStale(Job job)
        {
            try
            {
                if (!File.Exists(job.ObjectPath) || !File.Exists(job.DepPath) || !File.Exists(job.CmdPath)) return true;
                if (File.ReadAllText(job.CmdPath) != job.CommandLine)
                {
                    Log.LogMessage(MessageImportance.Low, "{0}: the command line changed.", job.SourcePath);
                    return true;
                }
                DateTime objTime = File.GetLastWriteTimeUtc(job.ObjectPath);
                var deps = DependencyFile.Parse(File.ReadAllText(job.DepPath));
                if (deps.Count == 0) return true;
                foreach (string dep in deps)
                {
                    string full = Path.IsPathRooted(dep) ? dep : Path.Combine(ProjectDirectory ?? Directory.GetCurrentDirectory(), dep);
                    if (!File.Exists(full) || File.GetLastWriteTimeUtc(full) > objTime)
                    {
                        Log.LogMessage(MessageImportance.Low, "{0}: '{1}' is newer than the object or missing.", job.SourcePath, dep);
                        return true;
                    }
                }
                return false;
            }
            catch (IOException) { return true; }
            catch (UnauthorizedAccessException) { return true; }
        }

        private void RunAll(List<Job> jobs)
        {
            int parallelism = MaxParallelism > 0 ? MaxParallelism : Environment.ProcessorCount;
            parallelism = Math.Max(1, Math.Min(parallelism, jobs.Count));
            int granted = 0;
            if (MaxParallelism <= 0 && parallelism > 1 && BuildEngine is IBuildEngine9 engine9)
            {
                // The node already holds one core; ask MSBuild (-maxcpucount) for the others.
                try
                {
                    granted = engine9.RequestCores(parallelism - 1);
                    parallelism = 1 + granted;
                }
                // Build engines without MSBuild's resource manager (older hosts, test engines) cannot grant cores:
                // then the compiles run with the parallelism computed above.
                catch (NotImplementedException) { }
                catch (InvalidOperationException) { }
            }
            try
            {
                Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, Run);
            }
            finally
            {
                if (granted > 0 && BuildEngine is IBuildEngine9 engine) engine.ReleaseCores(granted);
            }
        }

        private void Run(Job job)
        {
            if (_cancelled) return;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(job.ObjectPath)!);
                // A failed compile must never leave an object that looks up to date.
                File.Delete(job.CmdPath);
                var info = new ProcessStartInfo(Compiler, job.CommandLine)
                {
                    UseShellExecute = false,
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                    CreateNoWindow = true,
                    WorkingDirectory = ProjectDirectory is { Length: > 0 } dir && Directory.Exists(dir) ? dir : Directory.GetCurrentDirectory(),
                };
                using var process = new Process { StartInfo = info };
                process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (job.Output) job.Output.Add(e.Data); };
                process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (job.Output) job.Output.Add(e.Data); };
                process.Start();
                lock (_running) _running.Add(process);
                process.BeginErrorReadLine();
                process.BeginOutputReadLine();
                process.WaitForExit();
                lock (_running) _running.Remove(process);
                job.ExitCode = process.ExitCode;
                if (job.ExitCode == 0)
                {
                    if (!File.Exists(job.DepPath))
                    {
                        // Plain .s files are not preprocessed, so gcc writes no dependency file for them.
                        File.WriteAllText(job.DepPath, Escape(job.ObjectPath) + ": " + Escape(job.SourcePath) + "\n");
                    }
                    File.WriteAllText(job.CmdPath, job.CommandLine);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
            {
                job.Failure = e;
            }
        }

        private static string Escape(string path) => path.Replace(" ", "\\ ");

        private void Report(Job job)
        {
            Log.LogMessage(MessageImportance.Low, "{0} {1}", Compiler, job.CommandLine);
            if (job.Failure != null)
            {
                Log.Error(FirmwareErrors.ToolFailed, job.SourcePath, $"Could not run '{Compiler}': {job.Failure.Message}");
                return;
            }
            bool loggedError = false;
            foreach (string line in job.Output)
            {
                if (GccDiagnosticParser.TryParseCompilerLine(line, out var d))
                {
                    string? file = d.File;
                    if (file != null && !Path.IsPathRooted(file) && ProjectDirectory is { Length: > 0 })
                    {
                        file = Path.GetFullPath(Path.Combine(ProjectDirectory, file));
                    }
                    switch (d.Severity)
                    {
                        case GccSeverity.Error:
                            Log.LogError("gcc", d.Code, null, file ?? job.SourcePath, d.Line, d.Column, 0, 0, "{0}", d.Message);
                            loggedError = true;
                            break;
                        case GccSeverity.Warning:
                            Log.LogWarning("gcc", d.Code, null, file ?? job.SourcePath, d.Line, d.Column, 0, 0, "{0}", d.Message);
                            break;
                        default:
                            Log.LogMessage("gcc", null, null, file, d.Line, d.Column, 0, 0, MessageImportance.High, "note: {0}", d.Message);
                            break;
                    }
                }
                else
                {
                    Log.LogMessage(MessageImportance.Normal, "{0}", line);
                }
            }
            if (job.ExitCode != 0 && !loggedError && !_cancelled)
            {
                Log.Error(FirmwareErrors.ToolFailed, job.SourcePath, $"'{Path.GetFileName(Compiler)}' exited with code {job.ExitCode} compiling this file.");
            }
        }
    }
}
