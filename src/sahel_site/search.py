"""The written site -> its full-text search index under pagefind/.

Pagefind indexes the elements the templates mark data-pagefind-body (an article's title and
text; an entity's name, description and other names), with the actor, state and theme filters
of their chips, into static files the browser searches itself: no server.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sahel_site.problems import Problem

BUNDLE = "pagefind"
# Words for screen readers only, such as the " (state)" after each entity link of an article: indexed, every
# article would match "state", and each excerpt would carry them.
UNINDEXED = ".vh"
SIGNATURE = b"pagefind_dcd"  # starts every decompressed Pagefind chunk, before its CBOR
# Begins every attribute Pagefind reads on an element; an element that has it otherwise (in another attribute's
# value) is copied too, which changes nothing: outside data-pagefind-body its text is not indexed.
MARK = b"data-pagefind-"
TAG_NAME = re.compile(rb"[A-Za-z][A-Za-z0-9-]*")
HTML_TAG = re.compile(rb"<html(?:\s[^>]*)?>", re.IGNORECASE)
VOID = frozenset({b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source",
                  b"track", b"wbr"})  # elements without an end tag
MEMORY = Path("/dev/shm")  # a file system in memory, on Linux
# An entity's link or mark in an article's text as render writes it, around the text it keeps: Pagefind
# indexes only that text (the kind in .vh is UNINDEXED), and the markup is half of an article's bytes.
ENTITY_MARKUP = re.compile(rb'<a href="[^"<>]*" class="ent ent-[a-z]+" data-entity="[^"<>]*"(?: title="[^"<>]*")?>'
                           rb'([^<]*)<span class="vh"> \([a-z]+\)</span></a>'
                           rb'|<span class="ent-m" data-entity="[^"<>]*">([^<]*)</span>')


def index_site(staged: Path, names: Iterable[str], folder: Path, language: str,
               glob: str = "**/*.html") -> tuple[Problem, ...]:
    """Index the pages among ``names`` that ``glob`` names, staged in ``staged`` (see ``staging``),
    into ``folder/pagefind``.

    This runs the Pagefind binary of the pagefind[bin] wheel. Its Python API drives the same
    binary as a service, but answers "written" while files are still being written and then
    stops the service, which cut files short now and then (one build in eight here); the
    command exits only when everything is on disk.

    Pagefind parses every byte of a page, though it reads only the marked elements: it is
    given each page cut down to those (``indexed_parts``), at the same path in the staging
    folder, so that every address stays the same; at 1,000 articles, 7.4 MB of 45.
    """
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        return (Problem(BUNDLE, 0, "the pagefind binary is missing: pip install 'pagefind[bin]', or build with"
                        " --no-search"),)
    site = _in_order(staged, [name for name in names if indexed(name, glob)])
    done = subprocess.run(_command(executable, site, folder / BUNDLE, language, glob),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no message"]
        return (Problem(BUNDLE, 0, f"the search index could not be built: {detail[0]} (build with --no-search"
                        " to skip it)"),)
    canonical_filters(folder / BUNDLE)
    entry = json.loads((folder / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    if not sum(lang["page_count"] for lang in entry["languages"].values()):
        return (Problem(BUNDLE, 0, "no page was marked for the search index (data-pagefind-body)", warning=True),)
    return ()


@contextmanager
def staging(size: int) -> Iterator[Path]:
    """A temporary folder for the pages cut down for Pagefind, about ``size`` bytes in all: the
    workers that write the pages stage them as they go, with no second reading of the site."""
    with tempfile.TemporaryDirectory(prefix="sahel-search-", dir=_scratch(size)) as temp:
        yield Path(temp, "cut")


def _in_order(staged: Path, names: list[str]) -> Path:
    """The staged pages moved into a folder beside ``staged``, in the order of their paths: Pagefind
    numbers the pages in the order it finds them, the order in which their folders were made, and
    the workers make them in any order."""
    site = staged.with_name("site")
    site.mkdir()
    for name in sorted(names, key=lambda n: n.split("/")):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        os.rename(staged / name, site / name)
    return site


def indexed(name: str, glob: str) -> bool:
    """Whether the page file ``name`` (relative to the site) is one that ``glob`` gives Pagefind."""
    return _pattern(glob).fullmatch(name) is not None


@functools.cache
def _pattern(glob: str) -> re.Pattern[str]:
    """A glob as a regular expression: ``*`` within a folder's name, ``**/`` any folders."""
    return re.compile("|".join(re.escape(g).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
                               for g in spelled_out(glob)))


def _command(executable: Path, site: Path, bundle: Path, language: str, glob: str) -> list[str]:
    code = re.match(r"[a-z]{2,3}\b", language.lower())  # Pagefind wants the ISO 639 code alone
    command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
    command += ["--force-language", code.group()] if code else []
    return command + ["--glob", glob, "--exclude-selectors", UNINDEXED]


def spelled_out(glob: str) -> list[str]:
    """A glob's ``{a,b}`` alternatives spelled out, for pathlib, which has none."""
    head, brace, rest = glob.partition("{")
    if not brace:
        return [glob]
    choices, _, tail = rest.partition("}")
    return [g for choice in choices.split(",") for g in spelled_out(head + choice + tail)]


def _scratch(size: int) -> str | None:
    """Where to stage pages of about ``size`` bytes in all: in memory when there is room (writing a
    thousand small files there costs a tenth of the CPU time it takes on disk: 0.06 s against
    0.3-0.6 s at 1,000 articles), else the system's temporary folder."""
    try:
        return str(MEMORY) if shutil.disk_usage(MEMORY).free > 2 * size else None
    except OSError:  # no such folder on this system
        return None


def indexed_parts(html: bytes) -> bytes:
    """The page cut down to what Pagefind reads of it: its html start tag (the language) and,
    whole and in order, each element with a data-pagefind- attribute (the text to index, the
    filters, the metadata, the parts to ignore), so that it indexes the same content; the
    entities' links and marks in them are left out around their text.

    Left whole: a page without a data-pagefind-body element (Pagefind reads all of its body
    when no page has one) or without an html element (it reads nothing of it then); one with
    an h1 or img outside the marked elements (the first h1 is the default title, the first
    img after it the default image), or without an h1 (the title is then the title element's)."""
    spans, start = _marked(html), HTML_TAG.search(html)
    if spans is None or start is None or b"data-pagefind-body" not in html:
        return html
    parts = b"\n".join([b"<!DOCTYPE html>", start.group(), b"<body>",
                        *(html[begin:end] for begin, end in spans), b"</body>", b"</html>", b""])
    complete = 0 < parts.count(b"<h1") == html.count(b"<h1") and parts.count(b"<img") == html.count(b"<img")
    return ENTITY_MARKUP.sub(rb"\1\2", parts) if complete else html


def _marked(html: bytes) -> list[tuple[int, int]] | None:
    """Where each outermost element with a data-pagefind- attribute begins and ends; None if
    one has no end."""
    spans, position = [], 0
    while (found := html.find(MARK, position)) != -1:
        begin = html.rfind(b"<", 0, found)
        name = TAG_NAME.match(html, begin + 1) if begin != -1 else None
        if name is None or html.find(b">", begin, found) != -1:  # the words in text, not in a start tag
            position = found + 1
            continue
        end = _element_end(html, name.group().lower(), begin)
        if end is None:
            return None
        spans.append((begin, end))
        position = end
    return spans


def _element_end(html: bytes, name: bytes, begin: int) -> int | None:
    """Where the element whose start tag is at ``begin`` ends: after its end tag, those of the
    same name inside it counted; after its start tag for a void element."""
    position = html.find(b">", begin) + 1
    depth = 0 if name in VOID else 1
    while depth:
        tag = _tags(name).search(html, position)
        if tag is None:
            return None
        depth += -1 if tag.group(1) else 1
        position = html.find(b">", tag.end() - 1) + 1
    return position


@functools.cache
def _tags(name: bytes) -> re.Pattern[bytes]:
    """The start and end tags of elements called ``name``."""
    return re.compile(rb"<(/?)" + re.escape(name) + rb"[\s/>]", re.IGNORECASE)


def canonical_filters(bundle: Path) -> None:
    """Give the same site the same bytes: Pagefind writes filters and their values in hash-map
    order, different on every run. Sort them, then name the chunks and the meta file that
    lists them after their new content, as Pagefind names them after theirs."""
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        data = sorted_items(gzip.decompress(path.read_bytes()), {1})
        renamed[path.stem] = _write_chunk(path, data, 7)
    for meta in sorted(bundle.glob("pagefind.*.pf_meta")):
        data = sorted_items(gzip.decompress(meta.read_bytes()), {3, 4})
        for old, new in renamed.items():
            data = data.replace(old.encode(), new.encode())
        old_hash = meta.stem.removeprefix("pagefind.")
        new_hash = _write_chunk(meta, data, 10)
        entry = bundle / "pagefind-entry.json"
        entry.write_text(entry.read_text(encoding="utf-8").replace(f'"{old_hash}"', f'"{new_hash}"'), encoding="utf-8")


def _write_chunk(path: Path, data: bytes, digits: int) -> str:
    """Replace ``path`` by ``data`` compressed, named ``<language>_<hash of data>``."""
    prefix, _, old = path.stem.rpartition(".")
    name = old.split("_")[0] + "_" + hashlib.sha256(data).hexdigest()[:digits]
    path.unlink()
    path.with_name(f"{prefix + '.' if prefix else ''}{name}{path.suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def sorted_items(data: bytes, elements: set[int]) -> bytes:
    """Sort the items of some elements of a chunk's top-level CBOR array.

    A filter chunk is [name, [[value, [page, …]], …]]: element 1 lists values. The meta file
    is [version, pages, index chunks, [[filter, chunk], …], [[sort, chunk], …], …]: elements
    3 and 4 list filters and sorts. The client looks each of them up by name, not position.
    """
    if not data.startswith(SIGNATURE):
        return data
    count, position = _head(data, len(SIGNATURE))
    parts = [data[:position]]
    for index in range(count):
        end = _skip(data, position)
        parts.append(_sorted_array(data[position:end]) if index in elements else data[position:end])
        position = end
    return b"".join(parts) + data[position:]


def _sorted_array(item: bytes) -> bytes:
    count, start = _head(item, 0)
    spans, position = [], start
    for _ in range(count):
        end = _skip(item, position)
        spans.append(item[position:end])
        position = end
    return item[:start] + b"".join(sorted(spans))


def _head(data: bytes, position: int) -> tuple[int, int]:
    """The argument of the CBOR item at ``position`` and where its content starts."""
    info = data[position] & 31
    if info < 24:
        return info, position + 1
    size = 1 << (info - 24)
    return int.from_bytes(data[position + 1:position + 1 + size], "big"), position + 1 + size


def _skip(data: bytes, position: int) -> int:
    """Where the CBOR item at ``position`` ends."""
    major = data[position] >> 5
    argument, position = _head(data, position)
    if major in (2, 3):
        return position + argument
    items = {4: argument, 5: 2 * argument, 6: 1}.get(major, 0)  # arrays, maps, tags
    for _ in range(items):
        position = _skip(data, position)
    return position
