"""Feeds, sitemap, metadata, open data and stable addresses of a built site."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from pagefind.service import get_executable
from sitecheck import broken_links, page

from sahel_site.build import build
from sahel_site.opendata import cell
from sahel_site.pages import SEARCH_GLOB
from sahel_site.search import BUNDLE, SIGNATURE

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"
BASE = "https://example.org/fixture/"
ATOM = "{http://www.w3.org/2005/Atom}"
DATASETS = ("articles", "entities", "mentions", "graph", "themes")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The good fixture with an absolute base URL, as GitHub Pages builds it."""
    out = tmp_path_factory.mktemp("published") / "_site"
    build(GOOD, out, base_url=BASE, cache_dir=None)
    return out


@pytest.fixture(scope="module")
def path_site(tmp_path_factory) -> Path:
    """The good fixture with its base_url /fixture/: a path, no host."""
    out = tmp_path_factory.mktemp("path") / "_site"
    build(GOOD, out, search_index=False, cache_dir=None)
    return out


def copy_of_good(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(GOOD, copy)
    return copy


def feed(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    return root


def test_site_feed_is_atom_with_full_content_and_stable_ids(site):
    root = feed(site / "feed.xml")
    assert root.findtext(f"{ATOM}id") == BASE
    assert root.find(f"{ATOM}link[@rel='self']").attrib["href"] == BASE + "feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        BASE + "articles/aes-summit/", BASE + "articles/drones-for-niamey/"]
    # updated comes from the newest article, never from the clock
    assert root.findtext(f"{ATOM}updated") == "2026-11-10T00:00:00Z"
    content = entries[0].find(f"{ATOM}content")
    assert content.attrib["type"] == "html"
    assert content.attrib["{http://www.w3.org/XML/1998/namespace}base"] == BASE + "articles/aes-summit/"
    assert "Critics argue that the" in content.text and '<p id="p-1">' in content.text
    labels = {c.attrib["label"] for c in entries[0].findall(f"{ATOM}category")}
    assert {"Assimi Goïta", "Mali", "Defence cooperation"} <= labels


def test_each_actor_state_and_theme_has_its_feed_linked_from_its_page(site):
    niger = feed(site / "states" / "niger" / "feed.xml")
    titles = [e.findtext(f"{ATOM}title") for e in niger.findall(f"{ATOM}entry")]
    assert titles == ["AES summit in Bamako", "Drones for Niamey: Niger's new suppliers"]
    tiani = feed(site / "actors" / "abdourahamane-tiani" / "feed.xml")
    assert [e.findtext(f"{ATOM}title") for e in tiani.findall(f"{ATOM}entry")] == ["Drones for Niamey: Niger's new suppliers"]
    assert tiani.findtext(f"{ATOM}updated") == "2026-11-01T00:00:00Z"
    for url in ("states/niger/", "actors/abdourahamane-tiani/", "themes/defense-cooperation/"):
        links = page(site, url).css("link[rel=alternate][type='application/atom+xml']")
        assert [a.attributes["href"] for a in links] == ["../../feed.xml", f"../../{url}feed.xml"], url
        assert (site / url / "feed.xml").is_file()
    assert [a.attributes["href"] for a in page(site, "").css("link[rel=alternate]")] == ["feed.xml"]


def test_a_path_base_url_writes_no_feed_or_sitemap_and_links_none(path_site):
    assert not (path_site / "feed.xml").exists()
    assert not (path_site / "states" / "niger" / "feed.xml").exists()
    assert not (path_site / "sitemap.xml").exists()
    assert "Sitemap:" not in (path_site / "robots.txt").read_text()
    assert page(path_site, "states/niger/").css("link[rel=alternate]") == []
    assert page(path_site, "").css_first("meta[property='og:url']") is None
    assert broken_links(path_site, "/fixture/") == []


def test_sitemap_lists_every_page_but_redirects_and_404(site):
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in root]
    assert locs[0] == BASE and BASE + "articles/aes-summit/" in locs and BASE + "search/" in locs
    assert all(loc.startswith(BASE) and loc.endswith("/") for loc in locs)
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html") if "pagefind" not in p.parts}
    assert {loc.removeprefix(BASE) + "index.html" for loc in locs} == pages
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"
    assert (site / ".nojekyll").is_file() and (site / "404.html").is_file()
    assert page(site, "404.html").css_first("meta[name=robots]").attributes["content"] == "noindex"


def test_open_graph_and_canonical(site):
    doc = page(site, "articles/aes-summit/")
    meta = {m.attributes.get("property") or m.attributes.get("name"): m.attributes["content"]
            for m in doc.css("meta[property], meta[name^='twitter:']")}
    assert meta["og:type"] == "article" and meta["og:title"] == "AES summit in Bamako"
    assert meta["og:url"] == BASE + "articles/aes-summit/"
    assert meta["article:published_time"] == "2026-11-10T00:00:00Z"
    assert meta["twitter:card"] == "summary" and meta["og:site_name"] == "Good Fixture"
    assert doc.css_first("link[rel=canonical]").attributes["href"] == BASE + "articles/aes-summit/"


def jsonld(site: Path, url: str) -> dict:
    scripts = page(site, url).css("script[type='application/ld+json']")
    assert len(scripts) == 1
    return json.loads(scripts[0].text())


def test_news_article_json_ld_lists_actors_and_states_with_wikidata(site):
    data = jsonld(site, "articles/aes-summit/")
    assert data["@type"] == "NewsArticle" and data["headline"] == "AES summit in Bamako"
    assert data["datePublished"] == "2026-11-10T00:00:00Z"
    things = data["about"] + data["mentions"]
    by_name = {t["name"]: t for t in things}
    assert by_name["Assimi Goïta"]["@type"] == "Person"
    assert by_name["ECOWAS"]["@type"] == "Organization"
    assert by_name["Mali"] == {"@type": "Country", "name": "Mali", "url": BASE + "states/mali/",
                               "sameAs": "https://www.wikidata.org/wiki/Q912"}
    assert data["about"][0]["name"] == "Assimi Goïta"  # the most mentioned
    entity = jsonld(site, "states/mali/")
    assert entity["@type"] == "Country" and entity["sameAs"].endswith("/Q912")
    assert jsonld(site, "themes/defense-cooperation/")["@type"] == "DefinedTerm"


def test_json_ld_survives_a_closing_script_tag_in_a_title(tmp_path):
    copy = copy_of_good(tmp_path)
    article = copy / "content" / "articles" / "2026-11-10-aes-summit.md"
    title = "Summit </script><script>alert(1)</script> & <!-- in Bamako"
    article.write_text(article.read_text().replace("title: AES summit in Bamako", f"title: '{title}'"))
    build(copy, tmp_path / "out", base_url=BASE, search_index=False)
    doc = page(tmp_path / "out", "articles/aes-summit/")
    assert [s.attributes.get("src") for s in doc.css("script")].count(None) == 1
    assert jsonld(tmp_path / "out", "articles/aes-summit/")["headline"] == title


def read_csv(site: Path, name: str) -> list[dict[str, str]]:
    data = (site / "data" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(data, newline="")))


def test_data_files_agree_and_every_column_is_documented(site):
    doc = page(site, "data/")
    for name in DATASETS:
        document = json.loads((site / "data" / f"{name}.json").read_text())
        assert document["license"] == "CC BY 4.0" and document["rows"], name
        rows = read_csv(site, name)
        assert len(rows) == len(document["rows"])
        assert list(rows[0]) == document["columns"] == list(document["rows"][0])
        documented = [c.text() for c in doc.css(f"#columns-{name} tbody code")]
        assert documented == document["columns"], name
        assert doc.css_first(f"a[href='{name}.csv']") and doc.css_first(f"a[href='{name}.json']")
    assert "CC BY 4.0" in doc.css_first("#licence").parent.text()


def test_mentions_carry_sentence_offsets_and_article(site):
    rows = read_csv(site, "mentions")
    tiani = [r for r in rows if r["entity"] == "abdourahamane-tiani"]
    assert [r["surface"] for r in tiani] == ["Abdourahamane Tiani", "Tiani"]
    for row in rows:
        assert row["sentence"][int(row["start"]):int(row["end"])] == row["surface"]
        anchor = row["article_url"].split("#")[1]
        assert page(site, row["article_url"].split("#")[0]).css_first(f"#{anchor}") is not None
    entities = {r["id"]: r for r in read_csv(site, "entities")}
    assert entities["mali"]["wikidata"] == "Q912" and entities["defense_cooperation"]["kind"] == "theme"
    assert entities["abdourahamane-tiani"]["aliases"] == "Abdourahamane Tchiani"
    graph = json.loads((site / "data" / "graph.json").read_text())["rows"]
    assert all(r["source"] < r["target"] for r in graph)
    assert {"source": "mali", "target": "russia"}.items() <= next(
        r for r in graph if (r["source"], r["target"]) == ("mali", "russia")).items()


def test_csv_cells_that_look_like_formulas_are_defused():
    assert [cell(v) for v in ("=1+1", "+33", "-2", "@SUM(A1)", "Mali", 3, ["=a", "b"])] == [
        "'=1+1", "'+33", "'-2", "'@SUM(A1)", "Mali", 3, "'=a | b"]


def test_former_slugs_redirect_and_every_old_url_still_resolves(tmp_path):
    copy = copy_of_good(tmp_path)
    before = tmp_path / "before"
    build(copy, before, base_url=BASE, search_index=False)
    actors = copy / "content" / "knowledge" / "actors.yml"
    entries = yaml.safe_load(actors.read_text())
    for entry in entries:
        if entry["id"] == "abdourahamane-tiani":
            entry.update(id="abdourahamane-tchiani", former_slugs=["abdourahamane-tiani"])
    actors.write_text(yaml.safe_dump(entries, allow_unicode=True))
    after = tmp_path / "after"
    build(copy, after, base_url=BASE, search_index=False)
    old = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    assert old - {p.relative_to(after) for p in after.rglob("*") if p.is_file()} == set()
    moved = page(after, "actors/abdourahamane-tiani/")
    assert moved.css_first("link[rel=canonical]").attributes["href"] == BASE + "actors/abdourahamane-tchiani/"
    assert moved.css_first("meta[http-equiv=refresh]").attributes["content"] == "0; url=../../actors/abdourahamane-tchiani/"
    assert moved.css_first("main a").attributes["href"] == "../../actors/abdourahamane-tchiani/"
    assert moved.css_first("meta[name=robots]").attributes["content"] == "noindex"
    assert BASE + "actors/abdourahamane-tiani/" not in (after / "sitemap.xml").read_text()
    assert broken_links(after, "/fixture/") == []


def test_publishing_output_is_deterministic(site, tmp_path):
    again = tmp_path / "again"
    build(GOOD, again, base_url=BASE, cache_dir=None)
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert [f for f in files if (site / f).read_bytes() != (again / f).read_bytes()] == []


def test_search_page_offers_the_a_to_z_index_without_javascript(site, path_site):
    doc = page(site, "search/")
    assert "'wasm-unsafe-eval'" in doc.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    assert doc.css_first("noscript") is not None and doc.css_first("#search").attributes["data-root"] == "../"
    names = [a.text() for a in doc.css(".a-to-z .chip")]
    assert "ACTOR Assimi Goïta".lower() in [n.lower() for n in names] or any("Assimi Goïta" in n for n in names)
    letters = [a.attributes["href"] for a in doc.css(".letters a")]
    assert letters and all(doc.css_first(href) is not None for href in letters)
    assert (site / "pagefind" / "pagefind-ui.js").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    # without the index, the page neither loads it nor relaxes its policy
    plain = page(path_site, "search/")
    assert not (path_site / "pagefind").exists() and plain.css("script") == []
    assert "wasm" not in plain.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]


def indexed(site: Path) -> dict[str, dict]:
    """What the search index holds of each page, by address: the text, filters and title."""
    records = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(SIGNATURE))
        records[record["url"]] = record
    return records


def test_only_article_text_and_entity_names_are_indexed_with_filters(site):
    records = indexed(site)
    article = records["/articles/aes-summit/"]
    assert article["meta"]["title"] == "AES summit in Bamako"
    assert article["content"].startswith("AES summit in Bamako. Assimi Goïta hosted the Alliance of Sahel States")
    # neither the date line, the screen-reader labels of entity links, nor the panel
    for left_out in ("min read", "(actor)", "(state)", "In this article", "Found automatically"):
        assert left_out not in article["content"]
    assert {"Assimi Goïta", "ECOWAS"} <= set(article["filters"]["actor"])
    assert "Mali" in article["filters"]["state"] and article["filters"]["theme"] == ["Defence cooperation"]
    # an entity by its name, other names and description; not its evidence, counts or facts
    assert records["/actors/ecowas/"]["content"] == "ECOWAS. CEDEAO, Economic Community of West African States"
    assert records["/states/niger/"]["content"] == "Niger."
    assert records["/themes/arms-transfers/"]["content"] == "Arms transfers. Supply, purchase, smuggling or" \
        " rerouting of weapons, drones and military equipment."
    assert records["/actors/ecowas/"]["filters"] == {"actor": ["ECOWAS"]}
    pages = {p.parent.relative_to(site).as_posix() for p in site.glob("*/*/index.html")}
    assert set(records) == {f"/{p}/" for p in pages if p.split("/")[0] in ("articles", "actors", "states", "themes")}


def test_pages_cut_down_to_their_marked_elements_index_as_the_whole_pages(site, tmp_path):
    """The build gives Pagefind each page cut down to what it reads: run on the whole pages, it
    indexes the same pages with the same text, titles, filters and anchors."""
    whole = tmp_path / "whole"
    shutil.copytree(site, whole, ignore=shutil.ignore_patterns(BUNDLE))
    subprocess.run([str(get_executable()), "--site", str(whole), "--glob", SEARCH_GLOB, "--exclude-selectors", ".vh",
                    "--force-language", "en", "--silent"], check=True)
    assert indexed(whole) == indexed(site)
