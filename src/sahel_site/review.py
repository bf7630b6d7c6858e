"""Extractions -> warnings for an editor: what the knowledge base missed or never uses."""

from __future__ import annotations

from collections.abc import Mapping

from sahel_site.model import Article, Extraction, KnowledgeBase
from sahel_site.problems import Problem

KINDS = {"actor": "content/knowledge/actors.yml", "state": "content/knowledge/states.yml"}
SHOWN_IDS = 8  # unmentioned ids named in the summary line; the rest only counted


def review(articles: tuple[Article, ...], extractions: Mapping[str, Extraction], kb: KnowledgeBase,
           list_all: bool = False) -> tuple[Problem, ...]:
    """Candidates, articles without a state or an actor, and entities no article mentions."""
    found: list[Problem] = []
    for article in articles:
        found += article_warnings(article, extractions[article.slug], kb)
    mentioned = {m.entity for e in extractions.values() for m in e.mentions}
    found += unmentioned(kb, mentioned, list_all)
    return tuple(found)


def article_warnings(article: Article, extraction: Extraction, kb: KnowledgeBase) -> list[Problem]:
    kinds = {kb.entities[m.entity].kind for m in extraction.mentions}
    found = [Problem(article.path, 1, f"names no {kind} the knowledge base knows"
                     f" (is one missing from {KINDS[kind]}?)", warning=True)
             for kind in ("state", "actor") if kind not in kinds]
    lines = dict(enumerate(article.lines, 1))
    for candidate in extraction.candidates:
        line = lines.get(extraction.sentences[candidate.sentence].block, 1)
        found.append(Problem(article.path, line, f"unknown {candidate.type} '{candidate.name}':"
                             f" add it to {KINDS['actor']} if it is one", warning=True))
    return found


def unmentioned(kb: KnowledgeBase, mentioned: set[str], list_all: bool) -> list[Problem]:
    """One line per knowledge file, not one per entity: a broad knowledge base is normal."""
    found = []
    for kind, path in KINDS.items():
        ids = sorted(i for i, e in kb.entities.items() if e.kind == kind and i not in mentioned)
        if not ids:
            continue
        shown = ids if list_all or len(ids) <= SHOWN_IDS else ids[:SHOWN_IDS]
        rest = f" and {len(ids) - len(shown)} more (-v lists them all)" if len(shown) < len(ids) else ""
        found.append(Problem(path, 0, f"{len(ids)} {kind}s never mentioned in any article: "
                             + ", ".join(shown) + rest, warning=True))
    return found
