"""Reading a built site the way a crawler does: pages, links and fragments on disk."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sahel_site import links


@cache
def parse(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def page(site: Path, url: str) -> HTMLParser:
    return parse(site / url / "index.html" if not url.endswith(".html") else site / url)


def target(site: Path, page_path: Path, href: str, base_path: str) -> tuple[Path, str] | None:
    """The file and fragment an internal href points to, or None for an external one."""
    found = links.target(site, page_path, href, base_path)
    if found is None:
        return None
    path, fragment = found
    assert path is not None, f"{href} escapes the base path {base_path}"
    return path, fragment


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Every internal href/src whose file or #fragment does not exist, as `sahel-site check` finds them."""
    return [str(problem) for problem in links.broken_links(site, base_path)]


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
