"""Build real sites into a temporary folder and read them as a reader would."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sitecheck import broken_links, page, reachable

from sahel_site.build import build, extract_files

TESTS = Path(__file__).parent
REPO = TESTS.parent
GOOD = TESTS / "sites" / "good"


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good") / "_site"
    report = build(GOOD, out)
    assert report.articles == 2
    return out


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "_site"
    build(REPO, out)
    return out


def test_pretty_urls_and_special_files(good_site):
    for url in ("", "articles/", "articles/drones-for-niamey/", "actors/", "actors/abdourahamane-tiani/",
                "states/", "states/niger/", "themes/", "themes/arms-transfers/"):
        assert (good_site / url / "index.html").is_file(), url
    assert (good_site / "404.html").is_file()
    assert (good_site / ".nojekyll").is_file()
    assert (good_site / "static" / "css" / "site.css").is_file()
    assert not (good_site / "articles" / "draft").exists()


def test_no_broken_link_and_everything_reachable(good_site):
    assert broken_links(good_site, "/fixture/") == []
    pages = {p for p in good_site.rglob("index.html")}
    assert pages - reachable(good_site) == set()


def test_article_body_links_each_mention_at_token_level(good_site):
    doc = page(good_site, "articles/drones-for-niamey/")
    first = doc.css_first("#p-1")
    assert first.tag == "p"
    links = [(a.text(deep=False), a.attributes["href"]) for a in first.css("a.ent")]
    assert links == [("Niger", "../../states/niger/"), ("Niamey", "../../states/niger/")] or links == [
        ("Niger", "../../states/niger/")]
    # list items in a tight list carry the anchor themselves
    assert doc.css_first("li#p-3") is not None
    # a name inside code or inside an existing link is not linked
    code_para = [p for p in doc.css(".body p") if "code" in p.text()][-1]
    assert [a.attributes["href"] for a in code_para.css("a")] == ["https://example.org/mali"]
    assert doc.css_first("pre code").text().strip() == 'print("not a mention of Mali")'


def test_article_panel_and_voices(good_site):
    doc = page(good_site, "articles/aes-summit/")
    panel = doc.css_first("aside.panel").text()
    for name in ("Assimi Goïta", "Alliance of Sahel States", "ECOWAS", "Mali", "Russia", "Defence cooperation"):
        assert name in panel
    voices = doc.css_first(".voices").text()
    assert "Critics" in voices and "argue" in voices


def test_entity_page_evidence_links_back_to_paragraph(good_site):
    doc = page(good_site, "actors/abdourahamane-tiani/")
    quotes = doc.css(".evidence blockquote")
    assert [q.css_first("mark").text() for q in quotes] == ["Abdourahamane Tiani", "Tiani"]
    target = quotes[0].css_first("a").attributes["href"]
    assert target.startswith("../../articles/drones-for-niamey/#p-")
    anchor = target.split("#")[1]
    article = page(good_site, "articles/drones-for-niamey/")
    assert "Abdourahamane Tiani" in article.css_first(f"#{anchor}").text()


def test_entity_page_connections_and_relations(good_site):
    doc = page(good_site, "states/mali/")
    rows = [r.css_first("td").text() for r in doc.css("table.data tbody tr")]
    assert "Assimi Goïta" in rows
    relations = doc.css_first(".relations").text()
    assert "Led by" in relations and "Assimi Goïta" in relations


def test_html_is_escaped_and_has_one_h1(good_site):
    for html in good_site.rglob("*.html"):
        doc = page(good_site, str(html.relative_to(good_site)))
        assert len(doc.css("h1")) == 1, html
        assert doc.css_first("html").attributes["lang"] == "en"
    title = page(good_site, "articles/drones-for-niamey/").css_first("h1").text()
    assert title == "Drones for Niamey: Niger's new suppliers"


def test_404_uses_base_path_links(good_site):
    doc = page(good_site, "404.html")
    assert doc.css_first("a.brand").attributes["href"] == "/fixture/"


def test_no_canonical_address_without_a_host(good_site):
    # base_url is the path /fixture/: a path is no canonical address to a search engine
    for url in ("index.html", "articles/drones-for-niamey/index.html", "states/niger/index.html"):
        assert page(good_site, url).css_first("link[rel=canonical]") is None, url


def test_real_content_builds_and_links(real_site):
    assert broken_links(real_site) == []
    pages = set(real_site.rglob("index.html"))
    assert pages - reachable(real_site) == set()


def gold(name: str) -> dict:
    data = yaml.safe_load((TESTS / "extraction" / "seed_gold.yaml").read_text(encoding="utf-8"))
    return data["documents"][name]


def test_seed_article_extraction_matches_gold():
    (doc,), _ = extract_files(REPO, [REPO / "content" / "articles" / "2026-11-24-aes-russia-visit.md"])
    expected = gold("aes-russia-visit.txt")
    assert sorted(s["iso2"] for s in doc["states"]) == sorted(s["iso2"] for s in expected["states"])
    assert sorted(a["name"] for a in doc["actors"]) == sorted(a["name"] for a in expected["actors"])
    assert set(expected["themes"]) <= {t["id"] for t in doc["themes"]}


def test_maps_on_home_and_state_pages(good_site):
    home = page(good_site, "").css_first("figure.map-figure svg.map")
    assert home is not None and home.css_first("title").text() == "Map of the Sahel and West Africa"
    shaded = {a.css_first("title").text().split(" — ")[0] for a in home.css("a")
              if "map-land" not in a.css_first("path").attributes["class"]}
    assert shaded == {"Niger", "Mali", "Burkina Faso"}  # Russia lies outside the region
    assert "map-marked" in home.css_first("a[href='states/mali/'] path").attributes["class"]
    assert home.css_first("a[href='states/niger/']") is not None
    mali = page(good_site, "states/mali/").css_first("svg.map")
    highlighted = [p.parent.css_first("title").text() for p in mali.css("path.map-hl")]
    assert [t.split(" — ")[0] for t in highlighted] == ["Mali"]
    assert mali.css_first("a[href='../../states/niger/']") is not None
    russia = page(good_site, "states/russia/").css_first("svg.map")
    assert "map-world" in russia.attributes["class"]
