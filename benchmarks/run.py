"""Time clean and incremental builds of synthetic corpora; compare with Hugo and Pelican.

    python benchmarks/run.py [--sizes 100,1000,5000] [--runs 3]
                             [--tools sahel,hugo,pelican,pagefind] [--keep DIR]

For each size it writes a corpus with make_corpus.py, builds it with every tool
that is installed, and prints Markdown tables: median wall time of clean builds,
peak resident memory, HTML files written, and time ratios of sahel-site to the
others. Nothing here asserts anything about the numbers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from make_corpus import copy_site_config, make_corpus

GNU_TIME = Path("/usr/bin/time")
CACHE_DIRS = (".sahel-cache",)  # removed before every clean sahel-site build
TOOLS = ("sahel", "hugo", "pelican", "pagefind")
STDERR_LINES = 30


@dataclass(frozen=True, slots=True)
class Run:
    """One timed command: wall seconds, peak RSS of its process tree in KiB."""

    seconds: float
    rss_kib: int
    ok: bool
    stderr: str


@dataclass(frozen=True, slots=True)
class Result:
    """The median of several runs of one tool on one corpus size."""

    tool: str
    size: int
    seconds: float
    rss_kib: int
    html_files: int


@dataclass(frozen=True, slots=True)
class Tool:
    """A build to measure: commands run in order in `cwd`, writing into `out`."""

    name: str
    commands: tuple[tuple[str, ...], ...]
    cwd: Path
    out: Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="clean builds per tool and size")
    parser.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help="comma-separated subset of "
        + ",".join(TOOLS)
        + " (pagefind means hugo followed by pagefind)",
    )
    parser.add_argument("--keep", type=Path, help="keep corpora in DIR/<size>/ and reuse them")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.tools = [t for t in args.tools.split(",") if t]
    unknown = set(args.tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    return args


def run_timed(command: tuple[str, ...], cwd: Path) -> Run:
    """Run `command`, measuring wall time and the peak RSS of its process tree."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        if GNU_TIME.exists():
            command = (str(GNU_TIME), "-v", "-o", report.name, *command)
        else:
            command = (sys.executable, "-c", RUSAGE_WRAPPER, report.name, *command)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        rss = parse_rss(Path(report.name).read_text())
    return Run(seconds, rss, done.returncode == 0, done.stderr)


# Without GNU time: a child Python runs the command and reports its children's peak RSS.
RUSAGE_WRAPPER = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(f"Maximum resident set size (kbytes): {peak}\\n")
sys.exit(code)
"""


def parse_rss(report: str) -> int:
    for line in report.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return 0


def clean_build(tool: Tool) -> Run:
    """Remove the output (and any build cache), then run the tool's commands."""
    shutil.rmtree(tool.out, ignore_errors=True)
    for name in CACHE_DIRS:
        shutil.rmtree(tool.cwd / name, ignore_errors=True)
    runs = []
    for command in tool.commands:
        runs.append(run_timed(command, tool.cwd))
        if not runs[-1].ok:
            break
    return Run(
        sum(r.seconds for r in runs),
        max(r.rss_kib for r in runs),
        all(r.ok for r in runs),
        "".join(r.stderr for r in runs),
    )


def report_failure(name: str, run: Run) -> None:
    tail = "\n".join(run.stderr.strip().splitlines()[-STDERR_LINES:])
    print(f"{name} failed:\n{tail}", file=sys.stderr)


def summarize(name: str, size: int, runs: list[Run], out: Path) -> Result:
    """Median time and largest peak RSS of `runs`, HTML files found in `out`."""
    html = sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0
    return Result(
        name, size, statistics.median(r.seconds for r in runs), max(r.rss_kib for r in runs), html
    )


def measure_clean(tool: Tool, size: int, runs: int) -> Result | None:
    """Median of `runs` clean builds, or None (stderr printed) if one fails."""
    done = []
    for _ in range(runs):
        run = clean_build(tool)
        if not run.ok:
            report_failure(tool.name, run)
            return None
        done.append(run)
    result = summarize(tool.name, size, done, tool.out)
    if result.html_files < size:  # a tool that skipped the articles is no comparison (Pelican without markdown)
        report_failure(tool.name, Run(0, 0, False, done[-1].stderr + f"\nwrote {result.html_files} HTML files for {size}"
                                      " articles: did it read them? (Pelican needs: pip install markdown)"))
        return None
    return result


def measure_incremental(tool: Tool, corpus: Path, size: int, runs: int) -> Result | None:
    """Median rebuild time after editing one article's body; the article is restored.

    The output and build cache of the last clean build are left in place, so a
    generator that rebuilds incrementally can use them.
    """
    article = min((corpus / "content" / "articles").glob("*.md"))
    original = article.read_bytes()
    done = []
    try:
        for n in range(runs):
            article.write_bytes(original + f"\nEdited paragraph number {n} about Mali.\n".encode())
            run = run_timed(tool.commands[0], tool.cwd)
            if not run.ok:
                report_failure(tool.name, run)
                return None
            done.append(run)
    finally:
        article.write_bytes(original)
    return summarize(f"{tool.name} (edit one article)", size, done, tool.out)


def available(name: str) -> bool:
    """Whether the command behind `name` is installed here."""
    if name == "pagefind":
        return (
            available("hugo")
            and subprocess.run(
                (sys.executable, "-m", "pagefind", "--version"), capture_output=True, check=False
            ).returncode
            == 0
        )
    return shutil.which({"sahel": "sahel-site"}.get(name, name)) is not None


def version(name: str) -> str:
    """The first word with a digit in the tool's version output, e.g. `v0.111.3+extended`."""
    command = {
        "sahel": ("sahel-site", "--version"),
        "hugo": ("hugo", "version"),
        "pelican": ("pelican", "--version"),
        "pagefind": (sys.executable, "-m", "pagefind", "--version"),
    }[name]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    words = [w for w in done.stdout.split() if any(c.isdigit() for c in w)]
    return words[0] if done.returncode == 0 and words else "unknown"


def hugo_command(corpus: Path, out: Path) -> tuple[str, ...]:
    return ("hugo", "--source", str(corpus / "hugo"), "--destination", str(out), "--quiet")


def tools_for(corpus: Path, out: Path, names: list[str]) -> list[Tool]:
    """The builds to time on one corpus, in table order."""
    pagefind_out = out / "hugo+pagefind"
    builds = {
        "sahel": [
            Tool(
                "sahel",
                (("sahel-site", "build", "--out", str(out / "sahel")),),
                corpus,
                out / "sahel",
            ),
            Tool(
                "sahel --no-search",
                (("sahel-site", "build", "--out", str(out / "sahel-ns"), "--no-search"),),
                corpus,
                out / "sahel-ns",
            ),
        ],
        "hugo": [Tool("hugo", (hugo_command(corpus, out / "hugo"),), corpus, out / "hugo")],
        "pagefind": [
            Tool(
                "hugo+pagefind",
                (
                    hugo_command(corpus, pagefind_out),
                    (sys.executable, "-m", "pagefind", "--site", str(pagefind_out)),
                ),
                corpus,
                pagefind_out,
            )
        ],
        "pelican": [
            Tool(
                "pelican",
                (
                    (
                        "pelican",
                        str(corpus / "pelican" / "content"),
                        "-s",
                        str(corpus / "pelican" / "pelicanconf.py"),
                        "-o",
                        str(out / "pelican"),
                        "-q",
                    ),
                ),
                corpus / "pelican",
                out / "pelican",
            )
        ],
    }
    return [tool for name in TOOLS if name in names for tool in builds[name]]


def measure_size(size: int, root: Path, names: list[str], runs: int) -> list[Result]:
    """Write (or reuse) the corpus of `size` articles under `root` and time every tool.

    A reused corpus keeps its articles but takes the repository's current site
    settings and knowledge base.
    """
    corpus = root / str(size)
    if (corpus / "content" / "articles").is_dir():
        copy_site_config(corpus)
    else:
        make_corpus(size, corpus)
    results = []
    with tempfile.TemporaryDirectory(prefix="sahel-bench-out-") as out:
        for tool in tools_for(corpus, Path(out), names):
            print(f"size {size}: {tool.name} …", file=sys.stderr)
            results.append(measure_clean(tool, size, runs))
            if tool.name == "sahel" and results[-1] is not None:
                results.append(measure_incremental(tool, corpus, size, runs))
    return [r for r in results if r is not None]


def ratio(results: dict[str, Result], mine: str, theirs: str) -> str:
    if mine not in results or theirs not in results:
        return "–"
    return f"{results[mine].seconds / results[theirs].seconds:.2f}×"


def format_tables(results: list[Result], versions: dict[str, str], runs: int) -> str:
    """A results table and a ratios table, in Markdown."""
    lines = [
        f"Clean builds: median of {runs} run(s); peak RSS is the largest of them.",
        "",
        "| articles | tool | version | wall time (s) | peak RSS (MiB) | HTML files |",
        "| ---: | --- | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        tool_versions = " + ".join(
            versions.get(part.split()[0], "unknown") for part in r.tool.split("+")
        )
        lines.append(
            f"| {r.size} | {r.tool} | {tool_versions} | {r.seconds:.2f} | "
            f"{r.rss_kib / 1024:.0f} | {r.html_files} |"
        )
    lines += [
        "",
        (
            "| articles | sahel --no-search / hugo | sahel / hugo+pagefind "
            "| sahel --no-search / pelican |"
        ),
        "| ---: | ---: | ---: | ---: |",
    ]
    for size in sorted({r.size for r in results}):
        by_tool = {r.tool: r for r in results if r.size == size}
        lines.append(
            f"| {size} | {ratio(by_tool, 'sahel --no-search', 'hugo')} | "
            f"{ratio(by_tool, 'sahel', 'hugo+pagefind')} | "
            f"{ratio(by_tool, 'sahel --no-search', 'pelican')} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    names = [name for name in args.tools if available(name)]
    for name in sorted(set(args.tools) - set(names)):
        print(f"{name} is not installed; skipped", file=sys.stderr)
    versions = {name: version(name) for name in TOOLS if available(name)}
    results = []
    with tempfile.TemporaryDirectory(prefix="sahel-bench-corpus-") as scratch:
        root = args.keep or Path(scratch)
        for size in args.sizes:
            results += measure_size(size, root, names, args.runs)
    print(format_tables(results, versions, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
