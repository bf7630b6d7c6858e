"""build(): the pipeline as a checklist, from content/ to the output folder."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any
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

CACHE_DIR = Path(".sahel-cache")
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


def build(site_dir: Path, out_dir: Path, *, drafts: bool = False, base_url: str | None = None,
          jobs: int | None = None, cache_dir: Path | None = CACHE_DIR,
          progress: Progress | None = None, search_index: bool = True) -> BuildReport:
    """Build the site; ``jobs`` worker processes (default: every core, for a big enough site).

    ``cache_dir`` (relative to the site; None for none) keeps what each article file gave
    and which output file came from which inputs, so the next build redoes only what changed.
    ``search_index`` False leaves out the full-text search index.
    """
    started = time.perf_counter()
    site, found = config.load_config(site_dir, base_url)
    kb, found_kb = knowledge.load_knowledge(site_dir)
    sources, found_sources = content.find_articles(site_dir)
    static, found_static = output.find_static(site_dir, static_dirs(site_dir))
    previous = cache.load(None if cache_dir is None else site_dir / cache_dir)
    read = read_articles(sources, kb, drafts, jobs, previous, progress, raw_html=bool(site and site.raw_html))
    problems = found + found_kb + found_sources + found_static + read.problems
    target = output.check_target(out_dir, site_dir)
    if target:
        problems += (target,)
    if errors(problems) or site is None:
        raise BuildFailed(problems)
    with output.locked(out_dir):  # from here on, the only build writing out_dir or its cache
        jobs = workers.default_jobs(len(read.articles)) if jobs is None else jobs
        graph = analysis.analyse(read.articles, read.extractions, kb)
        env = render.environment(site_dir)
        drawing = network.layout_network(graph, kb)
        with output.staging(out_dir) as folder:
            write_assets(static, folder)
            groups = pages.make_pages(graph, kb, site, drawing, read.bodies, search=search_index)
            files, found_render = write_pages(groups, env, jobs, previous, out_dir, folder, progress)
            if found_render:
                raise BuildFailed(problems + found_render)
            problems += write_published(graph, kb, site, env, files, folder, search_index)
        cache.save(cache.BuildCache(previous.folder, read.by_key, files, str(out_dir.resolve())))
    html = sum(1 for name in files if name.endswith(".html"))
    return BuildReport(html, len(read.articles), time.perf_counter() - started, out_dir, problems)


@dataclass(frozen=True, slots=True)
class ReadArticles:
    articles: tuple[Article, ...]  # to publish, newest first
    extractions: dict[str, Extraction]  # by slug
    bodies: dict[str, Body]  # by slug
    problems: tuple[Problem, ...]
    by_key: dict[str, cache.Read]  # every file's result by cache key, for the next build


def read_articles(sources: tuple[tuple[Path, str], ...], kb: KnowledgeBase, drafts: bool, jobs: int | None,
                  previous: cache.BuildCache, progress: Progress | None = None, raw_html: bool = False) -> ReadArticles:
    """Parse, extract and render each article file in workers; files unchanged since the cache are not.

    Files are read here only to find their keys: the workers read what they work on again,
    so no process holds every file at once."""
    kb_digest = cache.knowledge_digest(kb)
    keys = [cache.article_key(shown, file.read_bytes(), kb_digest, raw_html) for file, shown in sources]
    missing = [source for source, key in zip(sources, keys, strict=True) if key not in previous.articles]
    matcher = extract.compile_matcher(kb)
    chunks = workers.map_chunks(lambda part: [read_file(f, shown, kb, kb_digest, matcher, raw_html)
                                              for f, shown in part],
                                missing, workers.default_jobs(len(missing)) if jobs is None else jobs,
                                _stage(progress, "extract", len(missing)))
    fresh = (done for chunk in chunks for done in chunk)
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
                        tuple(p for _, problems in results for p in problems) + duplicates, by_key)


def read_file(file: Path, shown: str, kb: KnowledgeBase, kb_digest: str, matcher: extract.Matcher,
              raw_html: bool = False) -> tuple[str, cache.Read]:
    """One article file read, with its cache key."""
    data = file.read_bytes()
    return cache.article_key(shown, data, kb_digest, raw_html), read_article(file, shown, data, kb, matcher, raw_html)


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


def write_assets(static: dict[str, Path], folder: Path) -> None:
    """The theme's and the site's static files, and the code highlighting style."""
    output.copy_static(folder, static)
    output.write_file(folder, "static/css/pygments.css", markup.pygments_css().encode())


def write_published(graph: SiteGraph, kb: KnowledgeBase, site: SiteConfig, env: jinja2.Environment,
                    files: dict[str, PageFile], folder: Path, search_index: bool) -> tuple[Problem, ...]:
    """What is made from the whole written site: open data, the sitemap of its pages, and the
    search index of their text (a failed index fails the build, and the old site stays)."""
    for names, pieces in opendata.data_files(graph, kb, site, pages.url_of):
        output.write_side_by_side(folder, names, pieces)
    for page in pages.sitemap_pages(site, kb, graph, files):
        data, problem = render.render_file(page, env)
        if problem:
            raise BuildFailed([problem])
        output.write_file(folder, render.page_path(page), data)
    found = search.index_site(folder, site.language, pages.SEARCH_GLOB) if search_index else ()
    if errors(found):
        raise BuildFailed(found)
    return found


PageFile = tuple[str, int, int]  # what the cache remembers of a page's file: its key, size and modification time


def write_pages(groups: list[pages.PageGroup], env: jinja2.Environment, jobs: int, previous: cache.BuildCache,
                out_dir: Path, folder: Path, progress: Progress | None = None,
                ) -> tuple[dict[str, PageFile], tuple[Problem, ...]]:
    """Each worker makes its share of the pages and writes them into ``folder`` at once, or links
    a page's file from the previous output when its inputs are unchanged.

    Returns every page's file by path, and the problems in page order, as one process would."""
    same_output = previous.output == str(out_dir.resolve())
    digests: dict[str, str] = {}  # by template, filled as each worker meets them

    def write_group(part: list[pages.PageGroup]) -> list[tuple[str, PageFile | Problem]]:
        return [write_page(page, env, digests, previous if same_output else None, out_dir, folder)
                for group in part for page in group()]

    files: dict[str, PageFile] = {}
    problems: dict[tuple[str, int, str], Problem] = {}
    for path, done in chain.from_iterable(workers.map_chunks(write_group, groups, jobs,
                                                             _stage(progress, "render", len(groups)))):
        if isinstance(done, Problem):
            problems.setdefault((done.path, done.line, done.message), done)
        else:
            files[path] = done
    return files, tuple(problems.values())


def write_page(page: Page, env: jinja2.Environment, digests: dict[str, str], previous: cache.BuildCache | None,
               out_dir: Path, folder: Path) -> tuple[str, PageFile | Problem]:
    if page.template not in digests:
        digests[page.template] = cache.templates_digest(env, page.template)
    name, key = render.page_path(page), cache.page_key(page, digests[page.template])
    if previous is not None and _unchanged(out_dir, name, key, previous):
        path = output.keep_file(out_dir, folder, name)
    else:
        data, problem = render.render_file(page, env)
        if problem:
            return name, problem
        path = output.write_file(folder, name, data)
    stat = path.stat()  # the same after the swap: renaming the folder changes neither
    return name, (key, stat.st_size, stat.st_mtime_ns)


def _unchanged(out_dir: Path, path: str, key: str, previous: cache.BuildCache) -> bool:
    """The file was written from the same inputs, and nobody touched it since."""
    entry = previous.pages.get(path)
    if entry is None or entry[0] != key:
        return False
    try:
        stat = (out_dir / path).stat()
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == entry[1:]


def _stage(progress: Progress | None, stage: str, total: int) -> Callable[[int], None] | None:
    return None if progress is None else lambda done: progress(stage, done, total)


def extract_files(site_dir: Path, paths: list[Path]) -> tuple[list[dict[str, Any]], tuple[Problem, ...]]:
    """The extraction of article files anywhere on disk, as plain data for --json."""
    own = site_dir / "content" / "knowledge"
    kb, problems = knowledge.load_knowledge(site_dir, None if own.is_dir() else scaffold.default_content() / "knowledge")
    if errors(problems):
        raise BuildFailed(problems)
    if not paths:
        paths = sorted((site_dir / "content" / "articles").rglob("*.md"))
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
    if errors(problems):
        raise BuildFailed(problems)
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
