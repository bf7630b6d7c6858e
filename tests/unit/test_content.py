import datetime as dt

from sahel_site.content import body_blocks, default_slug, parse_article, slugify, split_front_matter
from sahel_site.markup import markdown

GOOD = """---
title: Mali and Niger
date: 2026-11-24
tags: [Mali]
---

First paragraph about Mali.

- item one
- item two

## A heading
"""


def parse(text, path="content/articles/x.md"):
    return parse_article(text, path, "x")


def test_good_article():
    text, problems = parse(GOOD)
    article = text.article
    assert problems == ()
    assert article.title == "Mali and Niger"
    assert article.date == dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    assert article.summary == "First paragraph about Mali."
    assert article.tags == ("Mali",)
    assert article.slug == "x"
    assert [b.text for b in text.blocks] == ["First paragraph about Mali.", "item one", "item two", "A heading"]
    assert [b.line for b in text.blocks] == [7, 9, 10, 12]


def test_datetime_with_zone_is_utc():
    text, _ = parse(GOOD.replace("2026-11-24", "2026-11-24T10:00:00+02:00"))
    assert text.article.date == dt.datetime(2026, 11, 24, 8, tzinfo=dt.UTC)


def test_bad_date_names_line_and_hints():
    _, problems = parse(GOOD.replace("date: 2026-11-24", "date: yesterday"))
    assert len(problems) == 1
    assert problems[0].line == 3
    assert "'date' must be a date like" in problems[0].message and "not 'yesterday'" in problems[0].message


def test_unknown_key_is_a_warning_with_suggestion():
    article, problems = parse(GOOD.replace("tags:", "titel: oops\ntags:"))
    assert article is not None
    assert [str(p) for p in problems] == [
        "content/articles/x.md:4: warning: unknown field 'titel' (did you mean 'title'?)"]


def test_missing_fields_and_front_matter():
    _, problems = parse("---\ntags: [a]\n---\nbody\n")
    assert {p.message for p in problems} == {"missing required field 'date'", "missing required field 'title'"}
    _, problems = parse("no front matter\n")
    assert str(problems[0]) == "content/articles/x.md:1: missing front-matter: the file must start with '---'"


def test_bad_yaml_line_is_shifted_to_the_file():
    _, problems = parse("---\ntitle: ok\ndate: 2026-01-01\ntags: [a\n---\nbody\n")
    assert problems[0].line in (4, 5)


def test_slug_rules():
    assert slugify("Assimi Goïta") == "assimi-goita"
    assert slugify("Côte d’Ivoire’s army") == "cote-d-ivoire-s-army"
    assert default_slug("2026-11-24-aes-russia-visit") == "aes-russia-visit"
    _, problems = parse(GOOD.replace("tags:", "slug: ../../etc\ntags:"))
    assert "'slug' must be lower-case ASCII words" in problems[0].message


def test_front_matter_split_reports_body_line():
    front, body, line, problems = split_front_matter("---\na: 1\nb: 2\n---\nbody\n", "f")
    assert (front, body, line, problems) == ("a: 1\nb: 2\n", "body\n", 5, ())


def test_blocks_keep_text_runs_and_links():
    tokens = tuple(markdown().parse("See [the Mali page](https://example.org) and `code` in Niger.\n"))
    (block,) = body_blocks(tokens, 1)
    assert block.text == "See the Mali page and code in Niger."
    linkable = [(block.text[s.start:s.end], s.linkable) for s in block.segments]
    assert linkable == [("See ", True), ("the Mali page", False), (" and ", True), (" in Niger.", True)]


def test_script_urls_never_become_links():
    html = markdown().render("[x](javascript:alert(1)) [y](data:text/html,hi) [z](https://ok.example)")
    assert "javascript:" not in html.split("[x]")[0] and 'href="javascript' not in html
    assert 'href="data:' not in html
    assert 'href="https://ok.example"' in html
