"""The analysis a reader sees: evidence, timeline, connections, voices, network, provenance.

Builds a generated archive (many articles over several months) into a temporary folder
and reads its HTML and JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sitecheck import broken_links, page, reachable

from sahel_site.build import build
from sahel_site.pages import YEAR_WIDTH, timeline

GOOD = Path(__file__).parent / "sites" / "good"
ARTICLES = 30
SEED_LIKE = """\
---
title: Voices on the pivot
date: 2026-12-01
---

Critics argue that the embrace of Russia may come at a steep cost. Human rights organizations have warned \
that operations could replicate abuses.

Pro-government voices in Bamako, Ouagadougou, and Niamey argue that Western aid has done little. \
The partnership brings drones and weapons and a security pact with military training.
"""


def generated(n: int) -> str:
    """Article n: Mali four times in four sentences, Niger once beside it, over several months."""
    day = dt.date(2026, 1, 5) + dt.timedelta(days=9 * n)
    return f"""---
title: Report {n:02d} on Mali
date: {day.isoformat()}
summary: Number {n}.
---

Mali and Niger signed a security pact. Mali bought drones and weapons.

Mali hosted the talks. Observers in Mali expect military training to follow.
"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("archive")
    shutil.copytree(GOOD / "content", site / "content")
    for n in range(ARTICLES):
        (site / "content" / "articles" / f"report-{n:02d}.md").write_text(generated(n), encoding="utf-8")
    (site / "content" / "articles" / "voices.md").write_text(SEED_LIKE, encoding="utf-8")
    out = site / "_site"
    build(site, out)
    return out


def test_evidence_grouped_by_article_newest_first_and_paginated(archive):
    doc = page(archive, "states/mali/")
    groups = doc.css("section.evidence")
    assert len(groups) == 20
    dates = [g.css_first("time").attributes["datetime"] for g in groups]
    assert dates == sorted(dates, reverse=True)
    first = next(g for g in groups if "Report 29" in g.css_first("h3").text())
    quotes = first.css("blockquote")
    assert len(quotes) == 4  # one per sentence, not one per page
    assert [q.css_first("mark").text() for q in quotes] == ["Mali"] * 4
    assert quotes[0].css_first(".cite a").attributes["href"] == "../../articles/report-29/#p-1"
    pager = doc.css_first("nav.pager")
    assert "Page 1 of 2" in pager.text()
    assert pager.css_first("a[rel=next]").attributes["href"] == "../../states/mali/mentions/2/"
    rest = page(archive, "states/mali/mentions/2/")
    in_articles = int(doc.css_first(".entity-head .meta").text().split(" in ")[1].split()[0])
    assert in_articles > ARTICLES and len(rest.css("section.evidence")) == in_articles - 20
    assert rest.css_first("a[rel=prev]").attributes["href"] == "../../../../states/mali/"


def test_pages_stay_small_and_linked(archive):
    assert max(p.stat().st_size for p in archive.rglob("*.html")) < 100_000
    assert broken_links(archive, "/fixture/") == []
    assert set(archive.rglob("index.html")) - reachable(archive) == set()


def test_timeline_table_has_the_monthly_numbers(archive):
    doc = page(archive, "states/mali/")
    assert doc.css_first(".timeline svg title").text() == "Mentions of Mali per month"
    rows = {r.css_first("th").text(): int(r.css_first("td").text()) for r in doc.css(".timeline tbody tr")}
    expected: dict[str, int] = {}
    for n in range(ARTICLES):
        month = f"{dt.date(2026, 1, 5) + dt.timedelta(days=9 * n):%B %Y}"
        expected[month] = expected.get(month, 0) + 4
    assert {m: rows[m] for m in expected} == expected
    assert "October 2026" not in rows and rows["December 2026"] == 1  # Bamako among the voices
    mentions = int(doc.css_first(".entity-head .meta").text().split()[0])
    assert sum(rows.values()) == mentions
    bars = [b.css_first("title").text() for b in doc.css(".timeline rect.tl-bar")]
    assert bars == [f"{m}: {n}" for m, n in rows.items()]


def test_timeline_year_labels_stay_inside_the_drawing():
    months = [f"{y}-{m:02d}" for y in range(2020, 2026) for m in range(1, 13)] + ["2026-01", "2026-02"]
    drawn = timeline(tuple((month, 1) for month in months))
    assert [t["text"] for t in drawn["ticks"]] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert all(t["x"] + YEAR_WIDTH <= drawn["width"] for t in drawn["ticks"])
    short = timeline((("2025-11", 3), ("2026-01", 1)))  # a short history: its labels fit
    assert [t["text"] for t in short["ticks"]] == ["2025", "2026"]


def test_co_mentions_and_knowledge_base_relations_kept_apart(archive):
    doc = page(archive, "states/mali/")
    connections = doc.css_first("table.connections")
    first = [td.text() for td in connections.css_first("tbody tr").css("td")]
    assert first[:2] == ["Niger", "state"] and int(first[2]) >= ARTICLES and int(first[3]) >= ARTICLES
    assert "not a relation" in connections.css_first("caption").text()
    relations = doc.css_first("dl.relations")
    labels = [dt_.text() for dt_ in relations.css("dt")]
    assert labels == ["Led by", "Member of"]
    assert "Alliance of Sahel States" in relations.text() and "Assimi Goïta" in relations.text()
    assert "Recorded in the knowledge base" in doc.css_first(".side-panel .panel").text()


def test_voices_of_unnamed_speakers(archive):
    doc = page(archive, "articles/voices/")
    speakers = [p.text().strip() for p in doc.css(".voices .speaker")]
    assert speakers == ["Critics argue", "Human rights organizations warned",
                        "Pro-government voices in Bamako, Ouagadougou, and Niamey argue"]
    assert doc.css_first(".voices blockquote a").attributes["href"] == "#p-1"


def test_related_articles_say_why(archive):
    doc = page(archive, "articles/report-00/")
    reasons = [r.text() for r in doc.css(".related .reason")]
    assert reasons and all(r.startswith("Shares ") for r in reasons)
    assert any("theme: Defence cooperation" in r for r in reasons)


def test_theme_strength_in_the_panel(archive):
    doc = page(archive, "articles/report-00/")
    meters = doc.css(".in-article meter")
    assert meters and all(float(m.attributes["value"]) <= float(m.attributes["max"]) for m in meters)


def test_network_json_and_drawing_agree(archive):
    data = json.loads((archive / "graph" / "graph.json").read_text())
    ids = [n["id"] for n in data["nodes"]]
    assert ids[0] == "mali"
    assert {"mali", "niger", "burkina-faso"} <= set(ids)
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    doc = page(archive, "graph/")
    drawn = doc.css(".net-nodes a")
    assert len(drawn) == len(ids)
    assert drawn[0].attributes["href"] == "../states/mali/"
    assert len(doc.css(".net-edges line")) == len(data["edges"])
    assert doc.css_first("figure.network svg title").text().startswith("Network of the")
    assert all(0 <= n["x"] <= 1000 and 0 <= n["y"] <= 1000 for n in data["nodes"])


def test_network_is_deterministic(archive, tmp_path):
    site = archive.parent
    again = tmp_path / "again"
    build(site, again)
    assert (again / "graph" / "graph.json").read_bytes() == (archive / "graph" / "graph.json").read_bytes()
    assert (again / "graph" / "index.html").read_bytes() == (archive / "graph" / "index.html").read_bytes()


def test_every_page_says_how_it_knows(archive):
    for html in archive.rglob("index.html"):
        method = page(archive, str(html.parent.relative_to(archive)) + "/").css_first("section.method")
        assert method is not None and "not" in method.text(), html
    article = page(archive, "articles/drones-for-niamey/").css_first("section.method").text()
    assert "Published 1 November 2026 by Example Wire" in article and "https://example.org/drones" in article
    entity = page(archive, "states/mali/").css_first("section.method").text()
    assert "knowledge base" in entity and "No person has checked" in entity


def test_no_inline_styles_or_scripts(archive):
    for html in archive.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert " style=" not in text and "<style" not in text, html
        assert "<script>" not in text, html


def test_article_marks_every_mention_and_links_the_first_per_paragraph(archive):
    doc = page(archive, "articles/report-00/")
    first = doc.css_first("#p-1")
    assert [(a.attributes["data-entity"], a.text(deep=False)) for a in first.css("a.ent")] == [
        ("mali", "Mali"), ("niger", "Niger")]
    assert [(s.attributes["data-entity"], s.text()) for s in first.css("span.ent-m")] == [("mali", "Mali")]
    assert doc.css_first("script[src]").attributes["src"] == "../../static/js/mentions.js"
    assert (archive / "static" / "js" / "mentions.js").is_file()
