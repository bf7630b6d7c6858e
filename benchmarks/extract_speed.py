"""Extraction time per 700-word article, with the full knowledge base and with
synthetic knowledge bases of growing size.

    python benchmarks/extract_speed.py [--articles 200] [--sizes 100,1000,10000] [--runs 5]

Times are CPU time (the process's user and system time), the median of the runs:
on a machine shared with other work, wall time measures the neighbours too.

Articles come from make_corpus.make_article (the benchmark corpus, about 700
words each). The synthetic knowledge bases keep the repository's states and
themes, take its actors, and add generated people and organisations (names made
of random syllables, with aliases and acronyms) until they hold the number of
entities asked for; below the real size they keep the first entities only. The
cost per article should not grow with the number of entities: names are looked
up word by word in a trie, never entity by entity.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from make_corpus import make_article, yaml_front_matter

from sahel_site.content import parse_article
from sahel_site.extract import compile_matcher, extract
from sahel_site.knowledge import load_knowledge
from sahel_site.model import Entity, KnowledgeBase

SYLLABLES = ["ba", "ko", "di", "sa", "ma", "tu", "ne", "ra", "lo", "fi", "ga", "ze", "mou", "dja", "kar", "sel"]


def articles(count: int) -> list:
    parsed = []
    for index in range(count):
        a = make_article(index)
        article, _ = parse_article(yaml_front_matter(a) + a.body, f"{a.slug}.md", a.slug)
        parsed.append(article)
    return parsed


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def synthetic(kb: KnowledgeBase, size: int) -> KnowledgeBase:
    """The real knowledge base cut or padded with generated actors to ``size`` entities."""
    real = list(kb.entities.values())
    template = next(e for e in real if e.kind == "actor")
    rng = random.Random(size)
    extra = []
    for n in range(max(0, size - len(real))):
        if n % 2:
            full = f"{name(rng)} {name(rng)}"
            extra.append(dataclasses.replace(template, id=f"p{n}", type="person", name=full, aliases=()))
        else:
            words = [name(rng) for _ in range(2)] + [rng.choice(["Council", "Front", "Movement", "Agency"])]
            acronym = "".join(w[0] for w in words).upper() + str(n)
            extra.append(dataclasses.replace(template, id=f"o{n}", type="organization", name=" ".join(words),
                                             aliases=(acronym,)))
    entities: list[Entity] = (real + extra)[:size]
    return KnowledgeBase(entities={e.id: e for e in entities}, themes=kb.themes)


def ms_per_700_words(parsed: list, kb: KnowledgeBase, runs: int) -> float:
    matcher = compile_matcher(kb)
    words = sum(a.article.words for a in parsed)
    times = []
    for _ in range(runs):
        started = time.process_time()
        for article in parsed:
            extract(article, matcher)
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000 / words * 700


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    kb, _ = load_knowledge(REPO)
    parsed = articles(args.articles)
    words = sum(a.article.words for a in parsed) / len(parsed)
    print(f"{len(parsed)} articles, {words:.0f} words on average; CPU time, median of {args.runs} runs")
    print(f"{'knowledge base':<28} {'entities':>9} {'ms / 700 words':>15}")
    print(f"{'full (repository)':<28} {len(kb.entities):>9} {ms_per_700_words(parsed, kb, args.runs):>15.2f}")
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{'synthetic':<28} {size:>9} {ms_per_700_words(parsed, synthetic(kb, size), args.runs):>15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
