"""Parallel and incremental builds give the same bytes as a clean build in one process."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from sahel_site import analysis, cache, content, knowledge, render
from sahel_site.build import build, read_articles
from sahel_site.content import default_slug
from sahel_site.model import SiteGraph

REPO_ROOT = Path(__file__).resolve().parents[1]
GOOD = Path(__file__).parent / "sites" / "good"
ARTICLES = 24


def _corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", REPO_ROOT / "benchmarks" / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_source(tmp_path_factory) -> Path:
    """The good fixture site plus generated articles: enough pages for several workers."""
    site = tmp_path_factory.mktemp("corpus") / "site"
    shutil.copytree(GOOD, site, ignore=shutil.ignore_patterns(".sahel-cache"))
    corpus = _corpus_module()
    for index in range(ARTICLES):
        article = corpus.make_article(index)
        (site / "content" / "articles" / f"{article.slug}.md").write_text(
            corpus.yaml_front_matter(article) + article.body, encoding="utf-8")
    return site


@pytest.fixture
def site(corpus_source, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(corpus_source, copy)
    return copy


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_one_or_two_workers_write_identical_sites(site, tmp_path):
    one = build(site, tmp_path / "one", jobs=1)
    two = build(site, tmp_path / "two", jobs=2)
    assert one.pages == two.pages > ARTICLES
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def edit(site: Path, text: str) -> Path:
    article = min((site / "content" / "articles").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + text, encoding="utf-8")
    return article


def test_build_after_an_edit_equals_a_clean_build(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    untouched = (out / "404.html").stat().st_ino
    edit(site, "\nA new paragraph on Niger and the ECOWAS summit.\n")
    build(site, out, jobs=1)
    clean = build(site, tmp_path / "clean", jobs=1, cache_dir=None)
    assert clean.pages > ARTICLES
    assert tree(out) == tree(tmp_path / "clean")
    assert (out / "404.html").stat().st_ino == untouched  # kept, not written again


def _articles(site: Path) -> list[Path]:
    return sorted((site / "content" / "articles").glob("*.md"))


def _rewrite(path: Path, change) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _own_templates(site: Path, name: str, change) -> None:
    shutil.copytree(REPO_ROOT / "templates", site / "templates", dirs_exist_ok=True)
    _rewrite(site / "templates" / name, change)


ALIAS = "\nThe West African Bloc met in Abuja.\n"
SITE_EDITS = {  # name -> (a change made before the first build, the edit made after it)
    "body": (None, lambda site: _rewrite(_articles(site)[0], lambda t: t + "\nNiger and the ECOWAS summit.\n")),
    "body naming new entities": (None, lambda site: _rewrite(_articles(site)[3], EDITS["body"])),
    "body without entities": (None, lambda site: _rewrite(_articles(site)[3], EDITS["no entities"])),
    "title": (None, lambda site: _rewrite(_articles(site)[5], EDITS["title"])),
    "date": (None, lambda site: _rewrite(_articles(site)[5], EDITS["newest"])),
    "draft": (None, lambda site: _rewrite(_articles(site)[7], EDITS["draft"])),
    "deleted article": (None, lambda site: _articles(site)[9].unlink()),
    "new article": (None, lambda site: (site / "content" / "articles" / "2030-05-05-new.md").write_text(
        "---\ntitle: New\ndate: 2030-05-05\n---\n\nNiger and Mali met in Niamey with ECOWAS.\n")),
    "alias added": (lambda site: _rewrite(_articles(site)[2], lambda t: t + ALIAS), lambda site: _rewrite(
        site / "content" / "knowledge" / "actors.yml",
        lambda t: t.replace("aliases: [CEDEAO,", "aliases: [West African Bloc, CEDEAO,"))),
    "entity description": (None, lambda site: _rewrite(
        site / "content" / "knowledge" / "actors.yml",
        lambda t: t.replace("type: group}", "type: group, description: A private military company.}", 1))),
    "theme name": (None, lambda site: _rewrite(  # shown in every row of data/themes.*, copied or not
        site / "content" / "knowledge" / "themes.yml", lambda t: t.replace("name: Arms transfers", "name: Arms trade"))),
    "template": (None, lambda site: _own_templates(
        site, "mentions.html", lambda t: t.replace("{% block main %}", "{% block main %}<!-- edited -->", 1))),
    "stylesheet": (None, lambda site: _own_templates(site, "static/css/site.css", lambda t: t + "\n/* edited */\n")),
    "site title": (None, lambda site: _rewrite(site / "content" / "site.yml", lambda t: t.replace("title: ", "title: New ", 1))),
}
ABSOLUTE = "https://example.org/news/"  # feeds and the sitemap are made only for a full address


@pytest.mark.parametrize("name", SITE_EDITS)
def test_build_in_place_after_an_edit_equals_a_clean_build(site, tmp_path, name):
    before, after = SITE_EDITS[name]
    if before:
        before(site)
    out = tmp_path / "out"
    build(site, out, jobs=1, base_url=ABSOLUTE, search_index=False)
    untouched = (out / "404.html").stat().st_ino
    after(site)
    again = build(site, out, jobs=1, base_url=ABSOLUTE, search_index=False)
    assert not list(tmp_path.glob(".out.*-*")), "the changes' folder, with what they replaced, is gone"
    clean = build(site, tmp_path / "clean", jobs=1, base_url=ABSOLUTE, search_index=False, cache_dir=None)
    assert tree(out) == tree(clean.out_dir)
    if name != "site title":  # shown on every page
        assert (out / "404.html").stat().st_ino == untouched, "an unchanged page stays as it was"
    if name.startswith(("body", "title")):
        edited = _articles(site)[0 if name == "body" else 5]
        showing = _pages_linking(out, f"articles/{default_slug(edited.stem)}/")
        others = len(list((out / "articles").glob("*/index.html"))) - len(showing | {edited.stem})
        assert again.remade <= again.groups - others, "article pages that do not show the edited one are kept"
    if name == "entity description":  # shown on its own page and in lists: no article page shows it
        assert 0 < again.remade <= again.groups - ARTICLES


def test_a_paragraph_naming_nothing_remakes_only_its_article_page(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1, search_index=False)
    article = edit(site, "\nThe talks went on late into the night.\n")  # the same title, chips and themes
    again = build(site, out, jobs=1, search_index=False)
    assert again.remade == 1
    assert "late into the night" in (out / "articles" / default_slug(article.stem) / "index.html").read_text()
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, search_index=False, cache_dir=None).out_dir)


def test_an_edit_remakes_only_the_page_of_mentions_that_quotes_it(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1, search_index=False)
    pages = sorted((out / "states" / "niger" / "mentions").glob("*/index.html"))
    assert len(pages) >= 2, "the fixture needs a state with several pages of mentions"
    quoted = {p: re.findall(r'href="[./]*articles/([^/"#]+)/"', p.read_text()) for p in pages}
    page = pages[-1]
    article = next(a for a in _articles(site) if default_slug(a.stem) == quoted[page][0]
                   or f"\nslug: {quoted[page][0]}\n" in a.read_text())
    # One more mention of Niger, before the article's last sentence: its place among the pages holds.
    _rewrite(article, lambda t: t + "\nNiger's officials said nothing more.\n")
    before = {p: p.stat().st_ino for p in pages}
    again = build(site, out, jobs=1, search_index=False)
    assert [p for p in pages if p.stat().st_ino != before[p]] == [page]
    assert "said nothing more" in page.read_text()
    assert again.remade < again.groups - len(pages)
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, search_index=False, cache_dir=None).out_dir)


def test_unchanged_files_are_not_read_and_a_change_behind_the_same_size_and_time_is_seen(site, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "SETTLED", 0)  # the files were written a moment ago
    out = tmp_path / "out"
    build(site, out, jobs=1, search_index=False)
    read: list[Path] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or read_bytes(self))
    build(site, out, jobs=1, search_index=False)
    assert not [p for p in read if p.suffix == ".md"], "an article file as the last build saw it is not read"
    article = next(a for a in _articles(site) if " Mali " in a.read_text())
    status = article.stat()
    article.write_text(article.read_text().replace(" Mali ", " Chad ", 1))
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))  # as a copy that keeps times would
    assert (article.stat().st_size, article.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    build(site, out, jobs=1, search_index=False)
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, search_index=False, cache_dir=None).out_dir)


def test_damaged_cache_is_noticed_and_rebuilt(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    cache_file = cache.file_of(site / ".sahel-cache", out)
    data = cache_file.read_bytes()
    edit(site, "\nMali and Niger talk again.\n")
    for damaged in (data[: len(data) // 2], data[:60] + b"garbage" + data[67:], b"\x80\x05garbage"):
        cache_file.write_bytes(damaged)
        build(site, out, jobs=1)
        assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, cache_dir=None).out_dir)


def test_compiled_templates_are_kept_and_never_trusted_damaged(site, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "_CODE", {})  # as in a new process
    build(site, tmp_path / "out", jobs=1, search_index=False)
    kept = sorted((site / ".sahel-cache" / "templates").iterdir())
    assert kept, "the compiled templates are kept for the next build's process"
    damaged = 0
    for path in kept:
        data = path.read_bytes()
        damaged += b"<!DOCTYPE html>" in data
        path.write_bytes(data.replace(b"<!DOCTYPE html>", b"<!DOCTYPE htmX>"))
    assert damaged
    monkeypatch.setattr(render, "_CODE", {})
    build(site, tmp_path / "again", jobs=1, search_index=False)
    assert tree(tmp_path / "again") == tree(tmp_path / "out")


@pytest.mark.parametrize("stale", ["code", "settings"])
def test_stale_cache_is_not_trusted(site, tmp_path, monkeypatch, stale):
    out = tmp_path / "out"
    build(site, out, jobs=1, search_index=False)
    folder = site / ".sahel-cache"
    previous = cache.load(folder, out)
    assert previous.graph is not None
    wrong = {e: dataclasses.replace(s, mentions=s.mentions + 1000) for e, s in previous.graph.stats.items()}
    previous.graph = dataclasses.replace(previous.graph, stats=wrong)
    with monkeypatch.context() as patched:
        if stale == "code":
            patched.setattr(cache, "code_digest", lambda: "the code of another version")
        elif stale == "settings":
            previous.settings = "the settings of another build"
        cache.save(previous)  # a cache that would show wrong counts, were it trusted
    edit(site, "\nMali and Niger talk again.\n")
    build(site, out, jobs=1, search_index=False)
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, search_index=False, cache_dir=None).out_dir)


def test_deleted_output_is_written_again(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1, search_index=False)
    shutil.rmtree(out)
    build(site, out, jobs=1, search_index=False)
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, search_index=False, cache_dir=None).out_dir)


@pytest.mark.parametrize("name", ["404.html", "data/mentions.json", "data/themes.csv"])
def test_touched_output_file_is_written_again(site, tmp_path, name):
    out = tmp_path / "out"
    build(site, out, jobs=1, search_index=False)
    data = (out / name).read_bytes()
    (out / name).write_bytes(data[len(data) // 2:] + data[: len(data) // 2])  # the same size, other bytes
    edit(site, "\nMali and Niger talk again.\n")  # the data files copy unchanged rows from the last ones
    build(site, out, jobs=1, search_index=False)
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, search_index=False, cache_dir=None).out_dir)


def test_knowledge_base_edit_changes_extractions(site, tmp_path):
    out = tmp_path / "out"
    article = edit(site, "\nThe West African Bloc met in Abuja.\n")
    build(site, out, jobs=1)
    page = out / "articles" / default_slug(article.stem) / "index.html"
    assert "actors/ecowas/" not in _paragraph_links(page, "West African Bloc")
    actors = site / "content" / "knowledge" / "actors.yml"
    actors.write_text(actors.read_text(encoding="utf-8").replace("aliases: [CEDEAO,", "aliases: [West African Bloc, CEDEAO,"),
                      encoding="utf-8")
    build(site, out, jobs=1)
    assert "actors/ecowas/" in _paragraph_links(page, "West African Bloc")
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, cache_dir=None).out_dir)


def _pages_linking(out: Path, url: str) -> set[str]:
    """The articles whose page links to ``url``: in their related articles."""
    return {page.parent.name for page in (out / "articles").glob("*/index.html")
            if any((a.attributes.get("href") or "").endswith(url)
                   for a in LexborHTMLParser(page.read_text(encoding="utf-8")).css("a"))}


def _paragraph_links(page: Path, text: str) -> str:
    html = LexborHTMLParser(page.read_text(encoding="utf-8"))
    paragraph = next(p for p in html.css("p") if text in p.text())
    return " ".join(a.attributes.get("href") or "" for a in paragraph.css("a"))


def test_template_edit_changes_the_pages_that_use_it(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    article_page = next((out / "articles").glob("*/index.html"))
    before_404 = (out / "404.html").stat().st_ino
    shutil.copytree(REPO_ROOT / "templates", site / "templates", dirs_exist_ok=True)
    page = site / "templates" / "article.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<!-- edited -->", 1),
                    encoding="utf-8")
    build(site, out, jobs=1)
    assert "<!-- edited -->" in article_page.read_text(encoding="utf-8")
    assert (out / "404.html").stat().st_ino == before_404
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, cache_dir=None).out_dir)


def _read(site: Path, previous: cache.BuildCache):
    kb, _ = knowledge.load_knowledge(site)
    sources, _ = content.find_articles(site)
    return kb, read_articles(sources, kb, False, 1, previous)


def _graph_parts(graph: SiteGraph) -> tuple:
    """The graph with the order of its mappings, which == on dicts leaves out."""
    return graph, list(graph.stats), list(graph.related), list(graph.extractions)


EDITS = {
    "body": lambda text: text + "\nChad and the Wagner Group met in N'Djamena. Mali is absent.\n",
    "title": lambda text: re.sub(r"(?m)^title: .*$", 'title: "A revised title"', text, count=1),
    "newest": lambda text: re.sub(r"(?m)^date: .*$", "date: 2031-01-01", text, count=1),
    "oldest": lambda text: re.sub(r"(?m)^date: .*$", "date: 1999-01-01", text, count=1),
    "no entities": lambda text: text[: text.index("---", 3) + 4] + "\nNothing to see here.\n",
    "draft": lambda text: text.replace("---\n", "---\ndraft: true\n", 1),
}


@pytest.mark.parametrize("edit_name", sorted(EDITS) + ["deleted", "new", "several"])
def test_revised_analysis_equals_a_fresh_one(site, edit_name):
    kb, first = _read(site, cache.BuildCache(None))
    graph = analysis.analyse(first.articles, first.extractions, kb)
    files = sorted((site / "content" / "articles").glob("*.md"))
    target = files[len(files) // 2]
    if edit_name == "deleted":
        target.unlink()
    elif edit_name == "new":
        (site / "content" / "articles" / "2030-05-05-new.md").write_text(
            "---\ntitle: New\ndate: 2030-05-05\n---\n\nNiger and Mali met in Niamey with ECOWAS.\n")
    else:
        for name in [edit_name] if edit_name != "several" else ["body", "title"]:
            target.write_text(EDITS[name](target.read_text(encoding="utf-8")), encoding="utf-8")
            target = files[1] if edit_name == "several" else target
    _, second = _read(site, cache.BuildCache(None, first.by_key))
    revised = analysis.revise(graph, second.articles, second.extractions)
    assert _graph_parts(revised) == _graph_parts(analysis.analyse(second.articles, second.extractions, kb))
