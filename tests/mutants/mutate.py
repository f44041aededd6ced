#!/usr/bin/python3
"""Mutation testing for the C runtime's core (docs/mutation-testing.md).

Generates mutants from C tokens (never from comments, strings or preprocessor lines), builds each one in a
copy of the tree, and runs the oracle in two tiers: tier 1 (unit checks and a few sweep combos, stopped at
the first failure line), then, for tier-1 survivors only, tier 2 (the whole fast sweep).
Debian's python3, standard library only.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import selectors
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

OPERATORS = ("relational", "condition", "delete", "constant")
SUMMARY_RE = re.compile(r"^(\d+) passed, (\d+) failed$")
FAIL_RE = re.compile(r"^FAIL\b")


class ToolError(Exception):
    """A user-facing error with a stable code (MUTxxx), printed as `mutate: error MUTxxx: ...`."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------------------------------------------
# Tokenizer

PUNCTUATORS = sorted(
    "... <<= >>= -> ++ -- << >> <= >= == != && || *= /= %= += -= &= ^= |= ## "
    "[ ] ( ) { } . & * + - ~ ! / % < > ^ | ? : ; = , #".split(),
    key=len,
    reverse=True,
)
ASSIGN_OPS = {"=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "<<=", ">>="}
RELATIONAL = {"<": ("<=", ">="), "<=": ("<", ">"), ">": (">=", "<="), ">=": (">", "<"), "==": ("!=",), "!=": ("==",)}
TYPE_WORDS = {
    "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool", "bool", "const",
    "volatile", "static", "extern", "register", "auto", "struct", "union", "enum", "typedef", "inline",
    "restrict", "_Static_assert", "_Alignas", "_Atomic", "_Thread_local",
}
KEYWORDS = TYPE_WORDS | {
    "if", "else", "while", "do", "for", "switch", "case", "default", "return", "break", "continue", "goto",
    "sizeof", "_Alignof", "_Generic",
}


class Tok:
    __slots__ = ("kind", "text", "start", "end", "line", "col")

    def __init__(self, kind, text, start, end, line, col):
        self.kind, self.text, self.start, self.end, self.line, self.col = kind, text, start, end, line, col

    def __repr__(self):
        return f"{self.kind}:{self.text}@{self.line}:{self.col}"


def tokenize(src, path="<input>"):
    """C tokens with offsets; comments, string/char literals' insides and preprocessor lines never become
    mutable tokens (strings and chars are kept as opaque tokens so expressions stay intact)."""
    toks = []
    i, n, line, line_start = 0, len(src), 1, 0
    at_line_start = True
    while i < n:
        c = src[i]
        if c == "\n":
            i += 1
            line += 1
            line_start = i
            at_line_start = True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "\\" and src.startswith("\n", i + 1):
            i += 2
            line += 1
            line_start = i
            continue
        if src.startswith("//", i):
            while i < n and src[i] != "\n":
                i += 1
            continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            if j < 0:
                raise ToolError("MUT010", f"{path}:{line}: unterminated comment")
            line += src.count("\n", i, j)
            if src.count("\n", i, j):
                line_start = src.rfind("\n", i, j) + 1
            i = j + 2
            continue
        if c == "#" and at_line_start:
            # Preprocessor directive: skipped to its unescaped end of line (comments inside included).
            while i < n and src[i] != "\n":
                if src.startswith("/*", i):
                    j = src.find("*/", i + 2)
                    if j < 0:
                        raise ToolError("MUT010", f"{path}:{line}: unterminated comment")
                    line += src.count("\n", i, j)
                    i = j + 2
                    continue
                if src[i] == "\\" and src.startswith("\n", i + 1):
                    line += 1
                    i += 2
                    continue
                i += 1
            continue
        at_line_start = False
        col = i - line_start + 1
        if c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                if src[j] == "\\":
                    j += 1
                elif src[j] == "\n":
                    raise ToolError("MUT010", f"{path}:{line}: unterminated literal")
                j += 1
            if j >= n:
                raise ToolError("MUT010", f"{path}:{line}: unterminated literal")
            toks.append(Tok("string" if c == '"' else "char", src[i:j + 1], i, j + 1, line, col))
            i = j + 1
            continue
        if c.isdigit() or (c == "." and i + 1 < n and src[i + 1].isdigit()):
            j = i + 1
            while j < n:
                if src[j] in "eEpP" and j + 1 < n and src[j + 1] in "+-":
                    j += 2
                elif src[j].isalnum() or src[j] in "._":
                    j += 1
                else:
                    break
            text = src[i:j]
            toks.append(Tok("int" if parse_int(text) is not None else "number", text, i, j, line, col))
            i = j
            continue
        if c.isalpha() or c == "_":
            j = i + 1
            while j < n and (src[j].isalnum() or src[j] == "_"):
                j += 1
            text = src[i:j]
            toks.append(Tok("keyword" if text in KEYWORDS else "ident", text, i, j, line, col))
            i = j
            continue
        for p in PUNCTUATORS:
            if src.startswith(p, i):
                toks.append(Tok("punct", p, i, i + len(p), line, col))
                i += len(p)
                break
        else:
            raise ToolError("MUT010", f"{path}:{line}:{col}: unexpected character {c!r}")
    return toks


INT_RE = re.compile(r"^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$")


def parse_int(text):
    m = INT_RE.match(text)
    if not m:
        return None
    digits, suffix = m.groups()
    low = digits.lower()
    if low.startswith("0x"):
        return int(digits[2:], 16), "x", digits, suffix
    if low.startswith("0b"):
        return int(digits[2:], 2), "b", digits, suffix
    if len(digits) > 1 and digits[0] == "0":
        return int(digits, 8), "o", digits, suffix
    return int(digits), "d", digits, suffix


def format_int(value, base, digits, suffix):
    """value in the original's notation (hex case and zero padding kept); below zero as `(0 - 1)`."""
    if value < 0:
        return f"({digits}{suffix} - 1{suffix})"
    if base == "x":
        body = format(value, "x").zfill(len(digits) - 2)
        if any(ch.isupper() for ch in digits[2:]):
            body = body.upper()
        return digits[:2] + body + suffix
    if base == "b":
        return digits[:2] + format(value, "b").zfill(len(digits) - 2) + suffix
    if base == "o":
        return "0" + format(value, "o") + suffix
    return str(value) + suffix


# ---------------------------------------------------------------------------------------------------------
# Mutant generation


class Mutant:
    __slots__ = ("file", "line", "col", "operator", "original", "replacement", "start", "end", "text", "number")

    def __init__(self, file, tok, operator, original, replacement, start, end, text):
        self.file, self.line, self.col = file, tok.line, tok.col
        self.operator, self.original, self.replacement = operator, original, replacement
        self.start, self.end, self.text = start, end, text  # source span and the text that replaces it
        self.number = 0

    @property
    def where(self):
        return f"{self.file}:{self.line}:{self.col}"

    @property
    def change(self):
        if self.operator == "constant":
            return f"{self.original} -> {self.text} ({self.replacement})"
        return f"{self.original} -> {self.replacement}"

    def apply(self, src):
        removed = src[self.start:self.end]
        # Keep the line count, so the lines after the change keep their numbers (and __LINE__).
        return src[:self.start] + self.text + "\n" * removed.count("\n") + src[self.end:]


def match_close(toks, i):
    """Index of the bracket closing toks[i]."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    want, depth = pairs[toks[i].text], 0
    for j in range(i, len(toks)):
        t = toks[j].text if toks[j].kind == "punct" else None
        if t == toks[i].text:
            depth += 1
        elif t == want:
            depth -= 1
            if depth == 0:
                return j
    raise ToolError("MUT010", f"line {toks[i].line}: unbalanced {toks[i].text!r}")


def is_p(tok, *texts):
    return tok.kind == "punct" and tok.text in texts


class Generator:
    """Walks one file's tokens: statements of function bodies, conditions, operators, constants."""

    def __init__(self, rel, src):
        self.rel, self.src = rel, src
        self.toks = tokenize(src, rel)
        self.mutants = []
        self.seen = set()

    def add(self, first, last, operator, original, replacement, text):
        """Mutant replacing tokens first..last (inclusive) by text."""
        start, end = self.toks[first].start, self.toks[last].end
        key = (start, end, text)
        if key in self.seen or self.src[start:end] == text:
            return
        self.seen.add(key)
        self.mutants.append(Mutant(self.rel, self.toks[first], operator, original, replacement, start, end, text))

    def span_text(self, first, last, limit=60):
        s = " ".join(self.src[self.toks[first].start:self.toks[last].end].split())
        return s if len(s) <= limit else s[:limit - 3] + "..."

    def run(self):
        toks = self.toks
        for i, t in enumerate(toks):
            if t.kind == "punct" and t.text in RELATIONAL:
                for r in RELATIONAL[t.text]:
                    self.add(i, i, "relational", t.text, r, r)
            elif t.kind == "int":
                value, base, digits, suffix = parse_int(t.text)
                for delta, name in ((1, "+1"), (-1, "-1")):
                    self.add(i, i, "constant", t.text, name, format_int(value + delta, base, digits, suffix))
            elif is_p(t, "?"):
                self.condition(self.operand_start(i, self.TERNARY_STOP), i - 1)
            elif is_p(t, "&&", "||"):
                self.condition(self.operand_start(i, self.LEFT_STOP), i - 1)
                self.condition(i + 1, self.operand_end(i))
        self.functions()
        self.mutants.sort(key=lambda m: (m.start, OPERATORS.index(m.operator)))  # stable: +1 before -1
        return self.mutants

    # Operands of ?:, && and || reach to the nearest token of lower precedence at their own depth.
    LEFT_STOP = {"&&", "||", "(", "[", "{", ",", ";", "}", "?", ":"} | ASSIGN_OPS
    RIGHT_STOP = {"&&", "||", ")", "]", "}", ",", ";", "?", ":"} | ASSIGN_OPS
    TERNARY_STOP = LEFT_STOP - {"&&", "||"}  # only assignments and commas bind looser than ?:

    def operand_start(self, i, stops):
        depth, j = 0, i - 1
        while j >= 0:
            t = self.toks[j]
            if is_p(t, ")", "]"):
                depth += 1
            elif is_p(t, "(", "[") and depth > 0:
                depth -= 1
            elif depth == 0 and ((t.kind == "punct" and t.text in stops) or t.text in ("return", "case")):
                break
            j -= 1
        return j + 1

    def operand_end(self, i):
        depth, j = 0, i + 1
        while j < len(self.toks):
            t = self.toks[j]
            if is_p(t, "(", "["):
                depth += 1
            elif is_p(t, ")", "]") and depth > 0:
                depth -= 1
            elif depth == 0 and t.kind == "punct" and t.text in self.RIGHT_STOP:
                break
            j += 1
        return j - 1

    def condition(self, first, last):
        if first > last:
            return
        original = self.span_text(first, last)
        self.add(first, last, "condition", original, "true", "1")
        self.add(first, last, "condition", original, "false", "0")

    def functions(self):
        """Function bodies: a `{` at file level right after a `)`."""
        toks, depth, boundary = self.toks, 0, -1
        i = 0
        while i < len(toks):
            t = toks[i]
            if depth == 0 and is_p(t, ";", "}"):
                boundary = i
            if is_p(t, "{"):
                if depth == 0 and i > 0 and is_p(toks[i - 1], ")"):
                    head = [x.text for x in toks[boundary + 1:i]]
                    name_at = head.index("(") if "(" in head else 0
                    returns_void = "void" in head[:name_at] and "*" not in head[:name_at]
                    close = match_close(toks, i)
                    self.block(i, close, returns_void, function_body=True)
                    boundary = close
                    i = close + 1
                    continue
                depth += 1
            elif is_p(t, "}"):
                depth -= 1
            i += 1

    def block(self, open_, close, returns_void, function_body=False):
        i = open_ + 1
        last_start = None
        while i < close:
            last_start = i
            i = self.statement(i, returns_void, is_last=lambda j: function_body and j + 1 == close)

    def statement(self, i, returns_void, is_last):
        """Parses the statement at i, adds its mutants, returns the index after it."""
        toks = self.toks
        t = toks[i]
        if is_p(t, "{"):
            close = match_close(toks, i)
            self.block(i, close, returns_void)
            return close + 1
        if is_p(t, ";"):
            return i + 1
        if t.kind == "keyword":
            w = t.text
            if w in ("if", "while", "switch"):
                close = match_close(toks, i + 1)
                if w != "switch":
                    self.condition(i + 2, close - 1)
                j = self.statement(close + 1, returns_void, lambda j: False)
                if w == "if" and j < len(toks) and toks[j].text == "else":
                    j = self.statement(j + 1, returns_void, lambda j: False)
                return j
            if w == "do":
                j = self.statement(i + 1, returns_void, lambda j: False)  # j at `while`
                close = match_close(toks, j + 1)
                self.condition(j + 2, close - 1)
                return close + 2
            if w == "for":
                close = match_close(toks, i + 1)
                semis, depth = [], 0
                for k in range(i + 2, close):
                    if is_p(toks[k], "(", "[", "{"):
                        depth += 1
                    elif is_p(toks[k], ")", "]", "}"):
                        depth -= 1
                    elif depth == 0 and is_p(toks[k], ";"):
                        semis.append(k)
                if len(semis) == 2:
                    self.condition(semis[0] + 1, semis[1] - 1)
                return self.statement(close + 1, returns_void, lambda j: False)
            if w in ("case", "default"):
                j = i + 1
                while not is_p(toks[j], ":"):
                    j += 1
                return j + 1
        if t.kind == "ident" and i + 1 < len(toks) and is_p(toks[i + 1], ":"):
            return i + 2  # label
        end = self.statement_end(i)
        if t.text == "return":
            # A non-void function's final return cannot go: the function would not compile cleanly.
            if returns_void or not is_last(end):
                self.add(i, end, "delete", self.span_text(i, end), "delete", ";")
        elif t.text in ("break", "continue"):
            self.add(i, end, "delete", self.span_text(i, end), "delete", ";")
        elif t.kind != "keyword" and not self.is_declaration(i):
            self.add(i, end, "delete", self.span_text(i, end), "delete", ";")
        return end + 1

    def statement_end(self, i):
        depth = 0
        for j in range(i, len(self.toks)):
            t = self.toks[j]
            if is_p(t, "(", "[", "{"):
                depth += 1
            elif is_p(t, ")", "]", "}"):
                depth -= 1
            elif depth == 0 and is_p(t, ";"):
                return j
        raise ToolError("MUT010", f"{self.rel}:{self.toks[i].line}: statement without `;`")

    def is_declaration(self, i):
        t = self.toks
        if t[i].text in TYPE_WORDS:
            return True
        if t[i].kind == "ident" and t[i + 1].kind == "ident":
            return True  # `uint32_t n ...`
        return (t[i].kind == "ident" and is_p(t[i + 1], "*") and t[i + 2].kind == "ident" and
                is_p(t[i + 3], "=", ";", ",", "["))


def generate(root, files):
    out = []
    for rel in files:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            src = f.read()
        out.extend(Generator(rel, src).run())
    for k, m in enumerate(out, 1):
        m.number = k
    return out


# ---------------------------------------------------------------------------------------------------------
# Equivalent mutants: `file:line[:col] operator replacement reason`, one a line, `#` comments.


class Equivalent:
    def __init__(self, path, lineno, file, line, col, operator, replacement, original, reason):
        self.path, self.lineno, self.original = path, lineno, original
        self.commit, self.applies = None, True  # entries under `@commit REV` apply only to that commit's file
        self.file, self.line, self.col = file, line, col
        self.operator, self.replacement, self.reason = operator, replacement, reason
        self.used = 0

    def matches(self, m):
        return (self.applies and (m.file == self.file or m.file.endswith("/" + self.file)) and
                m.line == self.line and (self.col is None or m.col == self.col) and m.operator == self.operator and
                m.replacement == self.replacement and (self.original is None or self.original == m.original))


def load_equivalents(path):
    if not path or not os.path.exists(path):
        return []
    out, commit = [], None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            if text.startswith("@commit"):
                commit = text.split()[1] if len(text.split()) == 2 else None
                if commit is None:
                    raise ToolError("MUT004", f"{path}:{lineno}: expected `@commit REV`")
                continue
            parts = text.split(None, 3)
            where = parts[0].split(":") if parts else []
            if (len(parts) < 4 or len(where) not in (2, 3) or not all(x.isdigit() for x in where[1:]) or
                    parts[1] not in OPERATORS):
                raise ToolError("MUT004", f"{path}:{lineno}: expected `file:line[:col] operator replacement "
                            f"[\"original\"] reason`, "
                                f"operator one of {', '.join(OPERATORS)}: {text}")
            col = int(where[2]) if len(where) == 3 else None
            original, reason = None, parts[3]
            quoted = re.match(r'^"([^"]*)"\s+(\S.*)$', reason)
            if quoted:  # tells apart mutants that share a place (a condition and its first operand)
                original, reason = quoted.groups()
            out.append(Equivalent(path, lineno, where[0], int(where[1]), col, parts[1], parts[2], original, reason))
            out[-1].commit = commit
    return out


# ---------------------------------------------------------------------------------------------------------
# Running commands: streamed, stopped at the first failure line, killed on timeout (a hang is a kill).


# Signals a mutant cannot send itself: someone else ended the test (another user's pkill, a shutdown).
EXTERNAL_SIGNALS = {signal.SIGTERM, signal.SIGKILL, signal.SIGINT, signal.SIGHUP}


class Outcome:
    def __init__(self, ok, reason, seconds, tail, summary=None, external=False):
        self.ok, self.reason, self.seconds, self.tail, self.summary = ok, reason, seconds, tail, summary
        self.external = external


LIVE = set()  # test processes running now, killed at once when the run is interrupted
LIVE_LOCK = threading.Lock()


def kill_live():
    with LIVE_LOCK:
        for proc in LIVE:
            kill_group(proc)


def run_streaming(argv, cwd, timeout, expect_summary=None, shell=False):
    """Runs argv; ok only if it exits 0, prints no failure line, and ends with the expected summary
    (`N passed, 0 failed`, N as in the unmutated run). The process group is killed on the first failure line."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, shell=shell)
    with LIVE_LOCK:
        LIVE.add(proc)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    fd = proc.stdout.fileno()
    pending, tail, reason = b"", [], None
    deadline = start + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                reason = f"timeout after {timeout:.0f} s"
                break
            if not sel.select(left):
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                line = raw.decode("utf-8", "replace").rstrip()
                tail = (tail + [line])[-15:]
                if reason is None and FAIL_RE.match(line):
                    reason = line[:300]
            if reason:
                break
    except BaseException:
        kill_group(proc)  # interrupted (Ctrl-C): leave no test process behind
        raise
    finally:
        sel.close()
        if reason:
            kill_group(proc)
        try:
            rc = proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            reason = reason or f"timeout after {timeout:.0f} s"
            kill_group(proc)
            rc = proc.wait()
        proc.stdout.close()
        with LIVE_LOCK:
            LIVE.discard(proc)
    seconds = time.monotonic() - start
    if pending:
        tail = (tail + [pending.decode("utf-8", "replace").rstrip()])[-15:]
    if reason:
        return Outcome(False, reason, seconds, tail)
    summary = SUMMARY_RE.match(tail[-1]) if tail else None
    summary = (int(summary.group(1)), int(summary.group(2))) if summary else None
    if rc != 0:
        what = f"signal {-rc}" if rc < 0 else f"exit {rc}"
        return Outcome(False, what + (f", last line: {tail[-1][:200]}" if tail else ""), seconds, tail, summary,
                       external=rc < 0 and -rc in EXTERNAL_SIGNALS)
    if expect_summary is not None and summary != expect_summary:
        got = f"{summary[0]} passed, {summary[1]} failed" if summary else "no summary line"
        return Outcome(False, f"summary differs: {got}, expected {expect_summary[0]} passed, 0 failed", seconds,
                       tail, summary)
    return Outcome(True, "", seconds, tail, summary)


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def copy_tree(src, dst, parts):
    for part in parts:
        s = os.path.join(src, part)
        if os.path.isdir(s):
            shutil.copytree(s, os.path.join(dst, part), ignore=shutil.ignore_patterns("*.o", "__pycache__"),
                            dirs_exist_ok=True)
        elif os.path.exists(s):
            os.makedirs(os.path.dirname(os.path.join(dst, part)), exist_ok=True)
            shutil.copy2(s, os.path.join(dst, part))


class Step:
    """One oracle command: tier-1 steps are tried most-killing first; every kill counts for its step."""

    def __init__(self, name, argv, timeout, expect, shell=False):
        self.name, self.argv, self.timeout, self.expect, self.shell = name, argv, timeout, expect, shell
        self.kills = 0


# ---------------------------------------------------------------------------------------------------------
# Oracles. Both copy the snapshot per mutant, build it, and hand back tier-1 steps and the tier-2 step.


class RuntimeOracle:
    """The C runtime: built like build/test-runtime.sh (without sanitizers), tests/runtime's binary as oracle."""

    PARTS = ("src/runtime", "tests/runtime")
    CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-O2", "-Werror=return-type"]
    INCLUDES = ["-Isrc/runtime/include", "-Isrc/runtime/core", "-Itests/runtime"]
    MUTATE = "src/runtime/core/*.[ch]"

    def __init__(self, args, log):
        self.args, self.log = args, log
        self.snapshot = None
        self.objects = {}  # source (relative) -> object path relative to a tree

    def mutable_files(self, root):
        return sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, self.MUTATE)))

    def sources(self, tree):
        core = sorted(os.path.relpath(p, tree) for p in glob.glob(os.path.join(tree, "src/runtime/core/*.c")))
        extra = []
        # As build/test-runtime.sh: the test binary also links the signed-image code where the tree has it.
        for pattern in ("tests/runtime/*.c", "tests/runtime/fast/crc32_slice8.c", "src/runtime/ports/host/host.c",
                        "src/runtime/crypto/*.c", "src/runtime/image/*.c", "src/runtime/signing/*.c"):
            extra += sorted(os.path.relpath(p, tree) for p in glob.glob(os.path.join(tree, pattern)))
        return core + extra

    def libs(self, tree):
        """-lsodium when the tests sign their images with libsodium (build/test-runtime.sh's LIBS)."""
        for path in glob.glob(os.path.join(tree, "tests/runtime/*.c")):
            with open(path, encoding="utf-8", errors="replace") as f:
                if "sodium.h" in f.read():
                    return ["-lsodium"]
        return []

    def compile_argv(self, rel):
        obj = "obj/" + rel.replace("/", "__")[:-2] + ".o"
        extra = []
        # The sweep links the slice-by-8 CRC; the core's own is renamed and checked against it (test-runtime.sh).
        if rel == "src/runtime/core/crc32.c":
            extra = ["-Dmoonboot_crc32=moonboot_crc32_core"]
        return ["gcc", *self.CFLAGS, *self.INCLUDES, *extra, "-c", rel, "-o", obj], obj

    def build(self, tree, only=None):
        """Compiles the given sources (all when None) in tree; links with the snapshot's other objects.
        Returns (binary, {source: object}) or raises CompileError."""
        os.makedirs(os.path.join(tree, "obj"), exist_ok=True)
        objs = dict(self.objects)
        for rel in (self.sources(tree) if only is None else only):
            argv, obj = self.compile_argv(rel)
            r = subprocess.run(argv, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                raise CompileError(r.stdout)
            objs[rel] = os.path.join(tree, obj)
        binary = os.path.join(tree, "runtime-test")
        r = subprocess.run(["gcc", "-O2", *objs.values(), *self.libs(tree), "-o", binary], cwd=tree,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise CompileError(r.stdout)
        return binary, objs

    def prepare(self, snapshot):
        self.snapshot = snapshot
        self.log("baseline build (gcc -O2, no sanitizers)")
        try:
            binary, self.objects = self.build(self.snapshot)
        except CompileError as e:
            raise ToolError("MUT002", f"the unmutated runtime does not build:\n{e.output[-3000:]}")
        jobs = self.args.jobs
        unit = run_streaming([binary, "--unit"], self.snapshot, 120)
        if not unit.ok or unit.summary is None:
            raise ToolError("MUT003", f"unit checks fail on the unmutated tree: {unit.reason}\n" + "\n".join(unit.tail))
        if self.args.tier1_combos:
            chosen = [c.strip() for c in re.split(r"[; ]+", self.args.tier1_combos) if c.strip()]
            times = {}
            for c in chosen:
                out = run_streaming([binary, "--only", c, "--workers", "1"], self.snapshot, 600)
                if not out.ok or out.summary != (1, 0):
                    raise ToolError("MUT001", f"--tier1-combos: {c} is not a passing fast-sweep combo: "
                                    f"{out.reason or 'it runs nothing'}")
                times[c] = out.seconds
        else:
            self.log(f"finding and timing the fast sweep's combos on the unmutated tree ({jobs} workers)")
            times = self.calibrate(binary)
            chosen = select_tier1(times, self.args.tier1_budget)
        self.tier1 = [Step("unit", ["--unit"], max(10.0, 20 * unit.seconds), unit.summary)]
        self.tier1 += [Step(f"--only {c}", ["--only", c, "--workers", "1"], max(10.0, 20 * times[c]), (1, 0))
                       for c in chosen]
        self.tier2 = None
        if not self.args.quick:
            self.log("baseline: whole fast sweep (tier 2), 1 worker")
            full = run_streaming([binary, "--workers", "1"], self.snapshot, 3600)
            if not full.ok or full.summary is None:
                raise ToolError("MUT003", f"the fast sweep fails on the unmutated tree: {full.reason}")
            self.tier2 = Step("fast sweep", ["--workers", "1"], max(120.0, 3 * full.seconds), full.summary)
            self.log(f"  fast sweep: {full.summary[0]} passed in {full.seconds:.1f} s")
        return {"combos": len(times), "sweep_seconds": sum(times.values()), "tier1": " ".join(chosen),
                "tier1_seconds": unit.seconds + sum(times[c] for c in chosen)}

    def calibrate(self, binary):
        """Finds the fast sweep's combos G,I,S through `--only` alone (a combo that does not exist runs nothing and
        prints `0 passed, 0 failed`) and times each: images and scenarios are counted on geometry 0, geometries are
        walked until one has no combo. Every combo must pass on the unmutated tree."""
        times = {}

        def probe(c):
            out = run_streaming([binary, "--only", c, "--workers", "1"], self.snapshot, 600)
            if not out.ok or out.summary not in ((0, 0), (1, 0)):
                raise ToolError("MUT003", f"combo {c} fails on the unmutated tree: {out.reason}\n" + "\n".join(out.tail))
            if out.summary == (1, 0):
                times[c] = out.seconds
            return out.summary == (1, 0)

        def count(make):
            k = 0
            while k < 64 and probe(make(k)):
                k += 1
            return k

        images, scenarios = count(lambda k: f"0,{k},0"), count(lambda k: f"0,0,{k}")
        if images == 0 or scenarios == 0:
            raise ToolError("MUT003", "no sweep combo found with --only 0,0,0")
        pool = concurrent.futures.ThreadPoolExecutor(self.args.jobs)
        try:
            for g in range(256):
                combos = [f"{g},{i},{s}" for i in range(images) for s in range(scenarios)]
                found = list(pool.map(probe, [c for c in combos if c not in times]))
                if not any(found) and not any(c in times for c in combos):
                    break
        except BaseException:
            kill_live()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return times

    def mutant_tree(self, work, m):
        tree = tempfile.mkdtemp(prefix=f"m{m.number:05d}-", dir=work)
        copy_tree(self.snapshot, tree, self.PARTS)
        return tree

    def build_mutant(self, tree, m):
        if m.file.endswith(".h"):
            _, objs = self.build(tree)
            changed = [s for s, o in objs.items() if not same_file(o, self.objects[s])]
        else:
            _, objs = self.build(tree, [m.file])
            changed = [] if same_file(objs[m.file], self.objects[m.file]) else [m.file]
        return os.path.join(tree, "runtime-test"), changed

    def argv(self, binary, step):
        return [binary, *step.argv]


class CustomOracle:
    """Any project: shell commands for the build and the tiers (the self-test uses it on a tiny C file)."""

    def __init__(self, args, log):
        self.args, self.log = args, log
        if not args.build or not args.tier1:
            raise ToolError("MUT001", "--project custom needs --build and at least one --tier1 command")
        self.PARTS = tuple(args.copy) if args.copy else (".",)

    def mutable_files(self, root):
        out = []
        for pattern in self.args.mutate or ["*.c"]:
            out += [os.path.relpath(p, root) for p in glob.glob(os.path.join(root, pattern))]
        return sorted(set(out))

    def prepare(self, snapshot):
        self.snapshot = snapshot
        out = subprocess.run(self.args.build, cwd=self.snapshot, shell=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        if out.returncode != 0:
            raise ToolError("MUT002", f"the unmutated tree does not build: {out.stdout[-2000:]}")
        self.tier1, self.tier2 = [], None
        for k, cmd in enumerate(self.args.tier1):
            base = run_streaming(cmd, self.snapshot, self.args.timeout, shell=True)
            if not base.ok:
                raise ToolError("MUT003", f"tier-1 command fails on the unmutated tree: {cmd}: {base.reason}")
            self.tier1.append(Step(cmd, cmd, self.args.timeout, base.summary, shell=True))
        if self.args.tier2 and not self.args.quick:
            base = run_streaming(self.args.tier2, self.snapshot, self.args.timeout, shell=True)
            if not base.ok:
                raise ToolError("MUT003", f"tier-2 command fails on the unmutated tree: {base.reason}")
            self.tier2 = Step(self.args.tier2, self.args.tier2, self.args.timeout, base.summary, shell=True)
        return {"tier1": [s.name for s in self.tier1]}

    def mutant_tree(self, work, m):
        tree = tempfile.mkdtemp(prefix=f"m{m.number:05d}-", dir=work)
        copy_tree(self.snapshot, tree, self.PARTS)
        return tree

    def build_mutant(self, tree, m):
        out = subprocess.run(self.args.build, cwd=tree, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        if out.returncode != 0:
            raise CompileError(out.stdout)
        return None, [m.file]  # no object comparison for custom builds

    def argv(self, binary, step):
        return step.argv


class CompileError(Exception):
    def __init__(self, output):
        super().__init__("compile error")
        self.output = output


def same_file(a, b):
    try:
        with open(a, "rb") as fa, open(b, "rb") as fb:
            return fa.read() == fb.read()
    except OSError:
        return False


def select_tier1(times, budget):
    """A cheap, representative subset of combos G,I,S: every scenario with every image (the fastest geometry not
    yet used), then every geometry once (with one of the heavier half of the scenarios, the one used least so far:
    a geometry's arithmetic only matters when pages move), then more combos, scenarios taking turns, until the
    budget (sum of baseline seconds) is spent."""
    combos = {tuple(map(int, c.split(","))): t for c, t in times.items()}
    scenarios = sorted({c[2] for c in combos})
    weight = {s: statistics.median(t for c, t in combos.items() if c[2] == s) for s in scenarios}
    heavy = {s for s in scenarios if weight[s] >= statistics.median(weight.values())}
    pairs = sorted({(s, i) for (_, i, s) in combos})
    chosen, used_g, per_s = [], set(), {}

    def take(c):
        chosen.append(c)
        used_g.add(c[0])
        per_s[c[2]] = per_s.get(c[2], 0) + 1

    for s, i in pairs:
        cands = sorted((c for c in combos if c[1] == i and c[2] == s), key=lambda c: (c[0] in used_g, combos[c], c))
        take(cands[0])
    for g in sorted({c[0] for c in combos}):
        if g in used_g:
            continue
        cands = [c for c in combos if c[0] == g and c not in chosen]
        affordable = [c for c in cands if c[2] in heavy and combos[c] <= budget / 4]
        if affordable:
            take(min(affordable, key=lambda c: (per_s.get(c[2], 0), -weight[c[2]], combos[c], c)))
        elif cands:
            take(min(cands, key=lambda c: (combos[c], c)))
    spent = sum(combos[c] for c in chosen)
    progress = True
    while progress:
        progress = False
        for s in scenarios:
            cands = sorted((c for c in combos if c[2] == s and c not in chosen), key=lambda c: (combos[c], c))
            if cands and spent + combos[cands[0]] <= budget:
                take(cands[0])
                spent += combos[cands[0]]
                progress = True
    return [f"{g},{i},{s}" for g, i, s in chosen]


# ---------------------------------------------------------------------------------------------------------
# The run


class Runner:
    def __init__(self, args, oracle, mutants, equivalents, out_dir, root):
        self.args, self.oracle, self.mutants, self.equivalents = args, oracle, mutants, equivalents
        self.out_dir, self.root = out_dir, root
        self.lock = threading.Lock()
        self.results = {}
        self.done = 0
        self.sources = {}

    def source(self, rel):
        if rel not in self.sources:
            with open(os.path.join(self.oracle.snapshot, rel), encoding="utf-8") as f:
                self.sources[rel] = f.read()
        return self.sources[rel]

    def equivalent_of(self, m):
        for e in self.equivalents:
            if e.matches(m):
                return e
        return None

    def run_one(self, m, work):
        eq = self.equivalent_of(m)
        if eq is not None and not self.args.check_equivalent:
            return ("equivalent", f"declared: {eq.reason}", 0)
        start = time.monotonic()
        tree = self.oracle.mutant_tree(work, m)
        try:
            with open(os.path.join(tree, m.file), "w", encoding="utf-8") as f:
                f.write(m.apply(self.source(m.file)))
            try:
                binary, changed = self.oracle.build_mutant(tree, m)
            except CompileError as e:
                lines = [x for x in e.output.splitlines() if "error" in x] or e.output.splitlines()[-1:]
                return ("not_viable", "does not compile: " + (lines[0][:200] if lines else "?"), 0)
            if not changed:
                return ("equivalent", "identical object code (the compiler erased the change)", 0)
            with self.lock:
                steps = sorted(self.oracle.tier1, key=lambda s: -s.kills)
            for step in steps:
                out = self.run_step(binary, step, tree)
                if out.external:
                    return ("not_run", f"tier 1, {step.name}: {out.reason}: ended from outside 3 times", 0)
                if not out.ok:
                    with self.lock:
                        step.kills += 1
                    return self.verdict_killed(eq, f"tier 1, {step.name}: {out.reason}")
            if self.oracle.tier2 is not None:
                step = self.oracle.tier2
                out = self.run_step(binary, step, tree)
                if out.external:
                    return ("not_run", f"tier 2, {step.name}: {out.reason}: ended from outside 3 times", 0)
                if not out.ok:
                    return self.verdict_killed(eq, f"tier 2, {step.name}: {out.reason}")
            if eq is not None:
                return ("equivalent", f"declared (and survives): {eq.reason}", time.monotonic() - start)
            tier = "tier 1 (--quick)" if self.oracle.tier2 is None else "tiers 1 and 2"
            return ("survived", f"passes {tier}", time.monotonic() - start)
        finally:
            if not self.args.keep:
                shutil.rmtree(tree, ignore_errors=True)

    def run_step(self, binary, step, tree):
        """A test ended by a signal no mutant sends (SIGTERM from someone's pkill) is no verdict: run it again."""
        for _ in range(3):
            out = run_streaming(self.oracle.argv(binary, step), tree, step.timeout, step.expect, step.shell)
            if not out.external or self.interrupted:
                break
        return out

    def verdict_killed(self, eq, detail):
        if eq is not None:
            return ("killed", detail + f"  [declared equivalent in {eq.path}:{eq.lineno}: stale entry]")
        return ("killed", detail)

    def execute(self):
        work = self.oracle.snapshot_parent
        total = len(self.mutants)
        t0 = time.monotonic()

        self.interrupted = False

        def task(m):
            if self.interrupted:
                return
            if self.args.budget and time.monotonic() - t0 > self.args.budget:
                verdict, detail = "not_run", f"--budget {self.args.budget:.0f} s spent before it started"
            else:
                verdict, detail = self.run_one(m, work)[:2]
            with self.lock:
                self.results[m.number] = (verdict, detail)
                self.done += 1
                n = self.done
            if verdict in ("survived", "not_viable") or n % 50 == 0 or n == total:
                el = time.monotonic() - t0
                print(f"[{n}/{total} {el:.0f}s] {verdict:10} {m.where} {m.operator} {m.change}"
                      + (f"  ({detail[:120]})" if verdict != "killed" else ""), flush=True)

        pool = concurrent.futures.ThreadPoolExecutor(self.args.jobs)
        try:
            # Files take turns, so a run cut short by --budget has sampled every file.
            by_file = {}
            for m in self.mutants:
                by_file.setdefault(m.file, []).append(m)
            order = [m for k in range(max(map(len, by_file.values()))) for ms in by_file.values() if k < len(ms)
                     for m in ms[k:k + 1]]
            for f in [pool.submit(task, m) for m in order]:
                f.result()
        except BaseException:
            self.interrupted = True  # Ctrl-C or kill: no new mutant starts, running tests are killed
            kill_live()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def write_reports(out_dir, runner, mutants, info, elapsed):
    os.makedirs(out_dir, exist_ok=True)
    counts = {k: 0 for k in ("killed", "survived", "equivalent", "not_viable", "not_run")}
    with open(os.path.join(out_dir, "mutants.log"), "w", encoding="utf-8") as log, \
            open(os.path.join(out_dir, "survivors.txt"), "w", encoding="utf-8") as surv:
        log.write("# tab-separated: number, file:line:col, operator, original -> replacement, verdict, detail\n")
        surv.write("# Survivors: each with its source line and the mutated line. Kill it with a new test case, or\n"
                   "# declare it in tests/mutants/equivalent.txt with the line given (reason required).\n")
        for m in mutants:
            verdict, detail = runner.results[m.number]
            counts[verdict] += 1
            log.write(f"{m.number}\t{m.where}\t{m.operator}\t{m.change}\t{verdict}\t{detail}\n")
            if verdict == "survived":
                src = runner.source(m.file)
                before = src.splitlines()[m.line - 1].strip()
                after = m.apply(src).splitlines()[m.line - 1].strip()
                quoted = f' "{m.original}"' if m.operator == "condition" else ""
                surv.write(f"\n{m.where}  {m.operator}  {m.change}\n  - {before}\n  + {after}\n"
                           f"  equivalent.txt: {m.file}:{m.line}:{m.col} {m.operator} {m.replacement}{quoted} <reason>\n")
    scored = counts["killed"] + counts["survived"]
    score = 100.0 * counts["killed"] / scored if scored else 100.0
    lines = [f"mutants.total: {len(mutants)}"] + [f"mutants.{k}: {v}" for k, v in counts.items()
                                                  if k != "not_run" or v]
    lines.append(f"mutants.score: {score:.1f}%")
    with open(os.path.join(out_dir, "summary.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        f.write(f"# seconds: {elapsed:.0f}\n# tree: {info.get('tree', '?')}\n# tier 1: {info.get('tier1')}\n")
        for s in runner.oracle.tier1:
            f.write(f"# tier-1 step {s.name}: {s.kills} kills\n")
    return counts, lines


def survivors_of(path):
    """(where, operator, change) of each survivor in a mutants.log (its lines are tab-separated)."""
    try:
        with open(path, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    except OSError as e:
        raise ToolError("MUT001", f"--rerun {path}: {e.strerror}")
    if any(len(r) < 5 for r in rows):
        raise ToolError("MUT001", f"--rerun {path}: not a mutants.log")
    return {(r[1], r[2], r[3]) for r in rows if r[4] == "survived"}


def pin_equivalents(root, snapshot, equivalents):
    """An entry under `@commit REV` holds only while its file is byte for byte REV's: line numbers of another
    version would name other mutants."""
    same = {}
    for e in equivalents:
        if e.commit is None:
            continue
        key = (e.commit, e.file)
        if key not in same:
            shown = subprocess.run(["git", "-C", root, "show", f"{e.commit}:./{e.file}"], capture_output=True)
            try:
                with open(os.path.join(snapshot, e.file), "rb") as f:
                    same[key] = shown.returncode == 0 and f.read() == shown.stdout
            except OSError:
                same[key] = False
        e.applies = same[key]


def resolve_rev(root, rev):
    r = subprocess.run(["git", "-C", root, "rev-parse", "--verify", "--quiet", rev + "^{commit}"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise ToolError("MUT001", f"--rev {rev}: not a commit")
    return r.stdout.strip()


def take_snapshot(root, dst, parts, rev):
    """Copies parts of the working tree, or of commit rev (git archive), to dst."""
    os.makedirs(dst)
    if not rev:
        copy_tree(root, dst, parts)
        return dst
    archive = subprocess.run(["git", "-C", root, "archive", "--format=tar", rev, "--", *parts],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if archive.returncode != 0:
        raise ToolError("MUT001", f"--rev {rev}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", dst], input=archive.stdout, check=True)
    return dst


def describe_tree(root, files, rev=None):
    """The commit the mutants came from, and whether the mutated files differed from it (a working tree)."""
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short", rev or "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        if rev:
            return head
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", *files], capture_output=True,
                               text=True, check=True).stdout.split("\n")
        dirty = [x[3:] for x in dirty if x.strip()]
        return head + (f" + uncommitted changes in {', '.join(dirty)}" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"


def parse_lines(text):
    m = re.match(r"^(\d+)(?:-(\d+))?$", text or "")
    if not m:
        raise ToolError("MUT005", f"--lines wants A-B or A (line numbers), got {text!r}")
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if a > b:
        raise ToolError("MUT005", f"--lines {text}: start after end")
    return a, b


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    default_root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description="Mutation testing of src/runtime/core (docs/mutation-testing.md).")
    ap.add_argument("--root", default=default_root, help="repository (default: this checkout)")
    ap.add_argument("--rev", help="mutate this commit (git archive) instead of the working tree")
    ap.add_argument("--file", help="only this file (path or name, e.g. journal.c)")
    ap.add_argument("--lines", help="only mutants starting on lines A-B (with --file)")
    ap.add_argument("--operator", action="append", choices=OPERATORS, help="only these operators")
    ap.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    ap.add_argument("--rerun", metavar="LOG", help="only the mutants that survived in this earlier mutants.log")
    ap.add_argument("--quick", action="store_true", help="tier 1 only")
    ap.add_argument("--jobs", type=int, default=2, help="mutants run in parallel (default 2)")
    ap.add_argument("--out", help="report folder (default: artifacts/mutants under --root)")
    ap.add_argument("--equivalent", help="declared equivalent mutants (default tests/mutants/equivalent.txt)")
    ap.add_argument("--check-equivalent", action="store_true", help="run declared equivalents too (finds stale ones)")
    ap.add_argument("--tier1-budget", type=float, default=0.4, help="seconds of sweep combos in tier 1 (default 0.4)")
    ap.add_argument("--tier1-combos", help="tier-1 combos instead of the automatic choice: 'G,I,S;G,I,S'")
    ap.add_argument("--budget", type=float, help="seconds; no mutant starts after them (the rest: not_run)")
    ap.add_argument("--keep", action="store_true", help="keep each mutant's tree (debugging)")
    ap.add_argument("--project", choices=("runtime", "custom"), default="runtime")
    ap.add_argument("--mutate", action="append", help="custom: files to mutate (glob, relative to --root)")
    ap.add_argument("--copy", action="append", help="custom: paths copied per mutant (default: all of --root)")
    ap.add_argument("--build", help="custom: shell command building a mutant tree")
    ap.add_argument("--tier1", action="append", help="custom: tier-1 shell command (repeatable)")
    ap.add_argument("--tier2", help="custom: tier-2 shell command")
    ap.add_argument("--timeout", type=float, default=10.0, help="custom: per-command timeout, seconds")
    args = ap.parse_args(argv)

    def stop(signum, frame):
        raise KeyboardInterrupt  # so temp trees are removed and test processes killed (kill <pid> works)

    signal.signal(signal.SIGTERM, stop)
    try:
        return run(args, default_root, here)
    except ToolError as e:
        print(f"mutate: error {e.code}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mutate: interrupted", file=sys.stderr)
        return 130


def run(args, default_root, here):
    root = os.path.abspath(args.root)
    if not os.path.isdir(root):
        raise ToolError("MUT001", f"--root {root}: no such folder")
    if args.jobs < 1:
        raise ToolError("MUT001", "--jobs must be at least 1")
    log = lambda msg: print(f"==> {msg}", file=sys.stderr, flush=True)  # noqa: E731
    oracle = (RuntimeOracle if args.project == "runtime" else CustomOracle)(args, log)
    if args.lines and not args.file:
        raise ToolError("MUT005", "--lines needs --file")
    lines_range = parse_lines(args.lines) if args.lines else None
    if args.equivalent is not None:
        equivalents = load_equivalents(args.equivalent)
    elif args.project == "runtime":
        # equivalent.txt, then one file per core file in equivalent.d/ (so reviews of different files never collide)
        equivalents = load_equivalents(os.path.join(here, "equivalent.txt"))
        for extra in sorted(glob.glob(os.path.join(here, "equivalent.d", "*.txt"))):
            equivalents += load_equivalents(extra)
    else:
        equivalents = []
    wanted = survivors_of(args.rerun) if args.rerun else None
    out_dir = os.path.abspath(args.out or os.path.join(root, "artifacts", "mutants"))
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="moonboot-mutants-") as work:
        # One snapshot (the working tree, or --rev) is both what the mutants are made from and what they run in,
        # so edits made in the checkout during a run change nothing.
        if args.rev:  # a branch or HEAD may move during the run; the report names what was mutated
            args.rev = resolve_rev(root, args.rev)
        snapshot = take_snapshot(root, os.path.join(work, "snapshot"), oracle.PARTS, args.rev)
        files = oracle.mutable_files(snapshot)
        if args.file:
            picked = [f for f in files if f == args.file or os.path.basename(f) == args.file or
                      f.endswith("/" + args.file)]
            if not picked:
                raise ToolError("MUT001", f"--file {args.file}: not one of {', '.join(files) or 'no files'}")
            files = picked
        mutants = generate(snapshot, files)
        everything = mutants if len(files) == len(oracle.mutable_files(snapshot)) else None
        if lines_range:
            mutants = [m for m in mutants if lines_range[0] <= m.line <= lines_range[1]]
        if args.operator:
            mutants = [m for m in mutants if m.operator in args.operator]
        if wanted is not None:
            mutants = [m for m in mutants if (m.where, m.operator, m.change) in wanted]
        pin_equivalents(root, snapshot, equivalents)
        # Entries are checked against every mutant of the tree, so a restricted run judges them the same way.
        everything = everything or generate(snapshot, oracle.mutable_files(snapshot))
        for e in equivalents:
            hits = [m for m in everything if e.matches(m)]
            e.used = len(hits)
            if len(hits) > 1 and e.col is not None:
                raise ToolError("MUT004", f"{e.path}:{e.lineno}: matches {len(hits)} mutants "
                                f"({'; '.join(m.original for m in hits)}): add the original text in quotes")
        if args.list:
            for m in mutants:
                print(f"{m.number:5d}  {m.where}  {m.operator}  {m.change}")
            for op in OPERATORS:
                print(f"operator.{op}: {sum(1 for m in mutants if m.operator == op)}")
            print(f"mutants.total: {len(mutants)}")
            print(f"equivalent entries matching: {sum(1 for e in equivalents if e.used)} of {len(equivalents)}")
            return 0
        if not mutants:
            raise ToolError("MUT006", "no mutants in the selected files and lines")
        oracle.snapshot_parent = work
        info = oracle.prepare(snapshot)
        info["tree"] = describe_tree(root, files, args.rev)
        if "tier1_seconds" in info:
            log(f"tier 1: unit checks + {len(info['tier1'].split())} of {info['combos']} combos timed "
                f"({info['tier1_seconds']:.2f} s of {info['sweep_seconds']:.1f} s): --tier1-combos '{info['tier1']}'")
        log(f"{len(mutants)} mutants, {args.jobs} workers, {'tier 1 only' if args.quick else 'tiers 1 and 2'}")
        runner = Runner(args, oracle, mutants, equivalents, out_dir, root)
        runner.execute()
        counts, lines = write_reports(out_dir, runner, mutants, info, time.monotonic() - start)
    for e in equivalents:
        if e.used == 0:
            why = f"{e.file} is not {e.commit}'s any more" if not e.applies else "matches no mutant (stale line?)"
            print(f"warning: {e.path}:{e.lineno}: declared equivalent {why}", file=sys.stderr)
    print(f"report: {os.path.relpath(out_dir, os.getcwd())}/mutants.log, survivors.txt, summary.txt")
    print("\n".join(lines))
    passed, failed = counts["killed"] + counts["equivalent"], counts["survived"]
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
