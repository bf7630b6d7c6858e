"""The build cache: what earlier builds extracted and rendered, reused only when provably the same.

It lives in a folder the user may delete (``.sahel-cache/``), one file per output
folder. The file starts with a digest of its contents, so a truncated or garbled
cache is noticed and ignored; every article entry is keyed by a digest of everything
its value was computed from, and the rest of the last build (its analysis, which
page group read which facts and wrote which files) is used only when the code, the
settings and the knowledge base are the same, so a stale entry is never trusted.
Rendered pages are not copied into the cache: the previous output holds them, and
the cache only says which file came from which inputs.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import jinja2
import jinja2.meta

from sahel_site.model import (
    Body,
    Evidence,
    Extraction,
    KnowledgeBase,
    Network,
    Page,
    Processed,
    SiteGraph,
)
from sahel_site.problems import Problem

MAGIC = b"sahel-site cache 4\n"
DIGEST_SIZE = 32

Read = tuple[Processed | None, tuple[Problem, ...]]  # an article file's result and problems
PageFile = tuple[str, int, int]  # what the cache remembers of a page's file: its key, size and modification time
Stamp = tuple[tuple[int, int, int, int, int], str]  # a file's device, inode, size, times; the digest of its bytes
SETTLED = 2.0  # seconds after its last change from which a file's status alone vouches for its bytes


@dataclass(frozen=True, slots=True)
class DataFile:
    """An open data file as the last build wrote it, and where each article's rows lie in it:
    a build after an edit copies the rows of the unchanged articles from it."""

    size: int
    mtime_ns: int
    keys: tuple[str, ...]  # each piece's article slug ("" for rows of no one article), in file order
    offsets: array  # the start and end in bytes of each piece: two integers per key

    def spans(self) -> dict[str, tuple[int, int]]:
        return {key: (self.offsets[2 * i], self.offsets[2 * i + 1]) for i, key in enumerate(self.keys) if key}


@dataclass(frozen=True, slots=True)
class Group:
    """A page group of the last build: the facts it read, its templates and the files it wrote."""

    facts: tuple[str, ...]  # a tuple, not a set: a third of the memory, and only ever read through
    templates: frozenset[str]
    files: tuple[str, ...]


@dataclass(slots=True)
class BuildCache:
    """The last build of one output folder, as read from the cache folder or kept by ``serve``."""

    folder: Path | None
    articles: dict[str, Read] = field(default_factory=dict)  # key -> an article file as read
    pages: dict[str, PageFile] = field(default_factory=dict)  # path -> its page's key, size and mtime_ns
    output: str = ""  # the output folder the pages were written to
    settings: str = ""  # digest of the code, site settings, options and knowledge base the build used
    graph: SiteGraph | None = None
    bodies: dict[str, Body] = field(default_factory=dict)  # rendered article bodies by slug
    network: Network | None = None
    groups: dict[str, Group] = field(default_factory=dict)  # by group id
    others: tuple[str, ...] = ()  # the output's files that are no page: static files, data, sitemap
    templates: dict[str, str] = field(default_factory=dict)  # name -> digest of it and what it includes
    parsed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source digest -> templates it names
    kb: KnowledgeBase | None = None  # the knowledge base the pages were made with
    data: dict[str, DataFile] = field(default_factory=dict)  # the open data files by name
    stamps: dict[str, Stamp] = field(default_factory=dict)  # article files' status and digest, by shown path

    def usable(self, out_dir: Path, settings: str) -> bool:
        """Whether this is the last build of ``out_dir`` with the same settings."""
        return self.graph is not None and self.output == str(out_dir.resolve()) and self.settings == settings


def digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


@cache
def code_digest() -> str:
    """The generator's own source: a changed generator never trusts an old cache."""
    package = Path(__file__).parent
    return digest(*(p.read_bytes() for p in sorted(package.rglob("*.py"))))


def file_of(folder: Path, out_dir: Path) -> Path:
    """The cache file of builds into ``out_dir``: build and serve write to different folders."""
    return folder / f"build-{digest(str(out_dir.resolve()).encode())[:16]}.pickle"


def load(folder: Path | None, out_dir: Path) -> BuildCache:
    """The cache in ``folder``, or an empty one when it is missing, damaged or from other code."""
    empty = BuildCache(folder)
    if folder is None:
        return empty
    try:
        with file_of(folder, out_dir).open("rb") as file:
            if file.read(len(MAGIC)) != MAGIC or file.read(DIGEST_SIZE * 2) != _body_digest(file):
                return empty
            file.seek(len(MAGIC) + DIGEST_SIZE * 2)
            gc.disable()  # millions of new objects, none garbage: each collection would walk them all
            try:
                loaded = _entries(folder, file)
            finally:
                gc.enable()
    except OSError:
        return empty
    # The cache lives as long as the build, which makes many more objects: moved out of the
    # collector's sight, it is not walked again at each collection they trigger (0.4 s at 1,000 articles).
    gc.freeze()
    return loaded or empty


def _body_digest(file: BinaryIO) -> bytes:
    """The digest of the rest of the file, read a block at a time: the file is never held whole."""
    h = hashlib.blake2b(digest_size=DIGEST_SIZE)
    while block := file.read(1 << 20):
        h.update(block)
    return h.hexdigest().encode("ascii")


def _entries(folder: Path, file: BinaryIO) -> BuildCache | None:
    """The body: a head, then the article entries in runs (each a pickle of a list of them) and
    each entity's stats as its own pickle."""
    try:
        code, head, order, related, counts = pickle.load(file)
        if code != code_digest() or not isinstance(head, BuildCache):
            return None
        head.articles = {key: read for _ in range(counts[0]) for key, read in pickle.load(file)}
        chosen = {slug: head.articles[key][0] for slug, key in order}
        quoted = {slug: p.extraction for slug, p in chosen.items()}
        stats = dict(_StatsUnpickler(file, quoted).load() for _ in range(counts[1]))  # one each, as pickled
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the damage
        return None
    if order and not all(isinstance(p, Processed) for p in chosen.values()):
        return None
    head.folder = folder
    if order or related:
        head.graph = SiteGraph(tuple(p.article for p in chosen.values()),
                               {s: p.extraction for s, p in chosen.items()}, stats, related)
        head.bodies = {s: p.body for s, p in chosen.items()}
    return head


def forget(folder: Path | None, out_dir: Path) -> None:
    """Remove the cache of ``out_dir`` before its files change in place: a build stopped while
    changing them leaves no cache that describes the old files."""
    if folder is not None:
        file_of(folder, out_dir).unlink(missing_ok=True)


class Spool:
    """Article entries as the workers that read them pickled them to send them back, a run of
    them at a time, kept in an unnamed temporary file until the cache is saved: saving copies
    them rather than pickling them again (two thirds of its time), and they are not held in
    memory meanwhile."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.keys: set[str] = set()
        self.runs = 0

    def add(self, run: bytes) -> list[tuple[str, Read]]:
        """Entries pickled together by ``pickled``, kept, and unpickled for the build."""
        self.file.write(run)
        self.runs += 1
        entries = pickle.loads(run)
        self.keys.update(key for key, _ in entries)
        return entries

    def copy(self, out: BinaryIO) -> None:
        self.file.seek(0)
        while block := self.file.read(1 << 20):
            out.write(block)


@contextmanager
def spooling(folder: Path | None) -> Iterator[Spool | None]:
    """A spool for a build whose cache is saved in ``folder``, while the build runs; None without one."""
    if folder is None:
        yield None
        return
    with tempfile.TemporaryFile() as file:
        yield Spool(file)


def pickled(entries: list[tuple[str, Read]]) -> bytes:
    """A run of article entries (each a key and what its file gave) as the cache file holds it:
    what they share (the knowledge base's ids, for one) is kept once."""
    return pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)


def save(cache_: BuildCache, spool: Spool | None = None) -> None:
    """Write the cache atomically: a build stopped half-way leaves the old file or none.

    Each run of article entries and each entity's stats is pickled on its own: one pickle of them
    all would remember every object it wrote until the end, a second copy of the site's data in
    memory. The analysis is kept as its stats and related articles, the articles by their key.
    The entries in ``spool``, all of them entries of ``cache_``, are copied from it; each other
    entry is a run of its own."""
    if cache_.folder is None or not cache_.output:
        return
    cache_.folder.mkdir(parents=True, exist_ok=True)
    ignore = cache_.folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# the build cache of sahel-site: safe to delete\n*\n")
    graph = cache_.graph or SiteGraph((), {}, {}, {})
    keys = {id(p.article): key for key, (p, _) in cache_.articles.items() if p is not None}
    order = [(a.slug, keys[id(a)]) for a in graph.articles]
    head = replace(cache_, folder=None, articles={}, graph=None, bodies={})
    fd, temp = tempfile.mkstemp(prefix=".build-", dir=cache_.folder)
    with os.fdopen(fd, "wb") as out:
        out.write(MAGIC + b"0" * DIGEST_SIZE * 2)  # the digest, once the body is written
        body = _Hashing(out)
        rest = [entry for entry in cache_.articles.items() if not spool or entry[0] not in spool.keys]
        runs = len(rest) + (spool.runs if spool else 0)
        pickle.dump((code_digest(), head, order, graph.related, (runs, len(graph.stats))), body,
                    protocol=pickle.HIGHEST_PROTOCOL)
        if spool:
            spool.copy(body)
        for entry in rest:
            body.write(pickled([entry]))
        for entry in graph.stats.items():
            _StatsPickler(body, protocol=pickle.HIGHEST_PROTOCOL).dump(entry)
        out.seek(len(MAGIC))
        out.write(body.hash.hexdigest().encode("ascii"))
    os.replace(temp, file_of(cache_.folder, Path(cache_.output)))


class _StatsPickler(pickle.Pickler):
    """An entity's stats with each quoted sentence kept as its place in the article, whose entry
    holds the text already: a third of the file less, and one string in memory once loaded."""

    def persistent_id(self, obj: Any) -> tuple[str, int, int, int, int] | None:
        if type(obj) is Evidence:
            return obj.article, obj.block, obj.index, obj.start, obj.end
        return None


class _StatsUnpickler(pickle.Unpickler):
    """Reads what ``_StatsPickler`` wrote, each quote's sentence taken from its article's extraction."""

    def __init__(self, file: BinaryIO, extractions: dict[str, Extraction]) -> None:
        super().__init__(file)
        self.extractions = extractions

    def persistent_load(self, pid: tuple[str, int, int, int, int]) -> Evidence:
        article, block, index, start, end = pid
        return Evidence(article, block, self.extractions[article].sentences[index].text, start, end, index)


class _Hashing:
    """Hashes what is written through it: the cache body is streamed, never held twice in memory."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.hash = out, hashlib.blake2b(digest_size=DIGEST_SIZE)

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.out.write(data)


def knowledge_digest(kb: KnowledgeBase) -> str:
    return digest(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))


def article_key(shown: str, data_digest: str, kb_digest: str, raw_html: bool = False) -> str:
    """An article as read depends on its file (path and the digest of its bytes), the Markdown
    dialect, the knowledge base and the code."""
    return digest(code_digest().encode(), kb_digest.encode(), shown.encode(), data_digest.encode(),
                  b"html" if raw_html else b"text")


def file_digest(file: Path, shown: str, known: dict[str, Stamp], stamps: dict[str, Stamp]) -> str:
    """The digest of a file's bytes, not read again while its status is the one ``known`` holds
    (a former build's ``stamps``); what is found is noted in ``stamps``.

    The status includes the change time, which no program can set back (unlike the modification
    time), and is noted only once the file was left alone for SETTLED seconds: a change within
    the same tick of the file system's clock would leave the status as it was."""
    status = os.stat(file)
    stamp = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    old = known.get(shown)
    if old is not None and old[0] == stamp:
        stamps[shown] = old
        return old[1]
    found = digest(file.read_bytes())
    if time.time_ns() - status.st_ctime_ns > SETTLED * 1_000_000_000:
        stamps[shown] = (stamp, found)
    return found


class _PageFingerprint(pickle.Pickler):
    """Pickles a page's inputs for hashing, sets in a fixed order."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (set, frozenset)):  # set order changes from one process to the next
            return (frozenset, (sorted(obj, key=repr),))
        return NotImplemented


def page_key(page: Page, templates_digest: str) -> str:
    """A rendered page depends on its template (with what it includes), its context and the code."""
    buffer = io.BytesIO()
    _PageFingerprint(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((page.url, page.template, page.context))
    return digest(code_digest().encode(), templates_digest.encode(), buffer.getvalue())


def template_digests(env: jinja2.Environment, names: Iterable[str], parsed: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The digest of each template in ``names``: its source and those of the templates it extends,
    includes or imports, as found by Jinja. ``parsed`` remembers the templates each source names,
    so that only a changed source is parsed again."""
    sources: dict[str, bytes] = {}
    named: dict[str, tuple[str, ...]] = {}

    def reach(name: str) -> set[str]:
        seen, pending = set(), [name]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            if current not in sources:
                source = _source(env, current)
                sources[current] = source.encode()
                key = digest(sources[current])
                if key not in parsed:
                    parsed[key] = _referenced(env, source)
                named[current] = parsed[key]
            pending += named[current]
        return seen

    found = {}
    for name in names:
        reached = reach(name)
        if any(DYNAMIC in named[n] for n in reached):  # a name computed at render time: every template counts
            reached = {n for n in env.list_templates() if not n.startswith("static/")}
            for n in reached:
                reach(n)
        found[name] = digest(*(n.encode() + b"\0" + sources[n] for n in sorted(reached)))
    return found


DYNAMIC = "\0"  # stands for a template named at render time


def _source(env: jinja2.Environment, name: str) -> str:
    try:
        return env.loader.get_source(env, name)[0] if env.loader else ""
    except (jinja2.TemplateNotFound, UnicodeDecodeError):
        return ""  # rendering reports it where it is used


def _referenced(env: jinja2.Environment, source: str) -> tuple[str, ...]:
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return ()  # rendering reports it with the template's file and line; its source is in the digest
    found = list(jinja2.meta.find_referenced_templates(tree))
    return tuple(sorted(DYNAMIC if n is None else n for n in set(found)))
