"""The one Markdown dialect, shared by parsing (content) and rendering (render)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

MAX_NESTING = 20  # markdown-it's own limit of lists and quotes inside each other; it bounds recursion
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_SKIPPED = re.compile(r"[\x00-\x20\x7f-\x9f]")  # browsers drop such characters from a URL's scheme
# Raw HTML an article may keep when the site allows it: ammonia's own allow-list (no script, style,
# iframe, form, no on* or style attribute), plus what the site's own body markup uses.
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "*": {"class", "id", "title", "lang", "dir", "data-entity"}}


def _highlight(code: str, lang: str, _attrs: str) -> str:
    if not lang:
        return ""
    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""
    return highlight(code, lexer, HtmlFormatter(nowrap=True))


def safe_url(url: str) -> bool:
    """A link a reader may follow: relative, or http(s), mailto or tel; never javascript:, data: …"""
    # markdown-it hands over the URL percent-encoded; decoded and folded, look-alikes show their scheme.
    scheme = _SCHEME.match(_SKIPPED.sub("", unicodedata.normalize("NFKC", unquote(html.unescape(url)))))
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


@cache
def markdown(raw_html: bool = False) -> MarkdownIt:
    """CommonMark with tables and strikethrough; no script URLs; raw HTML shown as text, or
    kept when ``raw_html`` (and then cleaned by ``clean_html`` once rendered)."""
    md = MarkdownIt("commonmark", {"html": raw_html, "highlight": _highlight, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.validateLink = safe_url
    md.block.tokenize = _noting_overflow(md.block.tokenize)  # type: ignore[method-assign]
    return md


def _noting_overflow(tokenize: Callable[[Any, int, int], None]) -> Callable[[Any, int, int], None]:
    """markdown-it silently drops what lists and quotes nest deeper than ``maxNesting`` (with the
    rest of the container): note the first line it drops, so that the loss is reported."""
    def noting(state: Any, start: int, end: int) -> None:
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env.setdefault("dropped_line", line)
        tokenize(state, start, end)
    return noting


def parse_body(text: str, raw_html: bool = False) -> tuple[list[Any], int | None]:
    """The tokens of a Markdown body, and the 0-based line of its first content nested too deep to keep."""
    env: dict[str, Any] = {}
    tokens = markdown(raw_html).parse(text, env)
    return tokens, env.get("dropped_line")


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(attributes=_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES), link_rel=None,
                       strip_comments=True)


def clean_html(fragment: str) -> str:
    """Rendered HTML with only allowed tags, attributes and URLs left."""
    return _cleaner().clean(fragment)


def pygments_css() -> str:
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
