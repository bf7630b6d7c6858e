"""Command line: the only place that prints and exits.

Heavy modules (jinja2, markdown-it, watchfiles) are imported inside the commands, and so are
the problems (dataclasses loads inspect and ast), json and traceback: ``sahel-site --help``
loads only argparse and what the interpreter loads anyway, so it answers at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sahel_site import __version__

if TYPE_CHECKING:
    from sahel_site.problems import Problem
    from sahel_site.serve import Outcome

PROGRESS_FROM = 200  # articles; smaller builds finish before a bar would be read
EXAMPLES = {
    "build": "examples:\n  sahel-site build\n  sahel-site build --base-url /my-repo/ --out public",
    "serve": "examples:\n  sahel-site serve\n  sahel-site serve --port 8080 --no-drafts",
    "new": 'example:\n  sahel-site new "Mali and Niger reopen their border"',
    "check": "examples:\n  sahel-site check\n  sahel-site check --strict    # warnings fail too, e.g. in CI",
    "init": "example:\n  sahel-site init my-newsroom && cd my-newsroom && sahel-site serve",
    "extract": "examples:\n  sahel-site extract\n  sahel-site extract draft.md --format text",
}
FAILED = {"build": "Build failed", "serve": "Serve failed", "new": "Nothing created", "check": "Check failed",
          "init": "Nothing created", "extract": "Extraction failed"}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sahel-site",
        description="Build a linked news-analysis website from Markdown articles about the Sahel and West Africa.",
        epilog="a typical session:\n  sahel-site init mysite && cd mysite\n  sahel-site new \"Title\"\n"
               "  sahel-site serve\n  sahel-site check\n  sahel-site build",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"sahel-site {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str, site: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        if site:
            sub.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                             help="the site folder holding content/ (default: the current folder)")
        sub.add_argument("-q", "--quiet", action="store_true", help="only errors and the summary line")
        sub.add_argument("-v", "--verbose", action="store_true", help="say more about each step")
        sub.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
        return sub

    build = command("build", "build the site into a folder")
    build.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: SITE/_site)")
    build.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    build.add_argument("--base-url", metavar="URL", help="where the site is served, e.g. /repo/ (overrides site.yml)")
    build.add_argument("--jobs", type=int, metavar="N",
                       help="worker processes (default: every core, when the site is big enough to gain)")
    build.add_argument("--no-search", action="store_true", help="leave out the full-text search index (faster)")

    serve = command("serve", "build, serve on 127.0.0.1, rebuild on every change and reload the browser")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free one)")
    serve.add_argument("--base-url", metavar="URL", help="serve under this path instead of site.yml's base_url")
    serve.add_argument("--no-drafts", dest="drafts", action="store_false",
                       help="leave out articles marked draft: true, as build does")

    new = command("new", "create an article with complete front-matter and print its path")
    new.add_argument("title", help="the article's title; the file name is made from it and the date")
    new.add_argument("--date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="default: today")

    check = command("check", "validate settings, articles, knowledge base, templates and the last build's links")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    init = command("init", "create a new site that builds at once", site=False)
    init.add_argument("dir", type=Path, metavar="DIR", help="a new or empty folder")
    init.add_argument("--title", help="the site's title (default: from the folder name)")

    extract = command("extract", "print the actors, states and themes found in articles")
    extract.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                         help="article files, or folders of .md, .markdown and .txt files (default: every article in content/)")
    extract.add_argument("--format", choices=("json", "text"), default="json",
                         help="json for programs (the default), text for people")
    extract.add_argument("--json", dest="format", action="store_const", const="json", help="same as --format json")
    return top


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    args = parser().parse_args(argv)  # --help and --version end here
    from sahel_site.problems import BuildFailed

    term = Terminal(stdout or sys.stdout, stderr or sys.stderr, getattr(args, "site", Path(".")),
                    -1 if args.quiet else 1 if args.verbose else 0)
    try:
        return COMMANDS[args.command](args, term)
    except BuildFailed as failure:
        term.report(failure.problems)
        term.summary(f"{FAILED[args.command]}: {counts(failure.problems)}.", failed=True)
        return 1
    except Exception as error:  # noqa: BLE001 - the user gets one line, not a traceback
        if args.debug:
            import traceback

            traceback.print_exc(file=term.err)
        else:
            term.summary(f"sahel-site: unexpected error: {error} (run with --debug for details)", failed=True)
        return 1


class Terminal:
    """Where and how messages go: colour on a terminal, GitHub annotations in Actions."""

    def __init__(self, out: TextIO, err: TextIO, site: Path, verbosity: int) -> None:
        self.out, self.err, self.site, self.verbosity = out, err, site, verbosity
        self.colour = wants_colour(err)
        self.annotate = os.environ.get("GITHUB_ACTIONS") == "true"
        self.bar = err.isatty() and verbosity >= 0
        self.bar_shown = False
        self.stage_started = time.perf_counter()

    def report(self, problems: Sequence[Problem]) -> None:
        """Errors, then warnings (not with -q), each sorted by place."""
        shown = [p for p in problems if not p.warning] + [p for p in problems if p.warning and self.verbosity >= 0]
        for problem in sorted(shown, key=lambda p: (p.warning, p)):
            print(self.paint(problem), file=self.err)
            if self.annotate:
                print(annotation(problem, self.site), file=self.err)
        self.err.flush()

    def paint(self, problem: Problem) -> str:
        text = str(problem)
        if not self.colour:
            return text
        where, _, message = text.partition(" ")
        colour = "33" if problem.warning else "31"
        message = re.sub(r"^warning:", "\x1b[33mwarning:\x1b[0m", message)
        message = re.sub(r"\((did you mean [^)]*)\)$", "(\x1b[32m\\1\x1b[0m)", message)
        return f"\x1b[1;{colour}m{where}\x1b[0m {message}"

    def summary(self, line: str, failed: bool = False) -> None:
        """The last line of every run, whatever -q says."""
        self.clear_bar()
        if failed and self.colour:
            line = f"\x1b[1;31m{line}\x1b[0m"
        print(line, file=self.err if failed else self.out, flush=True)

    def say(self, line: str, verbose: bool = False) -> None:
        if self.verbosity >= (1 if verbose else 0):
            print(line, file=self.out, flush=True)

    def progress(self, stage: str, done: int, total: int) -> None:
        """A bar on a terminal for a long build; with -v, a line as each stage ends."""
        if stage == "extract":  # the first stage: its total is the number of articles
            self.bar_shown = self.bar and total > PROGRESS_FROM
        if self.bar_shown:
            filled = 30 * done // max(total, 1)
            self.err.write(f"\r{stage:<8} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}\x1b[K")
            self.err.flush()
        if done == total and self.verbosity > 0:
            self.clear_bar()
            now = time.perf_counter()
            self.say(f"{stage}: {total} {'articles' if stage == 'extract' else 'pages'}"
                     f" in {now - self.stage_started:.2f} s", verbose=True)
            self.stage_started = now

    def clear_bar(self) -> None:
        if self.bar_shown:
            self.err.write("\r\x1b[K")
            self.err.flush()


def wants_colour(stream: TextIO) -> bool:
    """FORCE_COLOR forces it; otherwise only on a terminal, and never with NO_COLOR."""
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return not os.environ.get("NO_COLOR") and stream.isatty()


def annotation(problem: Problem, site: Path) -> str:
    """A GitHub Actions workflow command: the problem shows on the file in the pull request."""
    path = Path(problem.path)
    if not path.is_absolute():
        path = site / path
    file = os.path.relpath(path, os.environ.get("GITHUB_WORKSPACE") or ".")
    where = f"file={_escape(file, True)}" + (f",line={problem.line}" if problem.line else "") \
        + (f",col={problem.column}" if problem.column else "")
    return f"::{'warning' if problem.warning else 'error'} {where}::{_escape(problem.message)}"


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def counts(problems: Sequence[Problem]) -> str:
    from sahel_site.problems import errors

    bad = len(errors(problems))
    warned = len(problems) - bad
    return f"{bad} error{'s' * (bad != 1)}, {warned} warning{'s' * (warned != 1)}"


def run_build(args: argparse.Namespace, term: Terminal) -> int:
    from sahel_site.build import build

    out_dir = args.out if args.out else args.site / "_site"
    result = build(args.site, out_dir, drafts=args.drafts, base_url=args.base_url, jobs=args.jobs,
                   progress=term.progress, search_index=not args.no_search)
    term.report(result.warnings)
    noun = "article" if result.articles == 1 else "articles"
    warned = f" ({counts(result.warnings)})" if result.warnings else ""
    term.summary(f"Built {result.pages} pages from {result.articles} {noun} into {out_dir} "
                 f"in {result.seconds:.2f} s{warned}")
    return 0


def run_check(args: argparse.Namespace, term: Terminal) -> int:
    import dataclasses

    from sahel_site.build import check
    from sahel_site.problems import errors

    result = check(args.site, list_all=args.verbose)
    problems = result.problems
    if args.strict:
        problems = tuple(dataclasses.replace(p, warning=False) for p in problems)
    term.report(problems)
    failed = bool(errors(problems))
    term.summary(f"{'Check failed' if failed else 'Checked'}: {result.articles} articles and {result.entities}"
                 f" entities, {counts(problems)}.", failed=failed)
    return 1 if failed else 0


def run_serve(args: argparse.Namespace, term: Terminal) -> int:
    from sahel_site.problems import BuildFailed, Problem
    from sahel_site.serve import DevServer

    try:
        server = DevServer(args.site, port=args.port, base_url=args.base_url, drafts=args.drafts,
                           on_build=lambda outcome: served(outcome, term, args.debug))
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise BuildFailed([Problem(f"127.0.0.1:{args.port}", 0, "the port is in use: try --port"
                                   f" {args.port + 1}, or --port 0 for any free one")]) from None
    try:
        url = server.start()
        term.summary(f"Serving {url} (drafts {'shown' if args.drafts else 'left out'}); Ctrl-C to stop")
        server.watch()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    term.summary("Stopped.")
    return 0


def served(outcome: Outcome, term: Terminal, debug: bool) -> None:
    """One line per rebuild; the problems, when it failed, as the browser shows them."""
    stamp = time.strftime("%H:%M:%S")
    after = f" after {', '.join(outcome.changed[:3])}{' …' if len(outcome.changed) > 3 else ''} changed" \
        if outcome.changed else ""
    term.report(outcome.problems)
    if debug and outcome.error:
        import traceback

        traceback.print_exception(outcome.error, file=term.err)
    if outcome.report is None:
        term.summary(f"{stamp} build failed{after}: {counts(outcome.problems)}; the browser shows them too",
                     failed=True)
    else:
        term.say(f"{stamp} built {outcome.report.pages} pages in {outcome.report.seconds:.2f} s{after}")


def run_new(args: argparse.Namespace, term: Terminal) -> int:
    from sahel_site.content import slugify
    from sahel_site.scaffold import new_article

    slug = slugify(args.title)
    if not slug:
        parser().error(f"the title {args.title!r} needs at least one letter or digit")
    path = new_article(args.site, args.title, slug, args.date or dt.date.today())
    term.summary(str(path))
    return 0


def run_init(args: argparse.Namespace, term: Terminal) -> int:
    from sahel_site.config import settings_text
    from sahel_site.scaffold import init_site

    title = args.title or args.dir.resolve().name.replace("-", " ").replace("_", " ").title()
    files = init_site(args.dir, settings_text(title))
    for file in files:
        term.say(f"  {file.relative_to(args.dir).as_posix()}", verbose=True)
    term.summary(f"Created {len(files)} files in {args.dir}; next: cd {args.dir} && sahel-site serve")
    return 0


def run_extract(args: argparse.Namespace, term: Terminal) -> int:
    import json

    from sahel_site.build import extract_files
    from sahel_site.problems import errors

    documents, problems = extract_files(args.site, list(args.paths))
    term.report(problems)
    if args.format == "text":
        term.out.write(extraction_text(documents))
    else:
        json.dump({"documents": documents}, term.out, ensure_ascii=False, indent=2)
        term.out.write("\n")
    if errors(problems):  # the readable files are printed all the same: one bad file spoils no batch
        term.summary(f"{FAILED[args.command]}: {counts(problems)}.", failed=True)
        return 1
    return 0


def extraction_text(documents: list[dict[str, Any]]) -> str:
    """The extraction as a person reads it: one block per article, one line per entity."""
    lines: list[str] = []
    for doc in documents:
        lines.append(doc["path"])
        for kind, label in (("states", "iso2"), ("actors", "type")):
            for entity in doc[kind]:
                forms = ", ".join(f"“{a}”" for a in entity["aliases"])
                lines.append(f"  {kind[:-1]:<6} {entity['name']} ({entity[label]}): {forms}")
        for theme in doc["themes"]:
            lines.append(f"  theme  {theme['name']} (score {theme['score']:g})")
        for candidate in doc["candidates"]:
            lines.append(f"  new?   {candidate['name']} ({candidate['type']}): {candidate['sentence']}")
        if len(lines) and lines[-1] == doc["path"]:
            lines.append("  nothing found")
        lines.append("")
    return "\n".join(lines)


COMMANDS: dict[str, Callable[[argparse.Namespace, Terminal], int]] = {
    "build": run_build, "serve": run_serve, "new": run_new, "check": run_check, "init": run_init,
    "extract": run_extract,
}


def run() -> None:
    sys.exit(main())
