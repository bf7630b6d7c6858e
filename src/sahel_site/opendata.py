"""SiteGraph -> the open data files under data/: the same rows as JSON and as CSV.

Columns are documented for readers in templates/data/index.html; a test keeps the two in step.
Rows are handed out as text pieces, an article's rows at a time where a table has rows per
article: the mentions table alone runs to hundreds of megabytes at archive scale, more than
the rest of the build holds, and a build after an edit copies the unchanged articles' pieces
from the last output instead of making them again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sahel_site.model import Article, KnowledgeBase, SiteConfig, SiteGraph

Row = dict[str, Any]
UrlOf = Callable[[str, str], str]  # (kind, slug) -> site-relative page address
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula
SEPARATORS = (",\n", "")  # between the JSON rows, between the CSV records
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one row on one line, compact
Make = Callable[[], tuple[str, str]]  # the JSON rows (joined by SEPARATORS[0]) and the CSV records of a piece
Table = tuple[list[str], Iterable[tuple[str, Make]]]  # the columns, and the pieces of rows in order


@dataclass(frozen=True, slots=True)
class DataTable:
    """One table as the JSON and CSV files that hold it."""

    names: tuple[str, str]
    heads: tuple[str, str]
    pieces: Iterable[tuple[str, Make]]  # (article slug, or "" for rows of no one article; its rows), in order
    tails: tuple[str, str]


def data_files(graph: SiteGraph, kb: KnowledgeBase, config: SiteConfig, url_of: UrlOf) -> Iterator[DataTable]:
    """data/<name>.json and data/<name>.csv for articles, entities, mentions, graph and themes."""
    tables: dict[str, Table] = {
        "articles": article_rows(graph, url_of),
        "entities": entity_rows(graph, kb, url_of),
        "mentions": mention_rows(graph, kb, url_of),
        "graph": graph_rows(graph, kb),
        "themes": theme_rows(graph, kb),
    }
    for name, (columns, pieces) in tables.items():
        head = json.dumps({"dataset": name, "license": config.license, "source": config.title, "columns": columns},
                          ensure_ascii=False)
        yield DataTable((f"data/{name}.json", f"data/{name}.csv"), (f'{head[:-1]}, "rows": [\n', csv_text([columns])),
                        pieces, ("\n]}\n", ""))


def rows_text(columns: list[str], rows: Iterable[Row]) -> tuple[str, str]:
    """Rows as JSON lines and as CSV records."""
    rows = list(rows)
    return SEPARATORS[0].join(map(_ROW, rows)), csv_text([[cell(row[c]) for c in columns] for row in rows])


def per_article(graph: SiteGraph, columns: list[str],
                rows: Callable[[Article], Iterable[Row]]) -> Iterator[tuple[str, Make]]:
    for article in graph.articles:
        yield article.slug, lambda article=article: rows_text(columns, rows(article))


def article_rows(graph: SiteGraph, url_of: UrlOf) -> Table:
    columns = ["article", "title", "date", "authors", "summary", "words", "source_url", "url"]
    return columns, per_article(graph, columns, lambda a: [
        {"article": a.slug, "title": a.title, "date": a.date.date().isoformat(), "authors": list(a.authors),
         "summary": a.summary, "words": a.words, "source_url": a.source_url, "url": url_of("article", a.slug)}])


def whole(columns: list[str], rows: list[Row]) -> Table:
    """A table of no one article's rows: one piece, made again by every build."""
    return columns, [("", lambda: rows_text(columns, rows))]


def entity_rows(graph: SiteGraph, kb: KnowledgeBase, url_of: UrlOf) -> Table:
    columns = ["id", "kind", "type", "name", "aliases", "wikidata", "iso2", "iso3", "description",
               "mentions", "articles", "url"]
    rows = []
    for e in kb.entities.values():
        stats = graph.stats.get(e.id)
        rows.append({"id": e.id, "kind": e.kind, "type": e.type, "name": e.name, "aliases": list(e.aliases),
                     "wikidata": e.wikidata, "iso2": e.iso2, "iso3": e.iso3, "description": e.description,
                     "mentions": stats.mentions if stats else 0, "articles": len(stats.articles) if stats else 0,
                     "url": url_of(e.kind, e.id)})
    for t in kb.themes.values():
        stats = graph.stats.get(t.id)
        rows.append({"id": t.id, "kind": "theme", "type": "theme", "name": t.name, "aliases": [], "wikidata": "",
                     "iso2": "", "iso3": "", "description": t.definition, "mentions": stats.mentions if stats else 0,
                     "articles": len(stats.articles) if stats else 0, "url": url_of("theme", t.id)})
    return whole(columns, rows)


def mention_rows(graph: SiteGraph, kb: KnowledgeBase, url_of: UrlOf) -> Table:
    columns = ["article", "article_date", "article_url", "entity", "kind", "surface", "how", "paragraph",
               "sentence", "start", "end"]

    def rows(article: Article) -> Iterator[Row]:
        extraction, date, url = graph.extractions[article.slug], article.date.date().isoformat(), \
            url_of("article", article.slug)
        for m in extraction.mentions:
            sentence = extraction.sentences[m.sentence]
            yield {"article": article.slug, "article_date": date, "article_url": f"{url}#p-{m.block}",
                   "entity": m.entity, "kind": kb.entities[m.entity].kind, "surface": m.surface, "how": m.how,
                   "paragraph": m.block, "sentence": sentence.text, "start": m.start - sentence.start,
                   "end": m.end - sentence.start}

    return columns, per_article(graph, columns, rows)


def graph_rows(graph: SiteGraph, kb: KnowledgeBase) -> Table:
    """Each pair of co-mentioned actors or states once, strongest first."""
    columns = ["source", "target", "source_kind", "target_kind", "articles", "sentences", "weight"]
    rows = []
    for entity, stats in graph.stats.items():
        for c in stats.co_mentions:
            if entity in kb.entities and c.other in kb.entities and entity < c.other:
                rows.append({"source": entity, "target": c.other, "source_kind": kb.entities[entity].kind,
                             "target_kind": kb.entities[c.other].kind, "articles": c.articles,
                             "sentences": c.sentences, "weight": round(c.weight, 3)})
    rows.sort(key=lambda r: (-r["weight"], r["source"], r["target"]))
    return whole(columns, rows)


def theme_rows(graph: SiteGraph, kb: KnowledgeBase) -> Table:
    columns = ["theme", "name", "article", "article_date", "score", "sentences"]
    return columns, per_article(graph, columns, lambda article: [
        {"theme": t.theme, "name": kb.themes[t.theme].name, "article": article.slug,
         "article_date": article.date.date().isoformat(), "score": round(t.score, 3), "sentences": len(t.sentences)}
        for t in graph.extractions[article.slug].themes])


def csv_text(records: list[list[Any]]) -> str:
    """RFC 4180 CSV records; lists joined by " | ", text that a spreadsheet would take for a
    formula with a leading apostrophe (see ``cell``)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(records)
    return buffer.getvalue()


def cell(value: Any) -> Any:
    if isinstance(value, list):
        value = " | ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value
