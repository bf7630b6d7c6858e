"""Command line: the only place that prints and exits."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sahel_site import __version__
from sahel_site.problems import BuildFailed, Problem

EXAMPLES = {
    "build": "example: sahel-site build --base-url /my-repo/",
    "extract": "example: sahel-site extract article.md --json",
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sahel-site",
        description="Build a linked news-analysis website from Markdown articles about the Sahel and West Africa.",
    )
    top.add_argument("--version", action="version", version=f"sahel-site {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name])
        sub.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                         help="the site folder holding content/ (default: the current folder)")
        sub.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
        return sub

    build = command("build", "build the site into a folder")
    build.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: SITE/_site)")
    build.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    build.add_argument("--base-url", metavar="URL", help="where the site is served, e.g. /repo/ (overrides site.yml)")
    build.add_argument("--jobs", type=int, metavar="N",
                       help="worker processes (default: every core, when the site is big enough to gain)")

    extract = command("extract", "print the actors, states and themes found in articles")
    extract.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                         help="article files (default: every article in content/)")
    extract.add_argument("--json", action="store_true", help="print JSON (the default)")
    return top


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            return run_build(args, out, err)
        return run_extract(args, out, err)
    except BuildFailed as failure:
        report(failure.problems, err)
        return 1
    except Exception as error:  # noqa: BLE001 - the user gets one line, not a traceback
        if args.debug:
            traceback.print_exc(file=err)
        else:
            print(f"sahel-site: unexpected error: {error} (run with --debug for details)", file=err)
        return 1


def run_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sahel_site.build import build

    site_dir = args.site
    out_dir = args.out if args.out else site_dir / "_site"
    result = build(site_dir, out_dir, drafts=args.drafts, base_url=args.base_url, jobs=args.jobs)
    report(result.warnings, err)
    noun = "article" if result.articles == 1 else "articles"
    print(f"Built {result.pages} pages from {result.articles} {noun} into {out_dir} "
          f"in {result.seconds:.2f} s", file=out)
    return 0


def run_extract(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sahel_site.build import extract_files

    documents, warnings = extract_files(args.site, list(args.paths))
    report(warnings, err)
    json.dump({"documents": documents}, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


def report(problems: Sequence[Problem], err: TextIO) -> None:
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in sorted(problems):
        print(problem, file=err)
        if annotate:
            level = "warning" if problem.warning else "error"
            print(f"::{level} file={problem.path},line={problem.line}::{problem.message}", file=err)


def run() -> None:
    sys.exit(main())
