"""Every link, source and fragment of the site resolves when it is served under a sub-path."""

from __future__ import annotations

import http.client
import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

REFERENCES = "[href], [src], [srcset], [action]"
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
NOT_FETCHED = ("mailto:", "tel:", "data:", "javascript:")


@dataclass(frozen=True, slots=True)
class Fetched:
    status: int
    content_type: str
    body: bytes


def fetch(url: str) -> Fetched:
    """GET ``url`` without following redirects: a link must lead straight to its page."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return Fetched(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        connection.close()


def html_references(page_url: str, html: str) -> tuple[list[str], set[str]]:
    """The absolute URLs a page refers to, and the ids a fragment can point at in it."""
    tree = LexborHTMLParser(html)
    base = tree.css_first("base[href]")
    base_url = urljoin(page_url, base.attributes.get("href") or "") if base else page_url
    urls = []
    for node in tree.css(REFERENCES):
        for name in ("href", "src", "action"):
            if value := node.attributes.get(name):
                urls.append(urljoin(base_url, value.strip()))
        for candidate in (node.attributes.get("srcset") or "").split(","):
            if candidate.strip():
                urls.append(urljoin(base_url, candidate.split()[0]))
    ids = {node.attributes.get("id") or "" for node in tree.css("[id]")}
    return urls, ids


def css_references(sheet_url: str, css: str) -> list[str]:
    return [urljoin(sheet_url, match) for match in CSS_URL.findall(css)]


def crawl(start: str) -> list[str]:
    """Follow every reference from ``start`` that stays on its host; return what is broken."""
    origin = f"{urlsplit(start).scheme}://{urlsplit(start).netloc}"
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    seen = {start}
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    broken: list[str] = []
    while queue:
        url, referrer = queue.popleft()
        got = fetch(url)
        if got.status != 200:
            broken.append(f"{referrer}: {url.removeprefix(origin)} answers {got.status}")
            continue
        if not url.startswith(start):
            continue
        if got.content_type.startswith("text/html"):
            found, ids[url] = html_references(url, got.body.decode("utf-8"))
        elif got.content_type.startswith("text/css"):
            found = css_references(url, got.body.decode("utf-8"))
        else:
            found = []
        for reference in found:
            if reference.startswith(NOT_FETCHED) or not reference.startswith(origin + "/"):
                continue
            target, fragment = urldefrag(reference)
            if fragment:
                fragments.append((url, target, unquote(fragment)))
            if target not in seen:
                seen.add(target)
                queue.append((target, url.removeprefix(origin)))
    broken += [
        f"{page.removeprefix(origin)}: #{fragment} is not an id in {target.removeprefix(origin)}"
        for page, target, fragment in fragments
        if target in ids and fragment not in ids[target]
    ]
    return sorted(broken)


def test_every_reference_resolves_under_the_sub_path(served_site: str) -> None:
    broken = crawl(served_site)
    assert not broken, f"{len(broken)} broken references:\n" + "\n".join(broken)
