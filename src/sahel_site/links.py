"""A built site -> its broken internal links, read the way a crawler reads them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sahel_site.problems import Problem


class _Page(HTMLParser):
    """The ids of one page, and each href/src with the line and column it is written at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None:
                self.refs.append((value, line, column + 1))


def parse_page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def target(site: Path, page_path: Path, href: str, base_path: str) -> tuple[Path | None, str] | None:
    """The file and fragment an internal href points to; None for an external one.

    The file is None for a root-relative href outside ``base_path``: it would leave the site.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if parts.path.startswith("/"):
        if not parts.path.startswith(base_path):
            return None, parts.fragment
        resolved = site / unquote(parts.path[len(base_path):])
    else:
        resolved = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
    if resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved, parts.fragment


def broken_links(site: Path, base_path: str = "/", shown: str = "_site") -> tuple[Problem, ...]:
    """Every internal href/src of ``site``'s pages whose file or #fragment does not exist.

    ``shown`` names the folder in messages, as the user knows it.
    """
    site = site.resolve()
    pages: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in pages:
            pages[path] = parse_page(path.read_text(encoding="utf-8", errors="replace"))
        return pages[path]

    found = []
    for html in sorted(site.rglob("*.html")):
        where = f"{shown}/{html.relative_to(site).as_posix()}"
        for href, line, column in page(html).refs:
            resolved = target(site, html, href, base_path)
            if resolved is None:
                continue
            path, fragment = resolved
            if path is None:
                found.append(Problem(where, line, f"broken link '{href}': outside the base path {base_path}",
                                     column))
            elif not path.is_file():
                found.append(Problem(where, line, f"broken link '{href}': no such file", column))
            elif fragment and path.suffix == ".html" and fragment not in page(path).ids:
                found.append(Problem(where, line, f"broken link '{href}': no id '{fragment}' there", column))
    return tuple(found)
