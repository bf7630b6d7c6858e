"""Page -> HTML bytes: article bodies with entity links inserted at token level, Jinja templates."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import tempfile
from collections import defaultdict
from contextlib import suppress
from pathlib import Path
from typing import Any

import jinja2
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup

from sahel_site.markup import clean_html, markdown
from sahel_site.model import ArticleText, Block, Drawing, Link, Page
from sahel_site.problems import Problem

PACKAGED = Path(__file__).parent / "templates"
CHECKOUT = Path(__file__).resolve().parents[2] / "templates"  # an editable install


def template_dirs(site_dir: Path) -> list[Path]:
    """The site's own templates first, then the packaged theme."""
    fallback = PACKAGED if PACKAGED.is_dir() else CHECKOUT
    own = site_dir / "templates"
    return [d for d in (own, fallback) if d.is_dir()]


class _Environment(jinja2.Environment):
    """Jinja's environment with a quicker ``a.b`` for the plain dicts of page contexts."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja tries the attribute first and the key after the failed lookup's exception; a plain
        # dict has no attributes but dict's own, so looking up the key first gives the same answer.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))


SEAL = 16  # bytes of digest before each compiled template kept in the cache folder
_CODE: dict[str, bytes] = {}  # compiled templates by Jinja's key, for every environment of the process


class _Compiled(jinja2.BytecodeCache):
    """Templates compiled once per process, and again only when their source changes (Jinja
    checks it): each build of serve has a new environment, but the same templates. With a
    folder, the compiled code is kept there too, for the next build's process (compiling the
    templates costs a tenth of a second)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _CODE.get(bucket.key)
        if code is None and self.folder is not None:
            try:
                data = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
            code = data[SEAL:] if data[:SEAL] == _seal(data[SEAL:]) else None  # a damaged file is not trusted
        if code is not None:
            bucket.bytecode_from_string(code)  # compiled again if from another Jinja or Python: Jinja checks

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _CODE[bucket.key] = code = bucket.bytecode_to_string()
        if self.folder is not None:
            with suppress(OSError):  # a cache that cannot be written is only slower
                self.folder.mkdir(parents=True, exist_ok=True)
                fd, temp = tempfile.mkstemp(dir=self.folder)  # two workers may write the same file
                with os.fdopen(fd, "wb") as file:
                    file.write(_seal(code) + code)
                os.replace(temp, self.folder / bucket.key)


def _seal(code: bytes) -> bytes:
    return hashlib.blake2b(code, digest_size=SEAL).digest()


def environment(site_dir: Path, cache_folder: Path | None = None) -> jinja2.Environment:
    """The templates' environment; ``cache_folder`` keeps their compiled code between processes."""
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(site_dir)]),
        bytecode_cache=_Compiled(cache_folder and cache_folder / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one version of each template: no stat of its file at every page
    )
    env.filters["day"] = lambda d: f"{d.day} {_month(d.year, d.month)}"
    env.filters["iso"] = lambda d: d.isoformat() if isinstance(d, (dt.date, dt.datetime)) else str(d)
    return env


@functools.cache
def _month(year: int, month: int) -> str:
    """"May 2024": strftime costs more than the rest of an evidence heading, shown tens of
    thousands of times for a few hundred months."""
    return f"{dt.date(year, month, 1):%B %Y}"


def render_file(page: Page, env: jinja2.Environment) -> tuple[bytes, Problem | None]:
    """A page's file; a template error becomes a problem with the template's line."""
    try:
        return render_page(page, env).encode(), None
    except jinja2.TemplateError as err:
        return b"", template_problem(err)


def page_path(page: Page) -> str:
    """The file a page is written to: pretty URLs end in a folder's index.html."""
    return page.url + "index.html" if page.url.endswith("/") or not page.url else page.url


def render_page(page: Page, env: jinja2.Environment) -> str:
    context = {k: _markup(v) for k, v in page.context.items()}
    return env.get_template(page.template).render(context)


def _markup(value: object) -> object:
    """Drawings become HTML the templates place without escaping."""
    if isinstance(value, Drawing):
        return Markup(value.svg)
    return value


def template_problem(err: jinja2.TemplateError) -> Problem:
    """Where in which template: the innermost template line of the traceback.

    Jinja rewrites the traceback of an error raised while rendering: each frame of template code
    becomes a frame compiled with the template's file name, at the template's line, whose
    globals carry the exception as ``__jinja_exception__``."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(err.filename or err.name or "templates", err.lineno, err.message or str(err))
    name, line = "templates", 0
    tb = err.__traceback__
    while tb:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return Problem(name, line, f"template error: {err}")


def render_body(text: ArticleText, body_links: tuple[Link, ...]) -> str:
    """The body's HTML: blocks anchored as #p-N, entity links inserted at token level."""
    md = markdown()
    tokens = _aligned_by_class(list(text.tokens))
    links: dict[int, list[Link]] = defaultdict(list)
    for link in body_links:
        links[link.block].append(link)
    for block in text.blocks:
        opener = _anchor_token(tokens, block.token - 1)
        tokens[opener] = _with_attrs(tokens[opener], {**tokens[opener].attrs, "id": f"p-{block.index}"})
        if block.index in links:
            children = _linked(tokens[block.token].children or [], block, links[block.index])
            tokens[block.token] = Token("inline", "", 0, children=children)
    html = md.renderer.render(tokens, md.options, {})
    return clean_html(html) if text.raw_html else html


def _with_attrs(token: Token, attrs: dict[str, str | int | float]) -> Token:
    """A copy of a block token with other attributes (the parsed tokens are shared, never changed);
    made by the constructor, which costs less than ``Token.copy``."""
    return Token(token.type, token.tag, token.nesting, attrs=attrs, map=token.map, level=token.level,
                 markup=token.markup, info=token.info, block=token.block, hidden=token.hidden)


def _aligned_by_class(tokens: list[Token]) -> list[Token]:
    """Table alignment as a class: the CSP forbids the style attribute markdown-it would write."""
    for i, token in enumerate(tokens):
        style = token.attrs.get("style") if token.type in ("th_open", "td_open") else None
        if isinstance(style, str) and style.startswith("text-align:"):
            attrs = {k: v for k, v in token.attrs.items() if k != "style"}
            tokens[i] = _with_attrs(token, attrs | {"class": "align-" + style.split(":", 1)[1]})
    return tokens


def _anchor_token(tokens: list[Token], index: int) -> int:
    """The token that carries a block's id: its opener, or the list item of a tight list."""
    if not tokens[index].hidden:
        return index
    level = tokens[index].level - 1
    while index > 0 and not (tokens[index].type == "list_item_open" and tokens[index].level == level):
        index -= 1
    return index


def _linked(children: list[Token], block: Block, links: list[Link]) -> list[Token]:
    """The inline tokens of a block with each text token that holds mentions replaced by one
    raw HTML token: its text escaped as markdown-it escapes it, the mentions marked or linked."""
    per_child: dict[int, list[Link]] = defaultdict(list)
    for link in sorted(links, key=lambda k: k.start):
        segment = next((s for s in block.segments if s.start <= link.start and link.end <= s.end), None)
        if segment and segment.linkable:
            per_child[segment.child].append(link)
    starts = {s.child: s.start for s in block.segments}
    result = list(children)
    for j, found in per_child.items():
        html, text, position = [], children[j].content, 0
        for link in found:
            start, end = link.start - starts[j], link.end - starts[j]
            if start < position:
                continue
            html += (escapeHtml(text[position:start]), _link_html(link, escapeHtml(text[start:end])))
            position = end
        html.append(escapeHtml(text[position:]))
        result[j] = Token("html_inline", "", 0, content="".join(html))
    return result


def _link_html(link: Link, html: str) -> str:
    """A mention as HTML: a link to its entity's page, or only marked for a later one in the block;
    ids are ASCII slugs, safe inside the attribute."""
    if not link.href:
        return f'<span class="ent-m" data-entity="{link.entity}">{html}</span>'
    title = f' title="{escapeHtml(link.name)}"' if html != escapeHtml(link.name) else ""
    return (f'<a href="{escapeHtml(link.href)}" class="ent ent-{link.kind}" data-entity="{link.entity}"{title}>'
            f'{html}<span class="vh"> ({link.kind})</span></a>')


def template_problems(site_dir: Path) -> tuple[Problem, ...]:
    """Syntax errors of every HTML template a build could use, without rendering a page."""
    env = environment(site_dir)
    found = []
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".json", ".xml"))):
        try:
            env.get_template(name)
        except jinja2.TemplateError as err:
            found.append(template_problem(err))
    return tuple(found)
