"""content/articles/**/*.md -> Article: front-matter, validation, body blocks."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from sahel_site.markup import MAX_NESTING, parse_body
from sahel_site.model import Article, ArticleText, Block, Segment
from sahel_site.problems import Problem
from sahel_site.textnorm import strip_accents
from sahel_site.yamlsource import Located, line_of, parse_yaml

OPTIONAL = {"summary", "authors", "tags", "slug", "draft", "source_url", "publisher", "license"}
REQUIRED = {"title", "date"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCK_OPENERS = {"paragraph_open", "heading_open", "th_open", "td_open"}


def slugify(text: str) -> str:
    """ASCII, lower case, hyphens: 'Assimi Goïta' -> 'assimi-goita'."""
    return "-".join(re.findall(r"[a-z0-9]+", strip_accents(text).lower()))


def find_articles(site_dir: Path) -> tuple[tuple[tuple[Path, str], ...], tuple[Problem, ...]]:
    """The article files, each with the path shown in messages; links out of the folder refused."""
    root = site_dir / "content" / "articles"
    real_root = root.resolve()
    inside: dict[str, bool] = {}  # each folder resolved once (by name: a Path hashes slowly); a file if a link
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for file in sorted(root.rglob("*.md")):
        shown = file.relative_to(site_dir).as_posix()
        folder = os.path.dirname(file)
        if folder not in inside:
            inside[folder] = Path(folder).resolve().is_relative_to(real_root)
        if not inside[folder] or (file.is_symlink() and not file.resolve().is_relative_to(real_root)):
            problems.append(Problem(shown, 0, "refused: a link to a file outside content/articles"))
        else:
            found.append((file, shown))
    return tuple(found), tuple(problems)


def parse_file(data: bytes, file: Path, shown: str, plain: bool = False,
               raw_html: bool = False) -> tuple[ArticleText | None, tuple[Problem, ...]]:
    """An article file's bytes -> the article (the file is read by the caller, which may cache by them).

    With ``plain``, a text without front-matter is taken as a bare article body.
    """
    text, problem = decode_text(data, shown)
    if problem:
        return None, (problem,)
    if plain and not text.startswith("---\n"):
        return parse_plain(text, shown, default_slug(file.stem) or "article")
    article, problems = parse_article(text, shown, default_slug(file.stem), raw_html)
    if article is None and plain:  # only the text is wanted: front-matter it cannot use is no reason to stop
        _, body, body_line, unclosed = split_front_matter(text, shown)
        body, body_line = (text, 1) if unclosed else (body, body_line)
        article, _ = parse_plain(body, shown, default_slug(file.stem) or "article", body_line)
        problems = tuple(replace(p, warning=True) for p in problems)
    return article, problems


def parse_plain(text: str, path: str, slug: str, first_line: int = 1) -> tuple[ArticleText, tuple[Problem, ...]]:
    """A news text pasted as it was published: no front-matter, often one paragraph per line."""
    body = text if "\n\n" in text.strip() else text.replace("\n", "\n\n")
    title = next((line.strip() for line in text.splitlines() if line.strip()), slug)[:200]
    fields = {"title": title, "date": dt.datetime(1970, 1, 1, tzinfo=dt.UTC), "summary": "", "authors": (),
              "tags": (), "draft": False, "source_url": "", "publisher": "", "license": "", "slug": slug}
    return _article(path, fields, body, first_line)


def select_articles(articles: list[Article], drafts: bool) -> tuple[tuple[Article, ...], tuple[Problem, ...]]:
    """The articles to publish, newest first; two with one slug are a problem."""
    chosen = [a for a in articles if drafts or not a.draft]
    problems = duplicate_slugs(chosen)
    chosen.sort(key=lambda a: (a.date, a.slug), reverse=True)
    return tuple(chosen), tuple(problems)


def decode_text(data: bytes, shown: str) -> tuple[str, Problem | None]:
    """UTF-8 (with or without BOM), LF line ends, NFC; control characters other than tab and line
    ends are refused, as they are in YAML: no HTML or XML page may carry them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return "", Problem(shown, line, f"not UTF-8: invalid byte at offset {err.start}")
    control = CONTROL.search(data)  # a byte below 0x80 is never part of a longer UTF-8 sequence
    if control:
        line = data.count(b"\n", 0, control.start()) + 1
        return "", Problem(shown, line, f"control character U+{control.group()[0]:04X} at byte offset"
                           f" {control.start()}: not text, remove it")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")), None


def default_slug(stem: str) -> str:
    return slugify(re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem))


def duplicate_slugs(articles: list[Article]) -> list[Problem]:
    seen: dict[str, str] = {}
    found = []
    for article in sorted(articles, key=lambda a: a.path):
        if article.slug in seen:
            message = f"slug '{article.slug}' is already used by {seen[article.slug]}"
            found.append(Problem(article.path, 1, message))
        seen.setdefault(article.slug, article.path)
    return found


def split_front_matter(text: str, path: str) -> tuple[str, str, int, tuple[Problem, ...]]:
    """Return (front-matter, body, line where the body starts, problems)."""
    if not text.startswith("---\n"):
        return "", "", 0, (Problem(path, 1, "missing front-matter: the file must start with '---'"),)
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if not end:
        return "", "", 0, (Problem(path, 1, "front-matter is not closed by a '---' line"),)
    front = text[4 : 4 + end.start()]
    body = text[4 + end.end() :].removeprefix("\n")
    return front, body, front.count("\n") + 3, ()


def parse_article(text: str, path: str, fallback_slug: str,
                  raw_html: bool = False) -> tuple[ArticleText | None, tuple[Problem, ...]]:
    front, body, body_line, problems = split_front_matter(text, path)
    if problems:
        return None, problems
    meta, problems = parse_yaml(front, path, first_line=2)
    if problems:
        return None, problems
    if not isinstance(meta, Located):
        return None, (Problem(path, 2, "front-matter must be a mapping of keys to values"),)
    fields, problems = validate_meta(meta, path, fallback_slug)
    if any(not p.warning for p in problems):
        return None, problems
    text, found = _article(path, fields, body, body_line, raw_html)
    return text, problems + found


def _article(path: str, fields: dict[str, Any], body: str, body_line: int,
             raw_html: bool = False) -> tuple[ArticleText, tuple[Problem, ...]]:
    parsed, dropped = parse_body(body, raw_html)
    tokens = tuple(parsed)
    problems = () if dropped is None else (Problem(path, body_line + dropped, "lists and quotes nested more than"
                                                   f" {MAX_NESTING} deep: the text from here on would be lost"),)
    blocks = body_blocks(tokens, body_line)
    summary = fields.pop("summary") or first_paragraph(blocks)
    words = len(re.findall(r"\w+", body))
    article = Article(path=path, summary=summary, words=words, lines=tuple(b.line for b in blocks), **fields)
    return ArticleText(article, tokens, blocks, raw_html), problems


def validate_meta(meta: Located, path: str, fallback_slug: str) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    found: list[Problem] = []

    def problem(key: str, message: str) -> None:
        found.append(Problem(path, line_of(meta, key), message))

    for key in sorted(REQUIRED - meta.keys()):
        problem("", f"missing required field '{key}'")
    for key in meta:
        if key not in REQUIRED | OPTIONAL:
            hint = _closest(str(key))
            found.append(Problem(path, line_of(meta, key), f"unknown field '{key}'" + hint, warning=True))
    fields: dict[str, Any] = {
        "title": _text(meta, "title", problem, required=True),
        "date": _date(meta, problem),
        "summary": _text(meta, "summary", problem),
        "authors": _text_list(meta, "authors", problem),
        "tags": _text_list(meta, "tags", problem),
        "draft": _flag(meta, "draft", problem),
        "source_url": _web_address(meta, "source_url", problem),
        "publisher": _text(meta, "publisher", problem),
        "license": _text(meta, "license", problem),
        "slug": _slug(meta, problem, fallback_slug),
    }
    return fields, tuple(found)


def _closest(key: str) -> str:
    match = difflib.get_close_matches(key, sorted(REQUIRED | OPTIONAL), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _text(meta: Located, key: str, problem: Any, required: bool = False) -> str:
    value = meta.get(key, "")
    if value is None or isinstance(value, (dict, list, bool)) or (required and key in meta and not str(value).strip()):
        problem(key, f"'{key}' must be a non-empty text")
        return ""
    return str(value).strip()


def _web_address(meta: Located, key: str, problem: Any) -> str:
    value = _text(meta, key, problem)
    if value and not re.match(r"https?://[^\s/]", value, re.IGNORECASE):
        problem(key, f"'{key}' must be an http:// or https:// address, not {value!r}")
        return ""
    return value


def _text_list(meta: Located, key: str, problem: Any) -> tuple[str, ...]:
    value = meta.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        problem(key, f"'{key}' must be a list of texts, like [Mali, Niger]")
        return ()
    return tuple(str(v).strip() for v in value if str(v).strip())


def _flag(meta: Located, key: str, problem: Any) -> bool:
    value = meta.get(key, False)
    if not isinstance(value, bool):
        problem(key, f"'{key}' must be true or false")
        return False
    return value


def _slug(meta: Located, problem: Any, fallback: str) -> str:
    value = meta.get("slug", fallback)
    if not value and "slug" not in meta:
        problem("slug", "the file name gives no slug (it has no ASCII letters or digits): add one, like 'slug: mali-election'")
        return fallback
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        problem("slug", f"'slug' must be lower-case ASCII words joined by hyphens, like 'mali-election', not {value!r}")
        return fallback
    return value


def _date(meta: Located, problem: Any) -> dt.datetime:
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        return _utc(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            return _utc(dt.datetime.fromisoformat(value.strip()))
        except ValueError:
            pass
    if "date" in meta:
        today = build_day().isoformat()
        problem("date", f"'date' must be a date like {today} or an ISO 8601 date-time, not {value!r}"
                f" (did you mean 'date: {today}'?)")
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def build_day() -> dt.date:
    """Today, unless SOURCE_DATE_EPOCH fixes the day, as for every reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def body_blocks(tokens: tuple[Any, ...], body_line: int) -> tuple[Block, ...]:
    """Number the body's text blocks and keep where each run of text came from."""
    blocks = []
    for i, token in enumerate(tokens):
        if token.type != "inline" or i == 0 or tokens[i - 1].type not in _BLOCK_OPENERS:
            continue
        text, segments = inline_text(token.children or [])
        line = body_line + (token.map[0] if token.map else 0)
        blocks.append(Block(index=len(blocks) + 1, token=i, line=line, text=text, segments=segments))
    return tuple(blocks)


def inline_text(children: list[Any]) -> tuple[str, tuple[Segment, ...]]:
    parts: list[str] = []
    segments: list[Segment] = []
    offset = 0
    in_link = 0
    for j, child in enumerate(children):
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        content = child.content if child.type in ("text", "code_inline") else ""
        if child.type in ("softbreak", "hardbreak"):
            content = " "
        if not content:
            continue
        if child.type == "text":
            segments.append(Segment(j, offset, offset + len(content), linkable=not in_link))
        parts.append(content)
        offset += len(content)
    return "".join(parts), tuple(segments)


def first_paragraph(blocks: tuple[Block, ...], limit: int = 240) -> str:
    text = next((b.text for b in blocks if b.text.strip()), "")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
