"""The dev server driven for real: a free port, edits on disk, the pages it then serves."""

from __future__ import annotations

import contextlib
import http.client
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from sahel_site import cache
from sahel_site.build import build
from sahel_site.serve import DevServer, Outcome, inject

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"
SRC = TESTS.parent / "src"
ARTICLE = "content/articles/2026-11-10-aes-summit.md"
WAIT = 30.0  # seconds a rebuild may take on a busy machine before the test gives up


class Running:
    """A DevServer on a free port with its watcher in a thread, and a tmp copy of the good site."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.outcomes: list[Outcome] = []
        self.server = DevServer(site, port=0, on_build=self.outcomes.append)
        self.url = self.server.start()
        self.watcher = threading.Thread(target=self.server.watch, daemon=True)
        self.watcher.start()
        assert self.server.watching.wait(WAIT), "the watcher did not start"

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
        try:
            connection.request("GET", parts.path + path)
            response = connection.getresponse()
            return response.status, response.read().decode(), dict(response.getheaders())
        finally:
            connection.close()

    def edit(self, replace: str, by: str) -> None:
        file = self.site / ARTICLE
        text = file.read_text()
        assert replace in text
        file.write_text(text.replace(replace, by))

    def built_after(self, count: int) -> Outcome:
        """The newest build once there are more than ``count`` and none is under way; bounded.

        A page may show a build's files before the build is reported: they change in place."""
        deadline = time.monotonic() + WAIT
        while len(self.outcomes) <= count and time.monotonic() < deadline:
            time.sleep(0.05)
        with self.server.building:
            return self.outcomes[-1]

    def until(self, path: str, condition: Callable[[int, str], bool]) -> tuple[int, str]:
        """Fetch ``path`` until ``condition(status, body)`` holds; bounded, so a lost rebuild fails."""
        deadline = time.monotonic() + WAIT
        while True:
            status, body, _ = self.get(path)
            if condition(status, body) or time.monotonic() > deadline:
                return status, body
            time.sleep(0.1)


@contextlib.contextmanager
def serving(site: Path) -> Iterator[Running]:
    served = Running(site)
    try:
        yield served
    finally:
        served.server.stop()
        served.watcher.join(WAIT)


@pytest.fixture
def running(tmp_path) -> Iterator[Running]:
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    with serving(site) as served:
        yield served


def title(body: str) -> str:
    return LexborHTMLParser(body).css_first("title").text()


def test_serves_the_site_under_its_base_path_with_the_reload_script(running):
    assert running.url.endswith("/fixture/")
    status, body, headers = running.get("articles/aes-summit/")
    assert status == 200 and title(body) == "AES summit in Bamako · Good Fixture"
    (script,) = LexborHTMLParser(body).css('script[src*="__sahel/reload.js"]')
    assert script.attributes["src"].startswith("/fixture/__sahel/reload.js?build=")
    assert headers["Cache-Control"] == "no-store"
    status, js, headers = running.get("__sahel/reload.js")
    assert status == 200 and "EventSource" in js and headers["Content-Type"].startswith("text/javascript")
    assert running.get("static/css/site.css")[0] == 200
    assert running.get("no/such/page/")[0] == 404
    served = running.site / ".sahel-cache" / "serve" / "site"
    assert (served / "index.html").is_file() and not (running.site / "_site").exists()
    assert "__sahel" not in (served / "index.html").read_text(), "the script is added when serving, not built in"


def test_root_and_base_without_slash_redirect_to_the_base(running):
    parts = urlsplit(running.url)
    for path in ("/", "/fixture"):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
        connection.request("GET", path)
        response = connection.getresponse()
        assert (response.status, response.getheader("Location")) == (302, "/fixture/")
        connection.close()


def test_edit_rebuilds_and_the_event_stream_announces_it(running):
    parts = urlsplit(running.url)
    events = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
    events.request("GET", parts.path + "__sahel/events")
    stream = events.getresponse()
    assert stream.getheader("Content-Type") == "text/event-stream"
    first = next_event(stream)
    assert first == running.server.outcome.token
    running.edit("title: AES summit in Bamako", "title: AES summit in Niamey")
    status, body = running.until("articles/aes-summit/", lambda s, b: "in Niamey" in title(b))
    assert (status, title(body)) == (200, "AES summit in Niamey · Good Fixture")
    assert next_event(stream) == running.server.outcome.token != first
    assert running.outcomes[-1].changed == (ARTICLE,)
    events.close()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_edits_are_built_from_the_cache_in_memory_as_a_clean_build_writes_them(running, tmp_path):
    served = running.server.out_dir
    cache_file = cache.file_of(running.site / ".sahel-cache", served)
    for n, paragraph in enumerate(["Chad and Mali met, round one.", "Togo named an envoy to Niamey, round two."]):
        seen = paragraph.split(", ")[1]  # the entity names are links in the page
        built = len(running.outcomes)
        running.edit("arrived late.", f"arrived late.\n\n{paragraph}")
        assert seen in running.until("articles/aes-summit/", lambda s, b, seen=seen: seen in b)[1]
        report = running.built_after(built).report
        assert report is not None and report.remade < report.groups, "only what the edit touched"
        assert not cache_file.exists(), "no cache file while the server holds the cache"
        clean = build(running.site, tmp_path / f"clean{n}", drafts=True, base_url=running.server.base,
                      search_index=False, cache_dir=None)
        page = (clean.out_dir / "articles" / "aes-summit" / "index.html").read_bytes()
        status, body, _ = running.get("articles/aes-summit/")
        (script,) = LexborHTMLParser(body).css('script[src*="__sahel/reload.js"]')
        token = script.attributes["src"].split("build=")[1]
        assert (status, body.encode()) == (200, inject(page, running.server.base, token))
        assert tree(served) == tree(clean.out_dir)
        running.edit(f"arrived late.\n\n{paragraph}", "arrived late.")
        assert seen not in running.until("articles/aes-summit/", lambda s, b, seen=seen: seen not in b)[1]
    running.server.stop()
    assert cache.load(running.site / ".sahel-cache", served).output == str(served.resolve()), "saved on stopping"


def next_event(stream: http.client.HTTPResponse) -> str:
    """The data of the next Server-Sent Event, past blank lines and keep-alive comments."""
    while True:
        line = stream.fp.readline().decode()
        if line.startswith("data: "):
            return line.removeprefix("data: ").rstrip("\n")
        assert line, "the event stream ended"


def test_broken_front_matter_shows_the_error_page_and_a_fix_recovers(running):
    running.edit("date: 2026-11-10", "date: tomorrow")
    status, body = running.until("articles/aes-summit/", lambda s, b: s == 500)
    assert status == 500
    page = LexborHTMLParser(body)
    assert page.css_first("h1").text() == "The site did not build"
    (problem,) = [li.text() for li in page.css("li")]
    assert problem.startswith(f"{ARTICLE}:3: 'date' must be a date like ")
    assert "not 'tomorrow'" in problem and "&#x27;tomorrow&#x27;" in body, "escaped in the HTML"
    assert page.css('script[src*="__sahel/reload.js"]'), "the error page reloads itself"
    assert running.get("")[0] == 500, "every page shows the error"
    assert running.outcomes[-1].report is None and [str(p) for p in running.outcomes[-1].problems] == [problem]

    running.edit("date: tomorrow", "date: 2026-11-10")
    status, body = running.until("articles/aes-summit/", lambda s, b: s == 200)
    assert (status, title(body)) == (200, "AES summit in Bamako · Good Fixture")


def test_template_error_in_the_site_templates_is_shown_with_its_line(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    (site / "templates").mkdir()
    with serving(site) as served:
        (site / "templates" / "404.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ oops(\n")
        status, body = served.until("", lambda s, b: s == 500)
        assert status == 500 and "404.html:3:" in LexborHTMLParser(body).css_first("li").text()
        (site / "templates" / "404.html").unlink()
        assert served.until("", lambda s, b: s == 200)[0] == 200


def test_stop_closes_the_port(running):
    parts = urlsplit(running.url)
    running.server.stop()
    running.watcher.join(WAIT)
    assert not running.watcher.is_alive()
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT).request("GET", "/")


def test_ctrl_c_stops_the_command_cleanly(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "sahel_site", "serve", "--site", str(site), "--port", "0"]
    lines: queue.Queue[str] = queue.Queue()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as process:
        reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True)
        reader.start()
        try:
            url = next(line.split()[1] for line in iter(lambda: lines.get(timeout=WAIT), "")
                       if line.startswith("Serving "))
            parts = urlsplit(url)
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
            connection.request("GET", parts.path)
            assert connection.getresponse().status == 200
            connection.close()
            process.send_signal(signal.SIGINT)
            process.wait(timeout=WAIT)
            reader.join(WAIT)
        finally:
            process.kill()
        err = process.stderr.read() if process.stderr else ""
    assert process.returncode == 0, err
    out = [lines.get_nowait() for _ in range(lines.qsize())]
    assert out[-1] == "Stopped.\n" and "Traceback" not in err
