"""The written site -> its full-text search index under pagefind/.

Pagefind indexes the elements the templates mark data-pagefind-body (an article's title and
text; an entity's name, description and other names), with the actor, state and theme filters
of their chips, into static files the browser searches itself: no server.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
from pathlib import Path

from sahel_site.problems import Problem

BUNDLE = "pagefind"
# Words for screen readers only, such as the " (state)" after each entity link of an article: indexed, every
# article would match "state", and each excerpt would carry them.
UNINDEXED = ".vh"
SIGNATURE = b"pagefind_dcd"  # starts every decompressed Pagefind chunk, before its CBOR


def index_site(folder: Path, language: str, glob: str = "**/*.html") -> tuple[Problem, ...]:
    """Index the pages written in ``folder`` (those ``glob`` names) into ``folder/pagefind``.

    This runs the Pagefind binary of the pagefind[bin] wheel on the folder. Its Python API
    drives the same binary as a service, but answers "written" while files are still being
    written and then stops the service, which cut files short now and then (one build in
    eight here); the command exits only when everything is on disk. Reading the pages back
    is one pass over the folder, faster than the API's one request per page.
    """
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        return (Problem(BUNDLE, 0, "the pagefind binary is missing: pip install 'pagefind[bin]', or build with"
                        " --no-search"),)
    code = re.match(r"[a-z]{2,3}\b", language.lower())  # Pagefind wants the ISO 639 code alone
    command = [str(executable), "--site", str(folder), "--output-path", str(folder / BUNDLE), "--silent"]
    command += ["--force-language", code.group()] if code else []
    command += ["--glob", glob]  # Pagefind reads every page it is given, marked for the index or not
    command += ["--exclude-selectors", UNINDEXED]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no message"]
        return (Problem(BUNDLE, 0, f"the search index could not be built: {detail[0]} (build with --no-search"
                        " to skip it)"),)
    canonical_filters(folder / BUNDLE)
    entry = json.loads((folder / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    if not sum(lang["page_count"] for lang in entry["languages"].values()):
        return (Problem(BUNDLE, 0, "no page was marked for the search index (data-pagefind-body)", warning=True),)
    return ()


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
