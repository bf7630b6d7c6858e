"""Extractions of all articles -> SiteGraph: per entity and theme, where and with whom."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

from sahel_site.model import (
    Article,
    CoMention,
    EntityStats,
    Evidence,
    Extraction,
    KnowledgeBase,
    SiteGraph,
)

SAME_SENTENCE = 2.0  # a co-mention in one sentence says more than one in the same article
SAME_ARTICLE = 1.0
RELATED = 5  # related articles per article
RAREST = 8  # an article's rarest entities and themes, the only ones relatedness looks at
POSTINGS = 100  # newest articles per entity considered for relatedness; with RAREST, bounded work per article


def analyse(articles: Iterable[Article], extractions: dict[str, Extraction], kb: KnowledgeBase) -> SiteGraph:
    ordered = tuple(sorted(articles, key=lambda a: (a.date, a.slug), reverse=True))
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    counts: Counter[str] = Counter()
    in_articles: dict[str, list[str]] = defaultdict(list)
    together: dict[str, Counter[str]] = defaultdict(Counter)
    sentences_together: dict[str, Counter[str]] = defaultdict(Counter)
    timeline: dict[str, Counter[str]] = defaultdict(Counter)
    for article in ordered:
        extraction = extractions[article.slug]
        month = article.date.strftime("%Y-%m")
        for mention in extraction.mentions:
            sentence = extraction.sentences[mention.sentence]
            offset = mention.start - sentence.start
            evidence[mention.entity].append(
                Evidence(article.slug, mention.block, sentence.text, offset, offset + len(mention.surface)))
            counts[mention.entity] += 1
            timeline[mention.entity][month] += 1
        for theme in extraction.themes:
            for index in theme.sentences[:3]:
                sentence = extraction.sentences[index]
                evidence[theme.theme].append(Evidence(article.slug, sentence.block, sentence.text, 0, 0))
            counts[theme.theme] += 1
            timeline[theme.theme][month] += 1
        ids = sorted({m.entity for m in extraction.mentions} | {t.theme for t in extraction.themes})
        for entity in ids:
            in_articles[entity].append(article.slug)
        for a, b in combinations(ids, 2):
            together[a][b] += 1
            together[b][a] += 1
        for a, b in _sentence_pairs(extraction):
            sentences_together[a][b] += 1
            sentences_together[b][a] += 1
    stats = {
        entity: EntityStats(
            id=entity,
            mentions=counts[entity],
            articles=tuple(in_articles[entity]),
            evidence=tuple(evidence[entity]),
            co_mentions=_ranked(together[entity], sentences_together[entity]),
            timeline=tuple(sorted(timeline[entity].items())),
        )
        for entity in sorted(in_articles)
    }
    related = {a.slug: _related(a.slug, extractions, in_articles, len(ordered)) for a in ordered}
    return SiteGraph(articles=ordered, extractions=extractions, stats=stats, related=related)


def _sentence_pairs(extraction: Extraction) -> set[tuple[str, str]]:
    per_sentence: dict[int, set[str]] = defaultdict(set)
    for mention in extraction.mentions:
        per_sentence[mention.sentence].add(mention.entity)
    pairs: set[tuple[str, str]] = set()
    for ids in per_sentence.values():
        pairs.update(combinations(sorted(ids), 2))
    return pairs


def _ranked(articles: Counter[str], sentences: Counter[str]) -> tuple[CoMention, ...]:
    found = [CoMention(o, SAME_ARTICLE * n + SAME_SENTENCE * sentences[o], sentences[o], n)
             for o, n in articles.items()]
    return tuple(sorted(found, key=lambda c: (-c.weight, c.other)))


def _related(slug: str, extractions: dict[str, Extraction], in_articles: dict[str, list[str]],
             total: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Articles sharing the rarest entities and themes with this one; shared ids rarest first.

    Common ids say little about relatedness and cost the most, so only the RAREST count."""
    extraction = extractions[slug]
    ids = {m.entity for m in extraction.mentions} | {t.theme for t in extraction.themes}
    rarest = sorted(ids, key=lambda e: (len(in_articles[e]), e))[:RAREST]
    scores: dict[str, float] = {}
    for entity in rarest:
        postings = in_articles[entity]
        weight = math.log(1 + total / len(postings))
        for other in postings[:POSTINGS]:
            scores[other] = scores.get(other, 0) + weight
    scores.pop(slug, None)
    best = heapq.nsmallest(RELATED, scores.items(), key=lambda t: (-t[1], t[0]))
    return tuple((other, tuple(e for e in rarest if other in in_articles[e][:POSTINGS])) for other, _ in best)
