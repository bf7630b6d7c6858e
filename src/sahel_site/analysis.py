"""Extractions of all articles -> SiteGraph: per entity and theme, where and with whom."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

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


def analyse(articles: Iterable[Article], extractions: Mapping[str, Extraction], kb: KnowledgeBase) -> SiteGraph:
    ordered = _newest_first(articles)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    counts: Counter[str] = Counter()
    in_articles: dict[str, list[str]] = defaultdict(list)
    together: dict[str, Counter[str]] = defaultdict(Counter)
    sentences_together: dict[str, Counter[str]] = defaultdict(Counter)
    timeline: dict[str, Counter[str]] = defaultdict(Counter)
    for article in ordered:
        part = _Contribution(article, extractions[article.slug])
        for entity in part.ids:
            evidence[entity] += part.evidence[entity]
            counts[entity] += part.counts[entity]
            timeline[entity][part.month] += part.counts[entity]
            in_articles[entity].append(article.slug)
            together[entity].update(part.ids)  # itself too, taken off below: one update, not one per pair
        for entity, others in part.partners.items():
            sentences_together[entity].update(others)
    stats = {
        entity: EntityStats(
            id=entity,
            mentions=counts[entity],
            articles=tuple(in_articles[entity]),
            evidence=tuple(evidence[entity]),
            co_mentions=_ranked(_without(together[entity], entity), sentences_together[entity]),
            timeline=tuple(sorted(timeline[entity].items())),
        )
        for entity in sorted(in_articles)
    }
    related = {a.slug: _related(a.slug, extractions, in_articles, len(ordered)) for a in ordered}
    return SiteGraph(articles=ordered, extractions=extractions, stats=stats, related=related)


def _newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (a.date, a.slug), reverse=True))


class _Contribution:
    """What one article adds to the stats of each entity and theme it names."""

    def __init__(self, article: Article, extraction: Extraction) -> None:
        slug = self.slug = article.slug
        self.month = article.date.strftime("%Y-%m")
        self.evidence: dict[str, list[Evidence]] = defaultdict(list)  # in text order
        self.counts: Counter[str] = Counter()  # mentions of an entity; 1 for a theme
        for mention in extraction.mentions:
            sentence = extraction.sentences[mention.sentence]
            offset = mention.start - sentence.start
            self.evidence[mention.entity].append(
                Evidence(slug, mention.block, sentence.text, offset, offset + len(mention.surface), mention.sentence))
            self.counts[mention.entity] += 1
        for theme in extraction.themes:
            for index in theme.sentences[:3]:
                sentence = extraction.sentences[index]
                self.evidence[theme.theme].append(Evidence(slug, sentence.block, sentence.text, 0, 0, index))
            self.counts[theme.theme] += 1
        self.ids = sorted(self.counts)
        self.partners = _partners(extraction)


def revise(graph: SiteGraph, articles: Iterable[Article], extractions: Mapping[str, Extraction]) -> SiteGraph:
    """What ``analyse`` makes of the new articles, redoing only what the changed ones touch.

    An article is changed when its Article or Extraction is not the same object as in
    ``graph``. Only the entities and themes it names, before or after, get new stats; related
    articles are found again where the postings they read have moved."""
    ordered = _newest_first(articles)
    before = {a.slug: a for a in graph.articles}
    changed = {a.slug for a in ordered if before.get(a.slug) is not a
               or graph.extractions.get(a.slug) is not extractions[a.slug]}
    changed |= before.keys() - {a.slug for a in ordered}
    position = {a.slug: i for i, a in enumerate(ordered)}
    old = [_Contribution(before[s], graph.extractions[s]) for s in sorted(changed) if s in before]
    new = [_Contribution(a, extractions[a.slug]) for a in ordered if a.slug in changed]
    stats = dict(graph.stats)
    for entity in {i for part in old + new for i in part.ids}:
        revised = _revised_stats(graph.stats.get(entity), entity, changed, old, new, position)
        if revised is None:
            del stats[entity]
        else:
            stats[entity] = revised
    stats = dict(sorted(stats.items()))
    postings = {e: s.articles for e, s in stats.items()}
    again = _related_again(graph, postings, changed & position.keys(), position)
    related = {a.slug: _related(a.slug, extractions, postings, len(ordered)) if a.slug in again
               else graph.related[a.slug] for a in ordered}
    return SiteGraph(ordered, extractions, stats, related)


def _revised_stats(stats: EntityStats | None, entity: str, changed: set[str], old: list[_Contribution],
                   new: list[_Contribution], position: dict[str, int]) -> EntityStats | None:
    """One entity's stats without the old versions of the changed articles, with their new ones."""
    stats = stats or EntityStats(entity, 0, (), (), (), ())
    articles = [s for s in stats.articles if s not in changed] + [p.slug for p in new if entity in p.counts]
    if not articles:
        return None
    evidence = [e for e in stats.evidence if e.article not in changed]
    evidence += [e for p in new for e in p.evidence.get(entity, ())]
    mentions, timeline = stats.mentions, Counter(dict(stats.timeline))
    together = Counter({c.other: c.articles for c in stats.co_mentions})
    sentences = Counter({c.other: c.sentences for c in stats.co_mentions})
    for sign, parts in ((-1, old), (1, new)):
        for part in parts:
            if entity in part.counts:
                mentions += sign * part.counts[entity]
                timeline[part.month] += sign * part.counts[entity]
                together.update({other: sign for other in part.ids if other != entity})
                sentences.update(dict.fromkeys(part.partners.get(entity, ()), sign))
    return EntityStats(
        id=entity,
        mentions=mentions,
        articles=tuple(sorted(articles, key=position.__getitem__)),
        evidence=tuple(sorted(evidence, key=lambda e: position[e.article])),  # stable: text order kept
        co_mentions=_ranked(+together, +sentences),
        timeline=tuple(sorted((+timeline).items())),
    )


def _related_again(graph: SiteGraph, postings: Mapping[str, Sequence[str]], changed: set[str],
                   slugs: Mapping[str, int]) -> set[str]:
    """The articles whose related articles may differ: every one when their number changed;
    otherwise the changed ones, and those whose rarest ids, before or after, include one whose
    postings moved (the others read the same postings with the same weights)."""
    if len(slugs) != len(graph.articles):
        return set(slugs)
    before = {e: s.articles for e, s in graph.stats.items()}
    moved = {e for e in before.keys() | postings.keys()
             if before.get(e) is not postings.get(e) and before.get(e, ()) != postings.get(e, ())}
    again = set(changed)
    for entity in moved:
        for slug in set(before.get(entity, ())) | set(postings.get(entity, ())):
            if slug in again or slug not in graph.related:
                continue
            ids = _ids(graph.extractions[slug])
            if entity in _rarest(ids, before) or entity in _rarest(ids, postings):
                again.add(slug)
    return again


def _ids(extraction: Extraction) -> set[str]:
    return {m.entity for m in extraction.mentions} | {t.theme for t in extraction.themes}


def _rarest(ids: Iterable[str], postings: Mapping[str, Sequence[str]]) -> list[str]:
    return sorted(ids, key=lambda e: (len(postings.get(e, ())), e))[:RAREST]


def _partners(extraction: Extraction) -> dict[str, set[str]]:
    """Each entity named in a sentence with others -> those others, from any sentence of the article."""
    per_sentence: dict[int, set[str]] = defaultdict(set)
    for mention in extraction.mentions:
        per_sentence[mention.sentence].add(mention.entity)
    partners: dict[str, set[str]] = defaultdict(set)
    for ids in per_sentence.values():
        if len(ids) > 1:
            for entity in ids:
                partners[entity] |= ids
    for entity, others in partners.items():
        others.discard(entity)
    return partners


def _without(counts: Counter[str], key: str) -> Counter[str]:
    del counts[key]
    return counts


def _ranked(articles: Counter[str], sentences: Counter[str]) -> tuple[CoMention, ...]:
    found = [CoMention(o, SAME_ARTICLE * n + SAME_SENTENCE * sentences[o], sentences[o], n)
             for o, n in articles.items()]
    return tuple(sorted(found, key=lambda c: (-c.weight, c.other)))


def _related(slug: str, extractions: Mapping[str, Extraction], in_articles: Mapping[str, Sequence[str]],
             total: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Articles sharing the rarest entities and themes with this one; shared ids rarest first.

    Common ids say little about relatedness and cost the most, so only the RAREST count."""
    rarest = _rarest(_ids(extractions[slug]), in_articles)
    scores: dict[str, float] = {}
    for entity in rarest:
        postings = in_articles[entity]
        weight = math.log(1 + total / len(postings))
        for other in postings[:POSTINGS]:
            scores[other] = scores.get(other, 0) + weight
    scores.pop(slug, None)
    best = heapq.nsmallest(RELATED, [(-score, other) for other, score in scores.items()])  # no key: compared in C
    return tuple((other, tuple(e for e in rarest if other in in_articles[e][:POSTINGS])) for _, other in best)
