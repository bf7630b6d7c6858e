"""The one Markdown dialect, shared by parsing (content) and rendering (render)."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

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
    md = MarkdownIt("commonmark", {"html": raw_html, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    md.validateLink = safe_url
    return md


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
