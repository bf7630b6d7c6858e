"""Parallel and incremental builds give the same bytes as a clean build in one process."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from sahel_site.build import build

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
