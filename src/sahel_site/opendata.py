"""SiteGraph -> the open data files under data/: the same rows as JSON and as CSV.

Columns are documented for readers in templates/data/index.html; a test keeps the two in step.
Rows are made one at a time and handed out as text pieces: the mentions table alone runs to
hundreds of megabytes of rows at archive scale, more than the rest of the build holds.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sahel_site.model import KnowledgeBase, SiteConfig, SiteGraph

Row = dict[str, Any]
Table = tuple[list[str], Iterable[Row]]  # columns, and the rows (made as they are read)
UrlOf = Callable[[str, str], str]  # (kind, slug) -> site-relative page address
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


def data_files(graph: SiteGraph, kb: KnowledgeBase, config: SiteConfig,
               url_of: UrlOf) -> Iterator[tuple[tuple[str, str], Iterator[tuple[str, str]]]]:
    """data/<name>.json and data/<name>.csv for articles, entities, mentions, graph and themes:
    each pair of file names with their texts, piece by piece, as (JSON piece, CSV piece)."""
    tables = {
        "articles": article_rows(graph, url_of),
        "entities": entity_rows(graph, kb, url_of),
        "mentions": mention_rows(graph, kb, url_of),
        "graph": graph_rows(graph, kb),
        "themes": theme_rows(graph, kb),
    }
    for name, (columns, rows) in tables.items():
        yield (f"data/{name}.json", f"data/{name}.csv"), table_text(name, columns, rows, config)


def table_text(name: str, columns: list[str], rows: Iterable[Row], config: SiteConfig) -> Iterator[tuple[str, str]]:
    """The JSON and the CSV of one table, a row at a time."""
    head = json.dumps({"dataset": name, "license": config.license, "source": config.title, "columns": columns},
                      ensure_ascii=False)
    csv_row = csv_writer()
    yield f'{head[:-1]}, "rows": [\n', csv_row(columns)
    separator = ""
    for row in rows:
        yield separator + json_row(row), csv_row([cell(row[c]) for c in columns])
        separator = ",\n"
    yield "\n]}\n", ""


def article_rows(graph: SiteGraph, url_of: UrlOf) -> Table:
    columns = ["article", "title", "date", "authors", "summary", "words", "source_url", "url"]
    rows = ({"article": a.slug, "title": a.title, "date": a.date.date().isoformat(), "authors": list(a.authors),
             "summary": a.summary, "words": a.words, "source_url": a.source_url, "url": url_of("article", a.slug)}
            for a in graph.articles)
    return columns, rows


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
    return columns, rows


def mention_rows(graph: SiteGraph, kb: KnowledgeBase, url_of: UrlOf) -> Table:
    columns = ["article", "article_date", "article_url", "entity", "kind", "surface", "how", "paragraph",
               "sentence", "start", "end"]
    return columns, _mentions(graph, kb, url_of)


def _mentions(graph: SiteGraph, kb: KnowledgeBase, url_of: UrlOf) -> Iterator[Row]:
    for article in graph.articles:
        extraction = graph.extractions[article.slug]
        for m in extraction.mentions:
            sentence = extraction.sentences[m.sentence]
            yield {"article": article.slug, "article_date": article.date.date().isoformat(),
                   "article_url": f"{url_of('article', article.slug)}#p-{m.block}", "entity": m.entity,
                   "kind": kb.entities[m.entity].kind, "surface": m.surface, "how": m.how,
                   "paragraph": m.block, "sentence": sentence.text, "start": m.start - sentence.start,
                   "end": m.end - sentence.start}


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
    return columns, rows


def theme_rows(graph: SiteGraph, kb: KnowledgeBase) -> Table:
    columns = ["theme", "name", "article", "article_date", "score", "sentences"]
    rows = ({"theme": t.theme, "name": kb.themes[t.theme].name, "article": article.slug,
             "article_date": article.date.date().isoformat(),
             "score": round(t.score, 3), "sentences": len(t.sentences)}
            for article in graph.articles for t in graph.extractions[article.slug].themes)
    return columns, rows


def json_row(row: Row) -> str:
    """One row on one line, compact."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def csv_writer() -> Callable[[list[Any]], str]:
    """RFC 4180 CSV, one record at a time (header included); lists joined by " | ", text that a
    spreadsheet would take for a formula with a leading apostrophe (see ``cell``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def record(values: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    return record


def cell(value: Any) -> Any:
    if isinstance(value, list):
        value = " | ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value
