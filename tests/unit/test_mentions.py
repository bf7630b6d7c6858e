"""Mention cases from tests/cases/mentions.txt, run against the real knowledge base."""

from pathlib import Path

import pytest

from sahel_site.content import parse_article
from sahel_site.extract import compile_matcher, extract
from sahel_site.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "mentions.txt"


def read_cases(text):
    """(line number, text, expected mentions, expected candidates or None) for each case."""
    cases = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("=>"):
            cases[-1][2] = [] if line[2:].strip() == "-" else [p.strip() for p in line[2:].split(" | ")]
        elif line.startswith("~>"):
            cases[-1][3] = [] if line[2:].strip() == "-" else [p.strip() for p in line[2:].split(" | ")]
        else:
            cases.append([number, line, None, None])
    return cases


CASE_LIST = read_cases(CASES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matcher():
    kb, problems = load_knowledge(ROOT)
    assert [p for p in problems if not p.warning] == []
    return compile_matcher(kb)


@pytest.mark.parametrize("number, text, mentions, candidates", CASE_LIST, ids=[f"line {c[0]}" for c in CASE_LIST])
def test_mentions(number, text, mentions, candidates, matcher):
    article, problems = parse_article(f"---\ntitle: T\ndate: 2026-01-01\n---\n{text}\n", "a.md", "a")
    assert not problems
    extraction = extract(article, matcher)
    assert [f"{m.entity}:{m.surface}" for m in extraction.mentions] == mentions
    if candidates is not None:
        assert [f"{c.name}/{c.type}" for c in extraction.candidates] == candidates


def test_every_case_has_expectations():
    assert CASE_LIST and all(c[2] is not None for c in CASE_LIST)
