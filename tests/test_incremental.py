"""Parallel and incremental builds give the same bytes as a clean build in one process."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from sahel_site.build import build
from sahel_site.content import default_slug

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
    shutil.copytree(GOOD, site)
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


def test_damaged_cache_is_noticed_and_rebuilt(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    cache_file = site / ".sahel-cache" / "build.pickle"
    data = cache_file.read_bytes()
    edit(site, "\nMali and Niger talk again.\n")
    for damaged in (data[: len(data) // 2], data[:60] + b"garbage" + data[67:], b"\x80\x05garbage"):
        cache_file.write_bytes(damaged)
        build(site, out, jobs=1)
        assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, cache_dir=None).out_dir)


def test_touched_output_file_is_written_again(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    (out / "404.html").write_text("changed by hand")
    build(site, out, jobs=1)
    assert tree(out) == tree(build(site, tmp_path / "clean", jobs=1, cache_dir=None).out_dir)


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
