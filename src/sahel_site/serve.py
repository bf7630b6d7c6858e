"""Dev server on 127.0.0.1: builds into .sahel-cache/serve/, rebuilds on change, reloads the pages.

The last build's cache stays in memory between builds, so a rebuild after a save
reads and writes no cache file; it is written when the server stops, for the next
start. The file on disk is removed at the first build, as that build changes the
output it describes.

The site is served under its base path, as GitHub Pages will serve it. HTML
responses (and only those, and only here, never in ``build`` output) carry one
script tag: /BASE/__sahel/reload.js, which listens to /BASE/__sahel/events
(Server-Sent Events) and reloads the page when the build token changes; a
script file rather than inline code, so the site's CSP (script-src 'self')
allows it. While the last build failed, every HTML response is an error page
listing the problems, with the same script, so the next good save recovers.
"""

from __future__ import annotations

import gc
import html
import mimetypes
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sahel_site import build, cache, config, output
from sahel_site.problems import BuildFailed, Problem

OUT = Path(".sahel-cache") / "serve" / "site"  # relative to the site; never the user's _site
KEEPALIVE = 15.0  # seconds between comments on an idle event stream, so proxies keep it open
RELOAD_JS = b"""\
// sahel-site serve only: reload this page when the dev server has a new build.
(function () {
  "use strict";
  var src = new URL(document.currentScript.src);
  var shown = src.searchParams.get("build");
  var events = new EventSource(src.pathname.replace(/reload\\.js$/, "events"));
  events.onmessage = function (event) {
    if (event.data !== shown) {
      events.close();
      location.reload();
    }
  };
})();
"""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One build of the dev server: its report, or the problems that stopped it."""

    token: str  # changes with every build; the pages reload when it does
    report: build.BuildReport | None
    problems: tuple[Problem, ...]
    changed: tuple[str, ...] = ()  # the files whose change started this build
    error: BaseException | None = field(default=None, compare=False)  # an unexpected one, for --debug


def base_path(site_dir: Path, base_url: str | None) -> str:
    """The path part of the base URL: the site is served there, as on its real host."""
    if base_url is None:
        site, _ = config.load_config(site_dir)
        base_url = site.base_url if site else "/"
    return urlsplit(config.normalize_base_url(base_url)).path or "/"


class DevServer:
    """Build, serve and rebuild one site; ``on_build`` hears every build's outcome."""

    def __init__(self, site_dir: Path, *, port: int = 8000, base_url: str | None = None,
                 drafts: bool = True, on_build: Callable[[Outcome], None] | None = None) -> None:
        self.site_dir = site_dir
        self.out_dir = site_dir / OUT
        self.base = base_path(site_dir, base_url)
        self.drafts = drafts
        self.on_build = on_build
        self.cache_dir = site_dir / build.CACHE_DIR
        self.last: cache.BuildCache | None = None  # what the last build left, while no build runs
        self.building = threading.Lock()
        self.nonce = secrets.token_hex(4)  # a restarted server's first build differs from the last one's
        self.count = 0
        self.outcome = Outcome("", None, ())
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.watching = threading.Event()  # set once changes are being watched
        self.http = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.http.daemon_threads = True
        self.thread = threading.Thread(target=self.http.serve_forever, name="sahel-serve", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}{self.base}"

    def start(self) -> str:
        """Build once and start answering requests; returns the site's URL."""
        self.rebuild()
        self.thread.start()
        return self.url

    def rebuild(self, changed: Iterable[str] = ()) -> Outcome:
        """A build that redoes only what ``changed`` touched, from the last build's cache in memory."""
        self.count += 1
        token = f"{self.nonce}-{self.count}"
        changed = tuple(sorted(set(changed)))
        with self.building:
            previous, self.last = self.last or self._loaded(), None  # None until the output is whole again
            options = build.Options(self.drafts, self.base, jobs=1, search_index=False)  # no index: quick reloads
            try:
                report, self.last = build.rebuild(self.site_dir, self.out_dir, previous, options)
                outcome = Outcome(token, report, report.warnings, changed)
            except BuildFailed as failure:  # raised before the output changes: the last cache still holds
                self.last = previous
                outcome = Outcome(token, None, failure.problems, changed)
            except Exception as error:  # noqa: BLE001 - a bug in one build must not stop the server
                outcome = Outcome(token, None, (Problem("sahel-site", 0, f"unexpected error: {error!r}"),),
                                  changed, error)
        with self.changed:
            self.outcome = outcome
            self.changed.notify_all()
        if self.on_build:
            self.on_build(outcome)
        output.settle()  # what the build replaced is deleted while the browser reloads
        # What the build keeps lives until the next one, and is mostly kept by it too: out of the
        # collector's sight (after a collection, so that no garbage is kept with it), the next
        # build's collections do not walk it again (0.2 s a save after a first full build at 1,000 articles).
        gc.collect()
        gc.freeze()
        return outcome

    def _loaded(self) -> cache.BuildCache:
        """The cache file of the served folder, taken into memory: the folder it names is None, so
        builds neither write nor remove a file, and the file is gone, as it will soon be stale."""
        loaded = cache.load(self.cache_dir, self.out_dir)
        cache.forget(self.cache_dir, self.out_dir)
        loaded.folder = None
        return loaded

    def watch(self) -> None:
        """Rebuild after each batch of changes in content/ and templates/ until ``stop``."""
        import watchfiles

        folders = [p for p in (self.site_dir / "content", self.site_dir / "templates") if p.is_dir()]
        # An empty batch every half second tells that the watcher runs, and lets `watching` say so.
        # A save is a burst of events within a millisecond or two: wait 10 ms for more, not the default 50.
        for changes in watchfiles.watch(*folders, stop_event=self.stopping, yield_on_timeout=True, rust_timeout=500,
                                        step=10):
            self.watching.set()
            if changes:
                self.rebuild(self._shown(path) for _, path in changes)

    def _shown(self, path: str) -> str:
        file = Path(path)
        return file.relative_to(self.site_dir.resolve()).as_posix() if file.is_relative_to(
            self.site_dir.resolve()) else path

    def wait_for_build(self, token: str | None, timeout: float) -> None:
        """Until the build after ``token`` is done, the server stops, or ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.outcome.token != token or self.stopping.is_set(), timeout)

    def stop(self) -> None:
        """Stop watching, end the event streams, close the socket, save the cache for the next start."""
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        if self.thread.is_alive():
            self.http.shutdown()
        self.http.server_close()
        with self.building:
            if self.last is not None:
                self.last.folder = self.cache_dir
                cache.save(self.last)
                self.last = None


def _handler(server: DevServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        dev = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    dev: DevServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: with Nagle's algorithm the second waits for the
    # browser's delayed acknowledgement of the first, 40 ms for every file of a reload.
    disable_nagle_algorithm = True

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # a browser that closes a kept-alive connection is not an error

    def do_GET(self) -> None:
        self.answer(body=True)

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def answer(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        base = self.dev.base
        if path == base + "__sahel/events":
            self.stream_events()
        elif path == base + "__sahel/reload.js":
            self.send(200, "text/javascript; charset=utf-8", RELOAD_JS, body)
        elif path != base and (path == "/" or path + "/" == base):  # the root, or the base without "/"
            self.redirect(base)
        elif not path.startswith(base):
            self.send_page(404, self.dev.out_dir / "404.html", body)
        else:
            self.send_file(path[len(base):], body)

    def send_file(self, relative: str, body: bool) -> None:
        out = self.dev.out_dir.resolve()
        file = (out / relative).resolve()
        if file.is_dir() and relative and not relative.endswith("/"):
            self.redirect(self.dev.base + relative + "/")
            return
        if file.is_dir():
            file = file / "index.html"
        if not file.is_relative_to(out) or not file.is_file():
            self.send_page(404, out / "404.html", body)
        elif file.suffix == ".html":
            self.send_page(200, file, body)
        else:
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self.send(200, kind + ("; charset=utf-8" if kind.startswith("text/") else ""), file.read_bytes(), body)

    def send_page(self, status: int, file: Path, body: bool) -> None:
        """An HTML page with the reload script; the error page while the last build failed."""
        outcome = self.dev.outcome
        if outcome.report is None:
            status, page = 500, error_page(outcome.problems)
        else:
            page = file.read_bytes() if file.is_file() else b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>"
        self.send(status, "text/html; charset=utf-8", inject(page, self.dev.base, outcome.token), body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send(self, status: int, kind: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def stream_events(self) -> None:
        """Server-Sent Events: the current build token now, then each new one, until the server stops."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        dev, token = self.dev, None
        try:
            while not dev.stopping.is_set():
                if dev.outcome.token != token:
                    token = dev.outcome.token
                    self.wfile.write(f"data: {token}\n\n".encode())
                else:
                    self.wfile.write(b": idle\n\n")
                self.wfile.flush()
                dev.wait_for_build(token, KEEPALIVE)
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not news; builds are, and the command line reports those."""


def inject(page: bytes, base: str, token: str) -> bytes:
    """The reload script tag, before </head> (or at the end of a page without one)."""
    tag = f'<script src="{base}__sahel/reload.js?build={token}" defer></script>\n'.encode()
    at = page.find(b"</head>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def error_page(problems: Iterable[Problem]) -> bytes:
    """Every problem of the failed build, escaped; no site styles, which may be what broke."""
    items = "\n".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    stamp = time.strftime("%H:%M:%S")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Build failed · sahel-site</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<main>
<h1>The site did not build</h1>
<p>sahel-site serve, {stamp}. Fix these and save: this page reloads by itself.</p>
<ul class="problems">
{items}
</ul>
</main>
</body>
</html>
""".encode()
