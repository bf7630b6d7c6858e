"""Reading a built site the way a crawler does: pages, links and fragments on disk."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser


@cache
def parse(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def page(site: Path, url: str) -> HTMLParser:
    return parse(site / url / "index.html" if not url.endswith(".html") else site / url)


def ids(path: Path) -> set[str]:
    return {node.attributes["id"] for node in parse(path).css("[id]")}


def target(site: Path, page_path: Path, href: str, base_path: str) -> tuple[Path, str] | None:
    """The file and fragment an internal href points to, or None for an external one."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if parts.path.startswith("/"):
        assert parts.path.startswith(base_path), f"{href} escapes the base path {base_path}"
        resolved = site / unquote(parts.path[len(base_path):])
    else:
        resolved = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
    if resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved, parts.fragment


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Every internal href/src whose file or #fragment does not exist."""
    broken = []
    site = site.resolve()
    for html in sorted(site.rglob("*.html")):
        for node in parse(html).css("[href], [src]"):
            href = node.attributes.get("href") or node.attributes.get("src") or ""
            found = target(site, html, href, base_path)
            if found is None:
                continue
            path, fragment = found
            where = f"{html.relative_to(site)} -> {href}"
            if not path.is_file():
                broken.append(f"{where}: no such file")
            elif fragment and path.suffix == ".html" and fragment not in ids(path):
                broken.append(f"{where}: no #{fragment}")
    return broken


def reachable(site: Path) -> set[Path]:
    """The pages a reader can reach by following links from the home page."""
    site = site.resolve()
    seen: set[Path] = set()
    todo = [site / "index.html"]
    while todo:
        html = todo.pop()
        if html in seen or html.suffix != ".html" or not html.is_file():
            continue
        seen.add(html)
        for node in parse(html).css("a[href]"):
            found = target(site, html, node.attributes["href"] or "", "/")
            if found:
                todo.append(found[0])
    return seen
