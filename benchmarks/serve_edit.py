"""Time from saving an article to the dev server's new build, on a corpus site.

    python benchmarks/serve_edit.py DIR [--edits 7] [--counts] [--port 0] [--browser]

DIR is a site written by make_corpus.py (e.g. ``make_corpus.py 1000 DIR``). The
server builds it (from its cache when an earlier run left one), then each edit
appends a paragraph to one article (in place of the last edit's; with --counts,
one more each time, so that the counts of the states it names change and every
page that shows them is made again); the time is measured from the write to the
moment the server announces the build, with the CPU time the server's process
spent meanwhile. With --browser, the edited article's page is open in headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright) and the time is
also measured until that page, reloaded by the server, holds the new paragraph
(the reloaded document's DOMContentLoaded, by the browser's clock).
Medians are printed; the article is restored at the end, and the server saves
its cache on stopping, so the next run starts quickly.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from sahel_site.serve import DevServer, Outcome

WAIT = 120.0  # seconds an edit's build may take before the run gives up
CHROMIUM = "/usr/bin/chromium"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--counts", action="store_true", help="every edit adds mentions of two states")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--browser", action="store_true", help="time until the page open in Chromium shows the edit")
    args = parser.parse_args(argv)
    built = threading.Event()
    outcomes: list[tuple[float, Outcome]] = []

    def heard(outcome: Outcome) -> None:
        outcomes.append((time.perf_counter(), outcome))
        built.set()

    started = time.process_time()
    server = DevServer(args.site, port=args.port, on_build=heard)
    server.start()
    print(f"first build: {time.process_time() - started:.2f} s CPU, {outcomes[-1][1].report.pages} pages")
    watcher = threading.Thread(target=server.watch, daemon=True)
    watcher.start()
    server.watching.wait(WAIT)
    files = sorted((args.site / "content" / "articles").glob("*.md"))
    article = files[len(files) // 2]
    original = article.read_bytes()
    walls, cpus, shown = [], [], []
    page = browser_page(server.url, original) if args.browser else None
    try:
        for n in range(args.edits):
            built.clear()
            cpu, wall, saved = time.process_time(), time.perf_counter(), time.time()
            paragraphs = range(n + 1) if args.counts else [n]
            article.write_bytes(original + "".join(f"\nNiger and Mali met again in Niamey, edit {k}.\n"
                                                   for k in paragraphs).encode())
            if page is not None:
                page.get_by_text(f"met again in Niamey, edit {paragraphs[-1]}.").wait_for(timeout=WAIT * 1000)
                # When the reloaded document was parsed, by the browser's own clock: noticing it from here lags.
                shown.append(page.evaluate("(performance.timeOrigin + performance.getEntriesByType('navigation')[0]"
                                           ".domContentLoadedEventEnd) / 1000") - saved)
            if not built.wait(WAIT):
                raise SystemExit("no build after an edit")
            walls.append(outcomes[-1][0] - wall)
            cpus.append(time.process_time() - cpu)
            report = outcomes[-1][1].report
            print(f"edit {n}: {walls[-1]:.3f} s, {cpus[-1]:.3f} s CPU, {report.remade if report else '-'} groups remade"
                  + (f", shown in the browser after {shown[-1]:.3f} s" if shown else ""))
            time.sleep(0.3)  # the watcher's next batch must not join this one
    finally:
        article.write_bytes(original)
        time.sleep(1.0)
        server.stop()
        watcher.join(WAIT)
    print(f"median of {args.edits}: {statistics.median(walls):.3f} s from save to build, "
          f"{statistics.median(cpus):.3f} s CPU" + (f", {statistics.median(shown):.3f} s to the browser" if shown else ""))
    return 0


def browser_page(url: str, article: bytes):
    """The edited article's page, open in headless Chromium."""
    from playwright.sync_api import sync_playwright

    slug = next(line.split(":", 1)[1].strip() for line in article.decode().splitlines() if line.startswith("slug:"))
    browser = sync_playwright().start().chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
    page = browser.new_page()
    page.goto(f"{url}articles/{slug}/")
    return page


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
