"""The one Markdown dialect, shared by parsing (content) and rendering (render)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def _highlight(code: str, lang: str, _attrs: str) -> str:
    if not lang:
        return ""
    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""
    return highlight(code, lexer, HtmlFormatter(nowrap=True))


def _safe_link(url: str) -> bool:
    return not _UNSAFE_URL.match(unicodedata.normalize("NFKC", url))


@cache
def markdown() -> MarkdownIt:
    """CommonMark with tables and strikethrough; raw HTML shown as text; no script URLs."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    md.validateLink = _safe_link
    return md


def pygments_css() -> str:
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
