"""Hostile text in every field reaches the reader as text: no script, handler or script URL of its own."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from sahel_site import markup
from sahel_site.cli import main

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"

# One string carrying the classic ways out of text, of an attribute, of a script element,
# of a template and of a spreadsheet cell.
PAYLOAD = ("<script>alert(1)</script>\"><img src=x onerror=alert(2)>'><svg onload=alert(3)>"
           "</script><script>alert(4)</script><style>*{}</style><iframe src=javascript:alert(5)></iframe>"
           " javascript:alert(6) {{ 7*7 }} {% raw %} &amp; &lt;b&gt; \u202eevil\u202c =cmd|' /C calc'!A0")
URL_PAYLOADS = ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                "jav&#x61;script:alert(1)", "jav&#97;script:alert(1)", "javascript&colon;alert(1)",
                "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd",
                "ｊａｖａｓｃｒｉｐｔ:alert(1)", "%6Aavascript:alert(1)")
BAD_SCHEME = re.compile(r"^[\x00-\x20]*(javascript|vbscript|data|file):", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "background", "cite")
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")
SAFE_SCRIPT = re.compile(r"^(\.\./)*(static/js/[a-z0-9-]+|pagefind/pagefind-ui)\.js$")  # the site's own scripts


def field(name: str) -> str:
    return f"XSS-{name} {PAYLOAD}"


def body() -> str:
    links = "\n".join(f"- [link {i}]({url}) and <{url}> and ![img {i}]({url})" for i, url in enumerate(URL_PAYLOADS))
    reference = "".join(f"[ref {i}]: {url}\n" for i, url in enumerate(URL_PAYLOADS))
    html = ("<script>alert('body')</script>\n\n<div onclick=\"alert(1)\" style=\"color:red\">div</div>\n\n"
            "<p>inline <img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">a</a>"
            " <a href=\"https://example.org/ok\" onmouseover=alert(1)>ok</a> <abbr title=\"Alliance\">AES</abbr></p>\n\n"
            "<iframe src=\"https://evil.example\"></iframe><object data=x></object><embed src=x>\n\n"
            "<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>go</button></form>\n\n"
            "<svg><a xlink:href=\"javascript:alert(1)\"><text>t</text></a></svg>\n\n"
            "<base href=\"https://evil.example/\"><meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">\n\n"
            "<style>body{display:none}</style>\n\n<!-- a comment -->\n")
    return (f"The Evil Corp met Mali in Bamako. {PAYLOAD}\n\nEvil Corp spoke of drones and a security pact.\n\n"
            f"{html}\n{links}\n\nReferences: [ref 0][ref 0] [ref 3][ref 3] [title](https://example.org \"{PAYLOAD}\")\n\n"
            f"{reference}\n```{PAYLOAD}\n{PAYLOAD}\n```\n\n`{PAYLOAD}` and *{PAYLOAD}*\n"
)


def hostile_site(root: Path, raw_html: bool = False) -> Path:
    site = root / "site"
    shutil.copytree(GOOD, site)
    content = site / "content"
    settings = {key: field(key) for key in ("title", "description", "author", "license", "copyright")}
    settings |= {"base_url": 'https://example.org/x"><script>alert(1)</script>/', "language": 'en"><script>alert(1)</script>',
                 "raw_html": raw_html}
    (content / "site.yml").write_text(yaml.safe_dump(settings, allow_unicode=True))
    meta = {"title": field("title"), "date": "2026-11-20", "summary": field("summary"),
            "authors": [field("author"), "=HYPERLINK(\"http://evil\")"], "tags": [field("tag"), "+cmd", "-cmd", "@cmd"],
            "publisher": field("publisher"), "license": field("license"),
            "source_url": f"https://example.org/{PAYLOAD}"}
    (content / "articles" / "2026-11-20-hostile.md").write_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body())
    actor = {"id": "evil-corp", "name": "Evil Corp", "type": "organization", "aliases": [field("alias")],
             "description": field("description"), "role": field("role"), "source": field("source"),
             "wikidata": f"Q1{PAYLOAD}", "country": "mali"}
    named = {"id": "hostile-name", "name": field("name"), "type": "person", "description": "=1+1"}
    with (content / "knowledge" / "actors.yml").open("a") as out:
        out.write(yaml.safe_dump([actor, named], allow_unicode=True))
    theme = {"id": "hostile", "name": field("theme"), "definition": field("definition"),
             "cues": {"security pact": 3, "drones": 2}}
    with (content / "knowledge" / "themes.yml").open("a") as out:
        out.write(yaml.safe_dump([theme], allow_unicode=True))
    return site


def build(site: Path, out: Path) -> None:
    err = io.StringIO()
    code = main(["build", "--site", str(site), "--out", str(out)], stdout=io.StringIO(), stderr=err)
    assert (code, err.getvalue()) == (0, "")


@pytest.fixture(scope="module", params=[False, True], ids=["html-as-text", "raw-html"])
def hostile_build(request, tmp_path_factory) -> tuple[Path, bool]:
    root = tmp_path_factory.mktemp("hostile")
    build(hostile_site(root, request.param), root / "out")
    return root / "out", request.param


def pages(out: Path, suffix: str) -> list[Path]:
    found = sorted(out.rglob(f"*{suffix}"))
    assert found
    return found


def test_no_script_handler_style_or_script_url_in_any_page(hostile_build):
    out, _ = hostile_build
    for page in pages(out, ".html"):
        tree = LexborHTMLParser(page.read_text())
        where = page.relative_to(out)
        for script in tree.css("script"):
            if script.attributes.get("type") == "application/ld+json":
                json.loads(script.text())
                continue
            assert SAFE_SCRIPT.match(script.attributes.get("src") or ""), (where, script.html)
            assert script.text() == "", where
        for node in tree.css("*"):
            assert not [a for a in node.attributes if a.lower().startswith("on")], (where, node.html)
            assert "style" not in node.attributes, (where, node.html)
            for name in URL_ATTRIBUTES:
                value = node.attributes.get(name)
                assert value is None or not BAD_SCHEME.match(value), (where, node.html)
        forbidden = tree.css("style, iframe, object, embed, form, base, frame, frameset")
        assert not forbidden, (where, [n.html for n in forbidden])
        refresh = [m for m in tree.css("meta") if m.attributes.get("http-equiv", "").lower() == "refresh"]
        assert not refresh, where


def test_every_page_carries_the_strict_policy(hostile_build):
    out, _ = hostile_build
    for page in pages(out, ".html"):
        policies = [m.attributes["content"] for m in LexborHTMLParser(page.read_text()).css("meta[http-equiv]")
                    if m.attributes["http-equiv"] == "Content-Security-Policy"]
        assert len(policies) == 1, page
        rules = dict((part.strip().split(" ", 1) + [""])[:2] for part in policies[0].split(";"))
        assert rules["script-src"].split()[0] == "'self'" and "'unsafe-inline'" not in policies[0], page
        assert rules["style-src"] == "'self'" and rules["object-src"] == "'none'", page
        assert rules["base-uri"] == "'none'", page


def test_payloads_are_shown_as_text(hostile_build):
    out, raw = hostile_build
    article = LexborHTMLParser((out / "articles" / "hostile" / "index.html").read_text())
    text = article.body.text()
    for name in ("title", "summary", "author", "tag", "publisher", "copyright"):
        if name != "tag":
            assert f"XSS-{name} {PAYLOAD}" in text, name
    assert article.css_first("h1").text() == field("title")
    assert article.css_first("title").text().startswith(field("title"))
    assert "49" not in text
    source = [a.attributes["href"] for a in article.css("a") if a.text().startswith("Source")]
    assert source == ["https://example.org/" + PAYLOAD]
    if raw:
        assert article.css_first("abbr[title=Alliance]").text() == "AES"
        assert "alert('body')" not in text
    else:
        assert "<script>alert('body')</script>" in text and not article.css("abbr")
    entity = LexborHTMLParser((out / "actors" / "evil-corp" / "index.html").read_text()).body.text()
    for name in ("description", "role", "alias", "source"):
        assert f"XSS-{name} {PAYLOAD}" in entity, name


def test_script_urls_never_become_links(hostile_build):
    out, _ = hostile_build
    article = LexborHTMLParser((out / "articles" / "hostile" / "index.html").read_text())
    for i in range(len(URL_PAYLOADS)):
        assert not [a for a in article.css("a") if a.text() in (f"link {i}", f"ref {i}") and "href" in a.attributes]
        assert not article.css(f"img[alt='img {i}']")


def test_data_files_parse_and_carry_the_text(hostile_build):
    out, _ = hostile_build
    for path in pages(out, ".json"):
        json.loads(path.read_text())
    names = {n["name"] for n in json.loads((out / "graph" / "graph.json").read_text())["nodes"]}
    assert "Evil Corp" in names
    for path in sorted(out.rglob("*.xml")):
        ElementTree.parse(path)
    for path in sorted(out.rglob("*.csv")):
        for row in csv.reader(io.StringIO(path.read_text())):
            formulas = [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(cell)]
            assert not formulas, (path, row)


def build_errors(site: Path, tmp_path: Path) -> list[str]:
    err = io.StringIO()
    code = main(["build", "--site", str(site), "--out", str(tmp_path / "out")], stdout=io.StringIO(), stderr=err)
    assert code == 1 and not (tmp_path / "out").exists()
    *problems, summary = err.getvalue().splitlines()
    assert summary.startswith("Build failed: ")
    return problems


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example/x", "ftp://x"])
def test_source_url_must_be_a_web_address(url, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    path = site / "content" / "articles" / "2026-11-01-drones-for-niamey.md"
    path.write_text(path.read_text().replace("https://example.org/drones", json.dumps(url)))
    message = f"'source_url' must be an http:// or https:// address, not {url!r}"
    assert build_errors(site, tmp_path) == [f"content/articles/2026-11-01-drones-for-niamey.md:7: {message}"]


@pytest.mark.parametrize("url", ["javascript://%0aalert(1)", "data:text/html,x", " vbscript:x"])
def test_base_url_must_be_a_path_or_web_address(url, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    (site / "content" / "site.yml").write_text(f"title: T\nbase_url: {json.dumps(url)}\n")
    assert build_errors(site, tmp_path) == [
        f"content/site.yml:2: 'base_url' must be a path like /repo/ or an http:// or https:// address, not {url.strip()!r}"]


def test_two_entities_cannot_claim_one_address(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    with (site / "content" / "knowledge" / "actors.yml").open("a") as out:
        out.write("- {id: al_mourabitoun, name: Al Mourabitoun, type: group}\n"
                  "- {id: al-mourabitoun, name: Al-Mourabitoun group, type: group}\n"
                  "- {id: old-name, name: Old Name, type: group, former_slugs: [mali]}\n"
                  "- {id: escape, name: Escape, type: group, former_slugs: ['../../etc']}\n")
    lines = (site / "content" / "knowledge" / "actors.yml").read_text().count("\n")
    same = f"has the same address as 'al_mourabitoun' at content/knowledge/actors.yml:{lines - 3}"
    assert build_errors(site, tmp_path) == [
        f"content/knowledge/actors.yml:{lines - 2}: id 'al-mourabitoun' {same}",
        f"content/knowledge/actors.yml:{lines - 1}: id 'mali' is already used at content/knowledge/states.yml:1",
        f"content/knowledge/actors.yml:{lines}: 'former_slugs' must be ids: lower-case ASCII words joined by hyphens",
    ]


@pytest.mark.parametrize("url", [*URL_PAYLOADS, "\x01javascript:x", "java\nscript:x", "\u00a0javascript:x"])
def test_no_script_url_is_safe(url):
    assert not markup.safe_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a:b", "/mali/", "#p-2", "mailto:desk@example.org", "b/c", "tel:+22312345678"])
def test_web_and_relative_urls_are_safe(url):
    assert markup.safe_url(url)
