"""The build cache: what earlier builds extracted and rendered, reused only when provably the same.

It lives in one file inside a folder the user may delete (``.sahel-cache/``).
The file starts with a digest of its contents, so a truncated or garbled cache
is noticed and ignored; every entry is keyed by a digest of everything its value
was computed from, including the generator's own code, so a stale entry is
never found. Rendered pages are not copied into the cache: the previous output
holds them, and the cache only says which file came from which inputs.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import jinja2
import jinja2.meta

from sahel_site.model import KnowledgeBase, Page, Processed
from sahel_site.problems import Problem

MAGIC = b"sahel-site cache 3\n"
FILE = "build.pickle"
DIGEST_SIZE = 32

Read = tuple[Processed | None, tuple[Problem, ...]]  # an article file's result and problems


@dataclass(slots=True)
class BuildCache:
    """Entries read from the cache folder, and the ones this build adds (written by ``save``)."""

    folder: Path | None
    articles: dict[str, Read] = field(default_factory=dict)  # key -> an article file as read
    pages: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # path -> (key, size, mtime_ns)
    output: str = ""  # the output folder the pages were written to


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


def load(folder: Path | None) -> BuildCache:
    """The cache in ``folder``, or an empty one when it is missing, damaged or from other code."""
    empty = BuildCache(folder)
    if folder is None:
        return empty
    try:
        with (folder / FILE).open("rb") as file:
            if file.read(len(MAGIC)) != MAGIC or file.read(DIGEST_SIZE * 2) != _body_digest(file):
                return empty
            file.seek(len(MAGIC) + DIGEST_SIZE * 2)
            return _entries(folder, file) or empty
    except OSError:
        return empty


def _body_digest(file: BinaryIO) -> bytes:
    """The digest of the rest of the file, read a block at a time: the file is never held whole."""
    h = hashlib.blake2b(digest_size=DIGEST_SIZE)
    while block := file.read(1 << 20):
        h.update(block)
    return h.hexdigest().encode("ascii")


def _entries(folder: Path, file: BinaryIO) -> BuildCache | None:
    """The body: a head, then each article entry as its own pickle."""
    try:
        code, pages, output, count = pickle.load(file)
        if code != code_digest() or not isinstance(pages, dict):
            return None
        articles = dict(pickle.load(file) for _ in range(count))
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the damage
        return None
    return BuildCache(folder, articles, pages, output)


def save(cache_: BuildCache) -> None:
    """Write the cache atomically: a build stopped half-way leaves the old file or none.

    Each article entry is pickled on its own: one pickle of them all would remember every
    object it wrote until the end, a second copy of the site's data in memory."""
    if cache_.folder is None:
        return
    cache_.folder.mkdir(parents=True, exist_ok=True)
    ignore = cache_.folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# the build cache of sahel-site: safe to delete\n*\n")
    fd, temp = tempfile.mkstemp(prefix=".build-", dir=cache_.folder)
    with os.fdopen(fd, "wb") as out:
        out.write(MAGIC + b"0" * DIGEST_SIZE * 2)  # the digest, once the body is written
        body = _Hashing(out)
        pickle.dump((code_digest(), cache_.pages, cache_.output, len(cache_.articles)), body,
                    protocol=pickle.HIGHEST_PROTOCOL)
        for entry in cache_.articles.items():
            pickle.dump(entry, body, protocol=pickle.HIGHEST_PROTOCOL)
        out.seek(len(MAGIC))
        out.write(body.hash.hexdigest().encode("ascii"))
    os.replace(temp, cache_.folder / FILE)


class _Hashing:
    """Hashes what is written through it: the cache body is streamed, never held twice in memory."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.hash = out, hashlib.blake2b(digest_size=DIGEST_SIZE)

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.out.write(data)


def knowledge_digest(kb: KnowledgeBase) -> str:
    return digest(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))


def article_key(shown: str, data: bytes, kb_digest: str, raw_html: bool = False) -> str:
    """An article as read depends on its file (path and bytes), the Markdown dialect, the knowledge
    base and the code."""
    return digest(code_digest().encode(), kb_digest.encode(), shown.encode(), data, b"html" if raw_html else b"text")


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


def templates_digest(env: jinja2.Environment, name: str) -> str:
    """A template and every template it extends, includes or imports, as found by Jinja."""
    seen: dict[str, bytes] = {}
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        source, _, _ = env.loader.get_source(env, current) if env.loader else ("", None, None)
        seen[current] = source.encode()
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError:
            continue  # rendering reports it with the template's file and line; its source is in the digest
        for referenced in jinja2.meta.find_referenced_templates(tree):
            if referenced is None:  # a name computed at render time: depend on every template
                return digest(*(env.loader.get_source(env, t)[0].encode() for t in sorted(env.list_templates())))
            pending.append(referenced)
    return digest(*(k.encode() + b"\0" + v for k, v in sorted(seen.items())))
