"""build(): the pipeline as a checklist, from content/ to the output folder."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sahel_site import analysis, config, content, extract, knowledge, network, output, pages, render
from sahel_site.model import Article, Extraction, KnowledgeBase
from sahel_site.problems import BuildFailed, Problem, errors


@dataclass(frozen=True, slots=True)
class BuildReport:
    pages: int
    articles: int
    seconds: float
    out_dir: Path
    warnings: tuple[Problem, ...]


def build(site_dir: Path, out_dir: Path, *, drafts: bool = False, base_url: str | None = None) -> BuildReport:
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
    extractions = extract_all(articles, kb)
    graph = analysis.analyse(articles, extractions, kb)
    env = render.environment(site_dir)
    drawing = network.layout_network(graph, kb)
    files, found_render = render.render_pages(pages.make_pages(graph, kb, site, drawing), env)
    if found_render:
        raise BuildFailed(problems + found_render)
    output.write_site(out_dir, files, [d / "static" for d in render.template_dirs(site_dir)
                                       if (d / "static").is_dir()])
    html = sum(1 for name in files if name.endswith(".html"))
    return BuildReport(html, len(articles), time.perf_counter() - started, out_dir, problems)


def extract_all(articles: tuple[Article, ...], kb: KnowledgeBase) -> dict[str, Extraction]:
    matcher = extract.compile_matcher(kb)
    return {a.slug: extract.extract(a, matcher) for a in articles}


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
