"""Inputs at the edges: encodings and Unicode forms, duplicates, odd names, extreme sizes and depths."""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from sahel_site import knowledge
from sahel_site.cli import main

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"
FRONT = "---\ntitle: {title}\ndate: 2026-11-20\n---\n\n"


def site_with(tmp_path: Path, articles: dict[str, bytes | str]) -> Path:
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    for name, data in articles.items():
        path = site / "content" / "articles" / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return site


def build(site: Path, out: Path) -> tuple[int, list[str]]:
    err = io.StringIO()
    code = main(["build", "--site", str(site), "--out", str(out)], stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    if code:
        assert lines.pop().startswith("Build failed: ")
    return code, lines


def page(out: Path, slug: str) -> LexborHTMLParser:
    return LexborHTMLParser((out / "articles" / slug / "index.html").read_text())


def test_bom_crlf_and_both_unicode_forms_read_alike(tmp_path):
    nfc = "Assimi Goïta met Ibrahim Traoré in Bamako."
    nfd = "Assimi Goi\u0308ta met Ibrahim Traore\u0301 in Bamako."
    site = site_with(tmp_path, {
        "nfc.md": FRONT.format(title="Goïta") + nfc + "\n",
        "nfd.md": ("\ufeff" + FRONT.format(title="Goi\u0308ta") + nfd + "\n").replace("\n", "\r\n").encode(),
        "cr.md": (FRONT.format(title="Goïta") + nfc + "\n").replace("\n", "\r"),
    })
    out = tmp_path / "out"
    assert build(site, out) == (0, [])
    bodies = [page(out, slug).css_first(".body").html for slug in ("nfc", "nfd", "cr")]
    assert bodies[0] == bodies[1] == bodies[2]
    assert [a.attributes["href"] for a in page(out, "nfd").css(".body a.ent")][:2] == [
        "../../actors/assimi-goita/", "../../actors/ibrahim-traore/"]
    assert page(out, "nfd").css_first("h1").text() == "Goïta"


def test_right_to_left_names_and_emoji_survive(tmp_path):
    title = "السلام عليكم — שלום 🇲🇱 Goïta 👩🏽‍⚕️"
    site = site_with(tmp_path, {"rtl.md": FRONT.format(title=f'"{title}"') + f"{title} spoke in Bamako.\n"})
    out = tmp_path / "out"
    assert build(site, out) == (0, [])
    assert page(out, "rtl").css_first("h1").text() == title
    assert title in page(out, "rtl").css_first(".body").text()


def test_a_file_that_is_not_utf8_is_named_with_its_byte_offset(tmp_path):
    latin1 = (FRONT.format(title="Mali") + "Goïta à Bamako\n").encode("latin-1")
    site = site_with(tmp_path, {"latin.md": latin1, "utf16.md": (FRONT.format(title="Mali")).encode("utf-16")})
    offset = latin1.index("ï".encode("latin-1"))
    assert build(site, tmp_path / "out") == (1, [
        f"content/articles/latin.md:6: not UTF-8: invalid byte at offset {offset}",
        "content/articles/utf16.md:1: not UTF-8: invalid byte at offset 0"])


def test_control_characters_are_named_with_their_byte_offset(tmp_path):
    data = (FRONT.format(title="Mali") + "Bamako\x0cpage two\n").encode()
    site = site_with(tmp_path, {"control.md": data})
    assert build(site, tmp_path / "out") == (1, [
        f"content/articles/control.md:6: control character U+000C at byte offset {data.index(12)}: not text, remove it"])


def test_duplicate_slugs_name_both_files(tmp_path):
    site = site_with(tmp_path, {
        "Case.md": FRONT.format(title="One") + "Text.\n",
        "case.md": FRONT.format(title="Two") + "Text.\n",
        "2026-01-01-aes-summit.md": FRONT.format(title="Three") + "Text.\n",
        "other.md": FRONT.replace("---\n\n", "slug: case\n---\n\n").format(title="Four") + "Text.\n",
    })
    assert build(site, tmp_path / "out") == (1, [
        ("content/articles/2026-11-10-aes-summit.md:1: slug 'aes-summit' is already used by"
         " content/articles/2026-01-01-aes-summit.md"),
        "content/articles/case.md:1: slug 'case' is already used by content/articles/Case.md",
        "content/articles/other.md:1: slug 'case' is already used by content/articles/Case.md"])


def test_duplicate_entity_ids_name_both_files(tmp_path):
    site = site_with(tmp_path, {})
    with (site / "content" / "knowledge" / "actors.yml").open("a") as out:
        out.write("- {id: mali, name: Mali Airlines, type: organization}\n")
    lines = (site / "content" / "knowledge" / "actors.yml").read_text().count("\n")
    assert build(site, tmp_path / "out") == (1, [
        f"content/knowledge/actors.yml:{lines}: id 'mali' is already used at content/knowledge/states.yml:1"])


@pytest.mark.parametrize("slug", ["index", "feed", "actors", "articles", "static", "mentions", "data", "feed-xml"])
def test_slugs_named_like_site_files_or_sections_stay_in_their_folder(slug, tmp_path):
    site = site_with(tmp_path, {"x.md": FRONT.replace("---\n\n", f"slug: {slug}\n---\n\n").format(title=slug) + "Mali.\n"})
    out = tmp_path / "out"
    assert build(site, out) == (0, [])
    assert page(out, slug).css_first("h1").text() == slug
    assert (out / "index.html").read_text().count("<h1") <= 1 and (out / "actors" / "index.html").is_file()


@pytest.mark.parametrize("slug", ["feed.xml", "../escape", "a/b", "Index", "", "-", "a--b", "é"])
def test_slugs_that_are_not_plain_words_are_refused(slug, tmp_path):
    site = site_with(tmp_path, {"x.md": FRONT.replace("---\n\n", f"slug: '{slug}'\n---\n\n").format(title="X") + "Mali.\n"})
    code, lines = build(site, tmp_path / "out")
    message = f"'slug' must be lower-case ASCII words joined by hyphens, like 'mali-election', not {slug!r}"
    assert code == 1 and lines == [f"content/articles/x.md:4: {message}"]
    assert not (tmp_path / "out").exists() and not (tmp_path / "escape").exists()


def test_a_file_name_without_a_slug_asks_for_one(tmp_path):
    site = site_with(tmp_path, {"日本.md": FRONT.format(title="Japan") + "Text.\n"})
    assert build(site, tmp_path / "out") == (1, [
        ("content/articles/日本.md:2: the file name gives no slug (it has no ASCII letters or digits):"
         " add one, like 'slug: mali-election'")])
    (site / "content" / "articles" / "日本.md").write_text(FRONT.replace("---\n\n", "slug: japan\n---\n\n").format(title="J"))
    assert build(site, tmp_path / "out")[0] == 0


def test_empty_body_long_title_and_empty_knowledge_base(tmp_path):
    title = "Mali " * 2000
    site = site_with(tmp_path, {"empty.md": FRONT.format(title="Empty"), "long.md": FRONT.format(title=title) + "Mali.\n"})
    for name in ("states.yml", "actors.yml", "themes.yml"):
        (site / "content" / "knowledge" / name).write_text("")
    out = tmp_path / "out"
    assert build(site, out) == (0, [])
    assert page(out, "empty").css_first(".body").text().strip() == ""
    assert page(out, "long").css_first("h1").text() == title.strip()
    assert (out / "actors" / "index.html").is_file()


def test_markdown_nested_too_deep_is_an_error_not_a_silent_loss(tmp_path):
    deep_list = "".join("  " * i + f"- level {i}\n" for i in range(40))
    site = site_with(tmp_path, {
        "quotes.md": FRONT.format(title="Q") + "First.\n\n" + "> " * 100_000 + "deep\n",
        "lists.md": FRONT.format(title="L") + deep_list + "\nafter\n",
        "inline.md": FRONT.format(title="I") + "*" * 50_000 + "Mali" + "*" * 50_000 + " " + "[" * 50_000 + "x\n",
    })
    assert build(site, tmp_path / "out") == (1, [
        "content/articles/lists.md:15: lists and quotes nested more than 20 deep: the text from here on would be lost",
        "content/articles/quotes.md:8: lists and quotes nested more than 20 deep: the text from here on would be lost"])
    for name in ("quotes.md", "lists.md"):
        (site / "content" / "articles" / name).unlink()
    assert build(site, tmp_path / "out") == (0, [])
    assert "Mali" in page(tmp_path / "out", "inline").css_first(".body").text()


def test_a_large_article_builds(tmp_path):
    """A 1 MB article; extraction is linear in its length (10 MB took three minutes of CPU time)."""
    paragraph = "Assimi Goïta met Ibrahim Traoré in Bamako. Critics argue the ECOWAS split will hurt trade.\n\n"
    body = paragraph * (1_000_000 // len(paragraph))
    site = site_with(tmp_path, {"big.md": FRONT.format(title="Big") + body})
    started = time.perf_counter()
    assert build(site, tmp_path / "out") == (0, [])
    print(f"1 MB article built in {time.perf_counter() - started:.1f} s")
    assert page(tmp_path / "out", "big").css(".body p")[-1].attributes["id"] == f"p-{body.count(chr(10)) // 2}"


def test_one_huge_paragraph_is_read_like_a_short_one(tmp_path):
    """A 1 MB paragraph without a line break (one block, 16,000 sentences) gives what one copy of its
    sentences gives: names, longer unknown names built around known ones, a second name joined to
    the first, the last name's sentence. Names are looked up by position, not by a walk over the
    block's names, so such a block reads in time proportional to its length (1 MB took ten seconds)."""
    unit = "Assimi Goïta met the Bank of Ghana in Bamako. The ECOWAS Court of Justice heard the case. "
    end = ("talks ended. Oumar Sylla, known as Foniké Menguè, spoke. "
           "Interior Minister Moussa Diallo spoke to the Central Bank of Mali.")
    (tmp_path / "short.md").write_text(unit + "The The " + end)
    (tmp_path / "huge.md").write_text(unit * (800_000 // len(unit)) + "The " * 50_000 + end)
    out = io.StringIO()
    assert main(["extract", "--site", str(GOOD), "--json", str(tmp_path / "short.md"), str(tmp_path / "huge.md")],
                stdout=out, stderr=io.StringIO()) == 0
    short, huge = ({k: v for k, v in doc.items() if k != "path"} for doc in json.loads(out.getvalue())["documents"])
    assert huge == short
    assert [(c["name"], c["aliases"]) for c in huge["candidates"]] == [
        ("Bank of Ghana", ["Bank of Ghana"]), ("ECOWAS Court of Justice", ["ECOWAS Court of Justice"]),
        ("Oumar Sylla", ["Oumar Sylla", "Foniké Menguè"]), ("Moussa Diallo", ["Moussa Diallo"]),
        ("Central Bank of Mali", ["Central Bank of Mali"])]
    assert huge["candidates"][-1]["sentence"] == "Interior Minister Moussa Diallo spoke to the Central Bank of Mali."


def test_a_large_knowledge_base_loads(tmp_path):
    """100,000 actors load and validate; the time is printed, not asserted."""
    entries = "".join(f"- {{id: actor-{i}, name: Person Number{i} Xy{i}, type: person, aliases: [PN{i}]}}\n"
                      for i in range(100_000))
    started = time.perf_counter()
    kb, problems = knowledge.parse_knowledge({"content/knowledge/actors.yml": entries})
    print(f"100,000 entities parsed in {time.perf_counter() - started:.1f} s")
    assert problems == () and len(kb.entities) == 100_000
