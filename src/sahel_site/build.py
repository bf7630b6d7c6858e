"""build(): the pipeline as a checklist, from content/ to the output folder."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_site import (
    analysis,
    config,
    content,
    extract,
    knowledge,
    network,
    output,
    pages,
    render,
    workers,
)
from sahel_site.model import Article, Extraction, KnowledgeBase, Page
from sahel_site.problems import BuildFailed, Problem, errors

if TYPE_CHECKING:
    import jinja2


@dataclass(frozen=True, slots=True)
class BuildReport:
    pages: int
    articles: int
    seconds: float
    out_dir: Path
    warnings: tuple[Problem, ...]


def build(site_dir: Path, out_dir: Path, *, drafts: bool = False, base_url: str | None = None,
          jobs: int | None = None) -> BuildReport:
    """Build the site; ``jobs`` worker processes (default: every core, for a big enough site)."""
    started = time.perf_counter()
    site, found = config.load_config(site_dir, base_url)
    articles, found_articles = content.load_articles(site_dir, drafts)
    kb, found_kb = knowledge.load_knowledge(site_dir)
    problems = found + found_articles + found_kb
    target = output.check_target(out_dir, site_dir)
    if target:
        problems += (target,)
    if errors(problems) or site is None:
        raise BuildFailed(problems)
    jobs = workers.default_jobs(len(articles)) if jobs is None else jobs
    extractions = extract_all(articles, kb, jobs)
    graph = analysis.analyse(articles, extractions, kb)
    env = render.environment(site_dir)
    drawing = network.layout_network(graph, kb)
    files, found_render = render_all(tuple(pages.make_pages(graph, kb, site, drawing)), env, jobs)
    if found_render:
        raise BuildFailed(problems + found_render)
    output.write_site(out_dir, files, [d / "static" for d in render.template_dirs(site_dir)
                                       if (d / "static").is_dir()])
    html = sum(1 for name in files if name.endswith(".html"))
    return BuildReport(html, len(articles), time.perf_counter() - started, out_dir, problems)


def extract_all(articles: tuple[Article, ...], kb: KnowledgeBase, jobs: int = 1) -> dict[str, Extraction]:
    matcher = extract.compile_matcher(kb)
    chunks = workers.map_chunks(lambda part: [extract.extract(a, matcher) for a in part], articles, jobs)
    return {e.article: e for chunk in chunks for e in chunk}


def render_all(all_pages: tuple[Page, ...], env: jinja2.Environment,
               jobs: int) -> tuple[dict[str, bytes], tuple[Problem, ...]]:
    """Render in workers; files and problems merged in page order, as one process would."""
    files: dict[str, bytes] = {}
    problems: dict[tuple[str, int, str], Problem] = {}
    for part_files, part_problems in workers.map_chunks(lambda part: render.render_pages(part, env), all_pages, jobs):
        files.update(part_files)
        for problem in part_problems:
            problems.setdefault((problem.path, problem.line, problem.message), problem)
    return files, tuple(problems.values())


def extract_files(site_dir: Path, paths: list[Path]) -> tuple[list[dict[str, Any]], tuple[Problem, ...]]:
    """The extraction of article files anywhere on disk, as plain data for --json."""
    kb, problems = knowledge.load_knowledge(site_dir)
    if errors(problems):
        raise BuildFailed(problems)
    if not paths:
        paths = sorted((site_dir / "content" / "articles").rglob("*.md"))
    matcher = extract.compile_matcher(kb)
    documents = []
    for path in paths:
        text, problem = content.read_text(path, str(path))
        if problem:
            problems += (problem,)
            continue
        article, found = content.parse_article(text, str(path), content.default_slug(path.stem))
        problems += found
        if article:
            documents.append(document(str(path), extract.extract(article, matcher), kb))
    if errors(problems):
        raise BuildFailed(problems)
    return documents, problems


def document(path: str, extraction: Extraction, kb: KnowledgeBase) -> dict[str, Any]:
    surfaces: dict[str, list[str]] = {}
    for mention in extraction.mentions:
        forms = surfaces.setdefault(mention.entity, [])
        if mention.surface not in forms:
            forms.append(mention.surface)
    entities = [kb.entities[i] for i in surfaces]
    return {
        "path": path,
        "actors": [{"id": e.id, "name": e.name, "type": e.type, "aliases": surfaces[e.id]}
                   for e in entities if e.kind == "actor"],
        "states": [{"id": e.id, "name": e.name, "iso2": e.iso2, "aliases": surfaces[e.id]}
                   for e in entities if e.kind == "state"],
        "themes": [{"id": t.theme, "name": kb.themes[t.theme].name, "score": t.score}
                   for t in extraction.themes],
        "candidates": [{"name": c.name, "type": c.type, "sentence": extraction.sentences[c.sentence].text}
                       for c in extraction.candidates],
    }
