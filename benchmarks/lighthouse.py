"""Lighthouse scores of the built site: the home page, the first article, the first entity page.

    npm ci --ignore-scripts && python benchmarks/lighthouse.py [--site DIR] [--json-dir DIR]

Builds the site with base URL /, serves it on 127.0.0.1, runs Lighthouse (npm
lighthouse, pinned in package-lock.json) in Debian's Chromium on each page, and
prints a Markdown table of the four category scores and the bytes transferred.
Nothing here asserts anything about the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = REPO_ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
ENTITY_KINDS = ("actors", "states", "themes")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the report readable."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` at the root of 127.0.0.1 on a free port; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(site: Path, out: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "sahel_site",
        "build",
        "--site",
        str(site),
        "--out",
        str(out),
        "--base-url",
        "/",
    ]
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    subprocess.run(command, check=True, env=environment)


def first_page(out: Path, kinds: tuple[str, ...]) -> str:
    """The URL path of the first page, by sorted path, of any of ``kinds``."""
    pages = sorted(
        path.parent.relative_to(out).as_posix() + "/"
        for kind in kinds
        for path in (out / kind).glob("*/index.html")
    )
    if not pages:
        raise SystemExit(f"no page under {', '.join(kinds)} in {out}")
    return pages[0]


def lighthouse(url: str) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    done = subprocess.run(
        command,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def summary_row(name: str, report: dict[str, Any]) -> str:
    scores = [report["categories"][category]["score"] for category in CATEGORIES]
    shown = [f"{round(score * 100)}" if score is not None else "–" for score in scores]
    transferred = report["audits"]["total-byte-weight"]["numericValue"]
    return f"| {name} | " + " | ".join(shown) + f" | {transferred / 1024:.1f} |"


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument(
        "--site", type=Path, default=REPO_ROOT, help="the site folder (default: this repository)"
    )
    options.add_argument("--json-dir", type=Path, help="also keep each full Lighthouse report here")
    args = options.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run npm ci --ignore-scripts")
    with tempfile.TemporaryDirectory(prefix="sahel-lighthouse-") as scratch:
        out = Path(scratch) / "site"
        build(args.site, out)
        pages = {
            "home": "",
            "article": first_page(out, ("articles",)),
            "entity": first_page(out, ENTITY_KINDS),
        }
        print("| page | " + " | ".join(CATEGORIES) + " | transferred KiB |")
        print("|---" * (len(CATEGORIES) + 2) + "|")
        with serve(out) as root:
            for name, path in pages.items():
                report = lighthouse(root + path)
                print(summary_row(f"{name} /{path}", report), flush=True)
                if args.json_dir:
                    args.json_dir.mkdir(parents=True, exist_ok=True)
                    (args.json_dir / f"{name}.json").write_text(
                        json.dumps(report, indent=1), encoding="utf-8"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
