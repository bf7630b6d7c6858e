"""Shared fixtures: the repository's own site, built once and served under a sub-path."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sahel_site import cli

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO_ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO_ROOT / "node_modules"
BASE_PATH = "/some-repo/"
CHROMIUM = Path("/usr/bin/chromium")
# Chromium on a machine whose only network is loopback: no sandbox as root, no calls home.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
INSTALL_HINT = (
    "run .ci/run, or: apt-get install chromium default-jre-headless && npm ci --ignore-scripts"
)

_SITE_BUILD = pytest.StashKey["SiteBuild"]()


def require_tool(name: str, path_or_check: Path | str | bool, hint: str = INSTALL_HINT) -> None:
    """Skip (on a developer's machine) or fail (in CI) when a tool is missing.

    ``path_or_check`` is a file that must exist, a command looked up on PATH,
    or the result of a check already made.
    """
    if isinstance(path_or_check, Path):
        found = path_or_check.exists()
    elif isinstance(path_or_check, str):
        found = shutil.which(path_or_check) is not None
    else:
        found = path_or_check
    if found:
        return
    message = f"{name} not installed: {hint}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True, slots=True)
class SiteBuild:
    out: Path
    status: int
    messages: str


def build_site_once(config: pytest.Config) -> SiteBuild:
    """Build the repository's site with base URL BASE_PATH, once per test run."""
    if _SITE_BUILD not in config.stash:
        root = Path(tempfile.mkdtemp(prefix="sahel-site-test-"))
        config.add_cleanup(partial(shutil.rmtree, root, ignore_errors=True))
        out = root / "site"
        argv = ["build", "--site", str(REPO_ROOT), "--out", str(out), "--base-url", BASE_PATH]
        messages = io.StringIO()
        status = cli.main(argv, stdout=messages, stderr=messages)
        config.stash[_SITE_BUILD] = SiteBuild(out, status, messages.getvalue())
    return config.stash[_SITE_BUILD]


def page_paths(site: Path) -> list[str]:
    """Every HTML page of a built site as its URL path below the base: '', 'articles/x/', '404.html'."""
    paths = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        paths.append(relative.removesuffix("index.html") if file.name == "index.html" else relative)
    return paths


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test asking for ``site_page`` runs once per page of the built site.

    A failed build still gives the home page, whose test then fails in ``built_site``
    with the build's messages, instead of stopping the whole run at collection.
    """
    if "site_page" in metafunc.fixturenames:
        pages = page_paths(build_site_once(metafunc.config).out) or [""]
        metafunc.parametrize("site_page", pages, ids=[page or "home" for page in pages])


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest) -> Path:
    """The folder holding the repository's site, built with base URL /some-repo/."""
    build = build_site_once(request.config)
    assert build.status == 0, f"building the repository's content/ failed:\n{build.messages}"
    return build.out


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves a folder at BASE_PATH only, as a project site on GitHub Pages is served."""

    def send_head(self) -> Any:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not (path + "/").startswith(BASE_PATH):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(BASE_PATH.rstrip("/")).lstrip("/"))

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 under /some-repo/; yields its URL."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SubPathHandler, directory=str(built_site))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{BASE_PATH}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Debian Chromium, driven by Playwright, for the whole session."""
    require_tool("chromium", CHROMIUM)
    require_tool(
        "playwright", importlib.util.find_spec("playwright") is not None, "pip install -e '.[test]'"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_FLAGS)
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The W3C Nu HTML Checker from npm's vnu-jar, with a Java runtime to run it."""
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require_tool("java", "java")
    require_tool("vnu-jar", jar)
    return jar


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser bundle from npm."""
    script = NODE_MODULES / "axe-core" / "axe.min.js"
    require_tool("axe-core", script)
    return script


@pytest.fixture(scope="session", autouse=True)
def fixture_sites_stay_clean() -> Iterator[None]:
    """Builds of the fixture sites leave their build cache beside them; a later run must not start warm."""
    def clear() -> None:
        for cache in (Path(__file__).parent / "sites").glob("*/.sahel-cache"):
            shutil.rmtree(cache, ignore_errors=True)

    clear()
    yield
    clear()
