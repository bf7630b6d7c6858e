"""build(): the pipeline as a checklist, from content/ to the output folder."""

from __future__ import annotations

import gc
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from sahel_site import (
    analysis,
    cache,
    config,
    content,
    extract,
    knowledge,
    links,
    markup,
    network,
    opendata,
    output,
    pages,
    render,
    review,
    scaffold,
    search,
    workers,
)
from sahel_site.model import (
    Article,
    Body,
    Extraction,
    KnowledgeBase,
    Page,
    Processed,
    SiteConfig,
    SiteGraph,
)
from sahel_site.problems import BuildFailed, Problem, errors

if TYPE_CHECKING:
    import jinja2

T = TypeVar("T")
CACHE_DIR = Path(".sahel-cache")
TEXTS = {".md", ".markdown", ".txt"}  # the files ``extract`` reads in a folder it is given
# Told (stage, items done, items in the stage) as a long build goes: "extract" counts the
# articles to extract, "render" the pages to render.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildReport:
    pages: int
    articles: int
    seconds: float
    out_dir: Path
    warnings: tuple[Problem, ...]
    groups: int = 0  # page groups: an article's page, an entity's pages, a feed …
    remade: int = 0  # the groups made again, their inputs having changed since the last build


@dataclass(frozen=True, slots=True)
class Options:
    drafts: bool = False
    base_url: str | None = None
    jobs: int | None = None
    search_index: bool = True


def build(site_dir: Path, out_dir: Path, *, drafts: bool = False, base_url: str | None = None,
          jobs: int | None = None, cache_dir: Path | None = CACHE_DIR,
          progress: Progress | None = None, search_index: bool = True) -> BuildReport:
    """Build the site; ``jobs`` worker processes (default: every core, for a big enough site).

    ``cache_dir`` (relative to the site; None for none) keeps what each article file gave
    and what the last build of ``out_dir`` made from what, so the next build redoes only what
    changed. ``search_index`` False leaves out the full-text search index.
    """
    folder = None if cache_dir is None else site_dir / cache_dir
    options = Options(drafts, base_url, jobs, search_index)
    try:
        return rebuild(site_dir, out_dir, cache.load(folder, out_dir), options, progress)[0]
    finally:
        output.settle()


def rebuild(site_dir: Path, out_dir: Path, previous: cache.BuildCache, options: Options,
            progress: Progress | None = None) -> tuple[BuildReport, cache.BuildCache]:
    """A build that redoes only what changed since ``previous`` (read from the cache folder, or
    kept by ``serve``); returns its report and what it leaves for the next build, also saved in
    the cache folder that ``previous`` names (``serve`` names none: it saves when it stops)."""
    started = time.perf_counter()
    site, found = config.load_config(site_dir, options.base_url)
    kb, found_kb = knowledge.load_knowledge(site_dir)
    sources, found_sources = content.find_articles(site_dir)
    static, found_static = output.find_static(site_dir, static_dirs(site_dir))
    with cache.spooling(previous.folder) as spool:
        with kept_whole():
            read = read_articles(sources, kb, options.drafts, options.jobs, previous, progress,
                                 raw_html=bool(site and site.raw_html), spool=spool)
        problems = found + found_kb + found_sources + found_static + read.problems
        target = output.check_target(out_dir, site_dir)
        if target:
            problems += (target,)
        if errors(problems) or site is None:
            raise BuildFailed(problems)
        with output.locked(out_dir):  # from here on, the only build writing out_dir or its cache
            state, found_written, remade = write_site(site_dir, out_dir, Inputs(site, kb, read, static, options),
                                                      previous, progress)
            cache.save(state, spool)
    html = sum(1 for name in state.pages if name.endswith(".html"))
    return (BuildReport(html, len(read.articles), time.perf_counter() - started, out_dir, problems + found_written,
                        len(state.groups), remade), state)


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a build has read and checked before it writes."""

    site: SiteConfig
    kb: KnowledgeBase
    read: ReadArticles
    static: dict[str, Path]  # the static files by their name under static/
    options: Options

    def settings(self) -> str:
        """What every page may depend on: a change to it remakes every page group. Not the
        knowledge base: pages note which of its entries they read (see pages.kb_facts)."""
        return cache.digest(cache.code_digest().encode(), pickle.dumps(self.site),
                            f"{self.options.drafts} {self.options.search_index}".encode())


def write_site(site_dir: Path, out_dir: Path, inputs: Inputs, previous: cache.BuildCache,
               progress: Progress | None = None) -> tuple[cache.BuildCache, tuple[Problem, ...], int]:
    """Analyse, then make the page groups whose facts, templates or files changed; in place when
    the output is the last build's and no search index is made, else in a new folder swapped in."""
    settings, read, options = inputs.settings(), inputs.read, inputs.options
    same = previous.usable(out_dir, settings)
    with kept_whole():
        graph = analysis.revise(previous.graph, read.articles, read.extractions) if same and previous.graph \
            else analysis.analyse(read.articles, read.extractions, inputs.kb)
        drawing = network.layout_network(graph, inputs.kb, previous.network if same else None)
    env = render.environment(site_dir, previous.folder)
    reads: set[str] = set()
    groups = pages.make_pages(graph, inputs.kb, inputs.site, drawing, read.bodies, search=options.search_index,
                              reads=reads)
    digests = cache.template_digests(env, {t for g in previous.groups.values() for t in g.templates}, previous.parsed)
    changed = pages.changed_facts(previous.graph, graph, previous.bodies, read.bodies, previous.network, drawing) \
        | pages.kb_facts(previous.kb, inputs.kb) if same and previous.graph and previous.network and previous.kb \
        else None
    dirty = dirty_groups(groups, previous, out_dir, digests, changed)
    in_place = previous.output == str(out_dir.resolve()) and not options.search_index \
        and (out_dir / output.MARKER).is_file()
    jobs = workers.default_jobs(len(dirty)) if options.jobs is None else options.jobs
    # An article's rows show its entities' kinds and its themes' names: any change to the knowledge
    # base's entries makes every row again.
    unchanged = (lambda slug: f"article:{slug}" not in changed and f"extraction:{slug}" not in changed) \
        if changed is not None and changed.isdisjoint({"kb:e:*", "kb:t:*"}) else (lambda slug: False)
    with output.changes(out_dir) if in_place else output.staging(out_dir) as folder, \
            search.staging(search_size(read.bodies)) if options.search_index else nullcontext() as staged:
        how = Written(reads, digests, in_place, staged)
        others = write_assets(inputs.static, folder)
        tables = partial(write_data, graph, inputs.kb, inputs.site, folder, OldData(out_dir, previous.data, unchanged))
        made, problems, (published, data) = write_pages({g: groups[g] for g in groups if g in dirty}, tables, env,
                                                        jobs, previous, out_dir, folder, how, progress)
        if problems:
            raise BuildFailed(problems)
        kept = {g: previous.groups[g] for g in groups if g not in dirty}
        files = {name: previous.pages[name] for group in kept.values() for name in group.files}
        if not in_place:
            for name in files:
                output.keep_file(out_dir, folder, name)
                stage_for_search(how, folder, name)
        files |= {name: page for _, _, written in made.values() for name, page in written}
        others += published + write_sitemap(graph, inputs.kb, inputs.site, env, files, folder)
        found = search_problems(staged, files, folder, inputs.site)
        if in_place:
            cache.forget(previous.folder, out_dir)
            output.apply(folder, out_dir, (previous.pages.keys() | set(previous.others)) - files.keys() - set(others))
    groups_now = kept | {g: cache.Group(facts, templates, tuple(n for n, _ in written))
                         for g, (facts, templates, written) in made.items()}
    used = {t for g in groups_now.values() for t in g.templates}
    return cache.BuildCache(previous.folder, read.by_key, files, str(out_dir.resolve()), settings, graph,
                            read.bodies, drawing, groups_now, tuple(others),
                            cache.template_digests(env, used, previous.parsed), previous.parsed, inputs.kb, data,
                            read.stamps), found, len(dirty)


def dirty_groups(groups: Mapping[str, pages.PageGroup], previous: cache.BuildCache, out_dir: Path,
                 digests: dict[str, str], changed: set[str] | None) -> set[str]:
    """The page groups to make again: new ones, those that read a changed fact or use a changed
    template, and those whose files were changed by hand; all when ``changed`` is None (settings
    changed, or no last build to compare with)."""
    if changed is None:
        return set(groups)
    stale = {t for t, d in digests.items() if previous.templates.get(t) != d}
    touched = {name for name, page in previous.pages.items() if not _untouched(out_dir, name, page)}
    dirty = set()
    for name in groups:
        group = previous.groups.get(name)
        if group is None or not changed.isdisjoint(group.facts) or not stale.isdisjoint(group.templates) \
                or not touched.isdisjoint(group.files):
            dirty.add(name)
    return dirty


@contextmanager
def kept_whole() -> Iterator[None]:
    """A stage whose objects live as long as the build, none of them in a reference cycle: what the
    articles gave, and the analysis. The cyclic collector stays out of it (and out of the workers
    forked in it), then out of sight of what it made: each collection would walk it all again, in
    the main process and in the page workers forked from it. At 1,000 articles, reading costs 8%
    less CPU time, and the main process's serial stretch after it 0.8 s -> 0.55 s."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class ReadArticles:
    articles: tuple[Article, ...]  # to publish, newest first
    extractions: dict[str, Extraction]  # by slug
    bodies: dict[str, Body]  # by slug
    problems: tuple[Problem, ...]
    by_key: dict[str, cache.Read]  # every file's result by cache key, for the next build
    stamps: dict[str, cache.Stamp]  # the files' status and digest, for the next build


def read_articles(sources: tuple[tuple[Path, str], ...], kb: KnowledgeBase, drafts: bool, jobs: int | None,
                  previous: cache.BuildCache, progress: Progress | None = None, raw_html: bool = False,
                  spool: cache.Spool | None = None) -> ReadArticles:
    """Parse, extract and render each article file in workers; files unchanged since the cache are not.
    With a ``spool``, the workers send the entries pickled as the cache keeps them.

    Files are read here only to find their keys, and not at all while their status is what the
    last build saw (see ``cache.file_digest``): the workers read what they work on again, so no
    process holds every file at once."""
    kb_digest, stamps = cache.knowledge_digest(kb), {}
    keys = [cache.article_key(shown, cache.file_digest(file, shown, previous.stamps, stamps), kb_digest, raw_html)
            for file, shown in sources]
    missing = [source for source, key in zip(sources, keys, strict=True) if key not in previous.articles]
    matcher = extract.compile_matcher(kb) if missing else None  # serve's usual build extracts one file or none

    def read_part(part: Sequence[tuple[Path, str]]) -> bytes | list[tuple[str, cache.Read]]:
        done = [read_file(f, shown, kb, kb_digest, matcher, raw_html) for f, shown in part]
        return cache.pickled(done) if spool else done

    chunks = workers.map_chunks(read_part, missing, workers.default_jobs(len(missing)) if jobs is None else jobs,
                                _stage(progress, "extract", len(missing)))
    fresh = (done for chunk in chunks for done in (spool.add(chunk) if spool else chunk))
    by_key: dict[str, cache.Read] = {}
    for key in keys:
        if key in previous.articles:
            by_key[key] = previous.articles[key]
        else:  # under the key of what the worker read: the file may have been edited meanwhile
            fresh_key, by_key[fresh_key] = next(fresh)
    results = list(by_key.values())
    found = [p for p, _ in results if p is not None]
    articles, duplicates = content.select_articles([p.article for p in found], drafts)
    chosen = {a.path for a in articles}  # not by slug: a left-out draft may share one
    return ReadArticles(articles, {p.article.slug: p.extraction for p in found if p.article.path in chosen},
                        {p.article.slug: p.body for p in found if p.article.path in chosen},
                        tuple(p for _, problems in results for p in problems) + duplicates, by_key, stamps)


def read_file(file: Path, shown: str, kb: KnowledgeBase, kb_digest: str, matcher: extract.Matcher,
              raw_html: bool = False) -> tuple[str, cache.Read]:
    """One article file read, with its cache key."""
    data = file.read_bytes()
    return cache.article_key(shown, cache.digest(data), kb_digest, raw_html), \
        read_article(file, shown, data, kb, matcher, raw_html)


def read_article(file: Path, shown: str, data: bytes, kb: KnowledgeBase, matcher: extract.Matcher,
                 raw_html: bool = False) -> cache.Read:
    """One article file, parsed, extracted and its body rendered; the tokens stay here."""
    text, problems = content.parse_file(data, file, shown, raw_html=raw_html)
    if text is None:
        return None, problems
    extraction = extract.extract(text, matcher)
    html = render.render_body(text, pages.body_links(extraction, kb))
    return Processed(text.article, extraction, Body.of(html)), problems


def static_dirs(site_dir: Path) -> list[Path]:
    return [d / "static" for d in render.template_dirs(site_dir) if (d / "static").is_dir()]


def write_assets(static: dict[str, Path], folder: Path) -> list[str]:
    """The theme's and the site's static files, and the code highlighting style; returns their names."""
    output.copy_static(folder, static)
    output.write_file(folder, "static/css/pygments.css", markup.pygments_css().encode())
    return sorted({f"static/{name}" for name in static} | {"static/css/pygments.css"})


@dataclass(frozen=True, slots=True)
class OldData:
    """The open data files of the last build of the output folder, and whose rows are the same now."""

    out_dir: Path
    files: dict[str, cache.DataFile]
    unchanged: Callable[[str], bool]  # whether an article's rows are as the last build wrote them


def write_data(graph: SiteGraph, kb: KnowledgeBase, site: SiteConfig, folder: Path,
               old: OldData) -> tuple[list[str], dict[str, cache.DataFile]]:
    """The open data files; returns their names, and where each article's rows lie in them."""
    names, tables = [], {}
    for table in opendata.data_files(graph, kb, site, pages.url_of):
        tables |= write_table(folder, table, old)
        names += table.names
    return names, tables


def write_sitemap(graph: SiteGraph, kb: KnowledgeBase, site: SiteConfig, env: jinja2.Environment,
                  files: dict[str, PageFile], folder: Path) -> list[str]:
    """The sitemap of the pages written, and robots.txt; returns their names."""
    names = []
    for page in pages.sitemap_pages(site, kb, graph, files):
        data, problem = render.render_file(page, env)
        if problem:
            raise BuildFailed([problem])
        names.append(render.page_path(page))
        output.write_file(folder, names[-1], data)
    return names


def write_table(folder: Path, table: opendata.DataTable, old: OldData) -> dict[str, cache.DataFile]:
    """A table's JSON and CSV files, side by side, a piece of rows at a time: never held whole.
    An unchanged article's rows are copied from the last build's files, when those are as it
    left them."""
    before = [_data_file(old, name) for name in table.names]
    placed = [last.spans() if last else {} for last in before]
    with ExitStack() as stack:
        files = [output.PieceFile(folder, name, separator.encode(),
                                  stack.enter_context((old.out_dir / name).open("rb")) if last else None)
                 for name, separator, last in zip(table.names, opendata.SEPARATORS, before, strict=True)]
        for file, head in zip(files, table.heads):
            file.write(head.encode())
        for key, make in table.pieces:
            spans = [where.get(key) for where in placed]
            if key and None not in spans and old.unchanged(key):
                for file, (start, end) in zip(files, spans):
                    file.copy(key, start, end)
            else:
                for file, text in zip(files, make()):
                    file.piece(key, text.encode())
        for file, tail in zip(files, table.tails):
            file.write(tail.encode())
        stats = [file.close() for file in files]
    return {name: cache.DataFile(stat.st_size, stat.st_mtime_ns, tuple(file.keys), file.offsets)
            for name, stat, file in zip(table.names, stats, files)}


def _data_file(old: OldData, name: str) -> cache.DataFile | None:
    """The last build's data file ``name``, if still as that build left it."""
    last = old.files.get(name)
    try:
        stat = (old.out_dir / name).stat()
    except OSError:
        return None
    return last if last is not None and (stat.st_size, stat.st_mtime_ns) == (last.size, last.mtime_ns) else None


def search_size(bodies: Mapping[str, Body]) -> int:
    """About the bytes of the pages cut down for the search index, mostly the articles' bodies:
    twice their packed size twice over (an article's cut page is 2.0 times its packed body at
    1,000 articles; the other pages' are under a fiftieth of the total)."""
    return 4 * sum(len(body.packed) for body in bodies.values())


def search_problems(staged: Path | None, files: Iterable[str], folder: Path, site: SiteConfig) -> tuple[Problem, ...]:
    """The search index of the pages staged for it, if any (a failed index fails the build, and the
    old site stays)."""
    found = search.index_site(staged, files, folder, site.language, pages.SEARCH_GLOB) if staged else ()
    if errors(found):
        raise BuildFailed(found)
    return found


PageFile = cache.PageFile
Made = tuple[tuple[str, ...], frozenset[str], list[tuple[str, PageFile]]]  # a group's facts, templates and files


@dataclass(frozen=True, slots=True)
class Written:
    """How a worker writes pages: the facts it collects, template digests as met, whether an
    unchanged page stays where it is (in place) or is linked into the new folder, and where the
    pages of the search index are staged for it (None: no index)."""

    reads: set[str]
    digests: dict[str, str]
    in_place: bool
    staged: Path | None = None


DATA = ""  # stands for the open data among the page groups: no group has this id


def write_pages(groups: Mapping[str, pages.PageGroup], data: Callable[[], T], env: jinja2.Environment, jobs: int,
                previous: cache.BuildCache, out_dir: Path, folder: Path, how: Written,
                progress: Progress | None = None) -> tuple[dict[str, Made], tuple[Problem, ...], T]:
    """Each worker makes its share of the page groups and writes their pages into ``folder`` at
    once, or keeps a page's file from the previous output when its inputs are unchanged; one of
    them makes the open data (``data``) too, first, beside the others' pages rather than after.

    Returns what each group was made from and wrote, the problems in page order, as one process
    would, and what ``data`` returned."""
    same_output = previous.output == str(out_dir.resolve())

    def write_group(part: list[str]) -> list[tuple[str, Any]]:
        done: list[tuple[str, Any]] = []
        for name in part:
            if name == DATA:
                done.append((DATA, data()))
                continue
            how.reads.clear()
            templates, written = set(), []
            for page in groups[name]():
                templates.add(page.template)
                written.append(write_page(page, env, how, previous if same_output else None, out_dir, folder))
            problems = [p for _, p in written if isinstance(p, Problem)]
            facts = tuple(map(sys.intern, how.reads))  # one string each in memory and in the cache
            done += [(name, p) for p in problems] or [(name, (facts, frozenset(templates), written))]
        return done

    made: dict[str, Made] = {}
    problems: dict[tuple[str, int, str], Problem] = {}
    for name, done in chain.from_iterable(workers.map_chunks(write_group, [DATA, *groups], jobs,
                                                             _stage(progress, "render", len(groups) + 1))):
        if name == DATA:
            written_data = done
        elif isinstance(done, Problem):
            problems.setdefault((done.path, done.line, done.message), done)
        else:  # one string for each fact: each worker's result holds its own copy of the facts it names
            facts, templates, written = done
            made[name] = tuple(map(sys.intern, facts)), templates, written
    return made, tuple(problems.values()), written_data


def write_page(page: Page, env: jinja2.Environment, how: Written, previous: cache.BuildCache | None,
               out_dir: Path, folder: Path) -> tuple[str, PageFile | Problem]:
    if page.template not in how.digests:
        how.digests.update(cache.template_digests(env, [page.template], previous.parsed if previous else {}))
    name, key = render.page_path(page), cache.page_key(page, how.digests[page.template])
    before = previous.pages.get(name) if previous is not None else None
    if before is not None and before[0] == key and _untouched(out_dir, name, before):
        if how.in_place:
            return name, before
        stat = output.keep_file(out_dir, folder, name)
        stage_for_search(how, folder, name)
    else:
        data, problem = render.render_file(page, env)
        if problem:
            return name, problem
        stat = output.write_file(folder, name, data)
        stage_for_search(how, folder, name, data)
    return name, (key, stat.st_size, stat.st_mtime_ns)  # still true after the swap or move: a rename changes neither


def stage_for_search(how: Written, folder: Path, name: str, data: bytes | None = None) -> None:
    """A page the search index reads, cut down for it into its staging folder as soon as the page
    is in ``folder``: ``data`` when just rendered, else read from its file."""
    if how.staged is not None and search.indexed(name, pages.SEARCH_GLOB):
        output.write_file(how.staged, name, search.indexed_parts((folder / name).read_bytes() if data is None else data))


def _untouched(out_dir: Path, path: str, page: PageFile) -> bool:
    """The file is still as the build that wrote it left it (asked of every page at each build:
    a plain string path, a third of the cost of a Path's)."""
    try:
        stat = os.stat(os.path.join(out_dir, path))
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == page[1:]


def _stage(progress: Progress | None, stage: str, total: int) -> Callable[[int], None] | None:
    return None if progress is None else lambda done: progress(stage, done, total)


def extract_files(site_dir: Path, paths: list[Path]) -> tuple[list[dict[str, Any]], tuple[Problem, ...]]:
    """The extraction of article files anywhere on disk, as plain data for --json, with the
    problems met: a file that cannot be read (or is no text) is left out, the others are not."""
    own = site_dir / "content" / "knowledge"
    kb, problems = knowledge.load_knowledge(site_dir, None if own.is_dir() else scaffold.default_content() / "knowledge")
    if errors(problems):
        raise BuildFailed(problems)
    if not paths:
        paths = sorted((site_dir / "content" / "articles").rglob("*.md"))
    paths = [f for p in paths for f in (sorted(q for q in p.rglob("*") if q.suffix in TEXTS and q.is_file())
                                         if p.is_dir() else [p])]
    matcher = extract.compile_matcher(kb)
    documents = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:
            problems += (Problem(str(path), 0, f"cannot read: {err.strerror or err}"),)
            continue
        article, found = content.parse_file(data, path, str(path), plain=True)
        problems += found
        if article:
            documents.append(document(str(path), extract.extract(article, matcher), kb))
    return documents, problems


def document(path: str, extraction: Extraction, kb: KnowledgeBase) -> dict[str, Any]:
    """One article's extraction as printed by ``extract --json`` (the README's "Extraction output")."""
    surfaces: dict[str, list[str]] = {}
    for mention in extraction.mentions:
        forms = surfaces.setdefault(mention.entity, [])
        if mention.surface not in forms:
            forms.append(mention.surface)
    entities = [kb.entities[i] for i in surfaces]
    return {
        "path": path,
        "actors": [{"id": e.id, "name": e.name, "type": e.type, "aliases": surfaces[e.id], "known": True}
                   for e in entities if e.kind == "actor"]
                  + [{"id": None, "name": c.name, "type": c.type, "aliases": list(c.aliases), "known": False}
                     for c in extraction.candidates if c.actor],
        "states": [{"id": e.id, "name": e.name, "iso2": e.iso2, "aliases": surfaces[e.id]}
                   for e in entities if e.kind == "state"],
        "themes": [{"id": t.theme, "name": kb.themes[t.theme].name, "score": t.score}
                   for t in extraction.themes],
        "candidates": [{"name": c.name, "type": c.type, "aliases": list(c.aliases), "actor": c.actor,
                        "sentence": extraction.sentences[c.sentence].text}
                       for c in extraction.candidates],
    }


@dataclass(frozen=True, slots=True)
class CheckReport:
    articles: int
    entities: int
    problems: tuple[Problem, ...]  # errors and warnings, sorted


def check(site_dir: Path, *, list_all: bool = False) -> CheckReport:
    """Every stage a build runs before writing, drafts included, plus what an editor should review;
    and the links of the last build in SITE/_site when there is one. Writes nothing."""
    site, found = config.load_config(site_dir)
    kb, found_kb = knowledge.load_knowledge(site_dir)
    sources, found_sources = content.find_articles(site_dir)
    read = read_articles(sources, kb, True, None, cache.BuildCache(None), raw_html=bool(site and site.raw_html))
    articles = read.articles
    problems = found + found_kb + found_sources + read.problems + render.template_problems(site_dir)
    problems += output.find_static(site_dir, static_dirs(site_dir))[1]
    if not errors(found_kb):
        problems += review.review(articles, read.extractions, kb, list_all)
    last = site_dir / "_site"
    if site is not None and (last / output.MARKER).is_file():
        problems += links.broken_links(last, urlsplit(site.base_url).path)
    return CheckReport(len(articles), len(kb.entities), tuple(sorted(problems)))
