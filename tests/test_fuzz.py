"""Random and structure-aware input: every run ends in a site whose pages parse, or in
``path:line: message`` problems; never an exception, a hang or a partial site."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from sahel_site import config, content, extract, knowledge, render
from sahel_site.cli import main
from sahel_site.problems import Problem

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"
PROBLEM_LINE = re.compile(r"^\S[^\n]*?:\d+:(\d+:)? \S")
FAST = settings(max_examples=60, deadline=None)
# A full build per example: few examples; each copies a site and writes its output (too_slow is
# about input generation being slow relative to the test, and the test here is the slow part).
BUILDS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.dates(), st.datetimes(timezones=st.none() | st.just(dt.UTC)))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                            max_size=4), max_leaves=12)
FIELDS = ("title", "date", "summary", "authors", "tags", "slug", "draft", "source_url", "publisher", "license", "titel")
front_matter = st.dictionaries(st.sampled_from(FIELDS), values | st.text(max_size=30), max_size=8)
words = st.sampled_from(["Mali", "Goïta", "Assimi Goïta", "Niger", "ECOWAS", "drones", "security pact", "Bamako",
                         "<script>", "`code`", "*", "_", "[", "](", ")", "> ", "- ", "1. ", "#", "|", "\n", "\n\n",
                         "    ", "```", "<!--", "&amp;", "\\", "Goi\u0308ta", "\u202e", "🇲🇱", "\r\n", "\x00"])
markdown_bodies = st.lists(words | st.text(max_size=12), max_size=60).map("".join)
nested = st.integers(1, 200).flatmap(lambda depth: st.sampled_from(["> ", "- ", "* ", "1. ", "  - ", "> - "]).map(
    lambda marker: "".join(marker * (i if "  " not in marker else 1) + f"level {i}\n" for i in range(depth))))
ENTRY_KEYS = ("id", "name", "type", "aliases", "demonyms", "capital", "iso2", "relations", "country", "former_slugs",
              "description", "as_of", "cues", "definition", "exclude", "wikidata")
entries = st.lists(st.dictionaries(st.sampled_from(ENTRY_KEYS), values | st.sampled_from(
    ["mali", "x", "person", "group", "ML", "Mali", "Goïta"]), max_size=7), max_size=6)


def assert_problems(problems: tuple[Problem, ...], path: str) -> None:
    for problem in problems:
        assert problem.path == path and problem.line >= 0 and problem.message, problem
        assert PROBLEM_LINE.match(str(problem)), str(problem)


def article_text(front: dict, body: str) -> str:
    try:
        dumped = yaml.safe_dump(front, allow_unicode=True)
    except yaml.YAMLError:
        dumped = repr(front)
    return f"---\n{dumped}---\n\n{body}"


@FAST
@given(front_matter, markdown_bodies | nested)
def test_any_article_parses_to_an_article_or_problems(front, body):
    text, problems = content.parse_article(article_text(front, body), "content/articles/x.md", "x")
    assert_problems(problems, "content/articles/x.md")
    if text is not None:
        extraction = extract.extract(text, extract.compile_matcher(knowledge.parse_knowledge({})[0]))
        LexborHTMLParser(render.render_body(text, ()))
        assert extraction.article == text.article.slug


@FAST
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_decode_or_name_the_offset(data):
    text, problems = content.parse_file(b"---\ntitle: t\ndate: 2026-01-01\n---\n" + data, Path("x.md"), "x.md")
    assert_problems(problems, "x.md")
    assert text is not None or problems


@FAST
@given(st.text(max_size=300) | st.dictionaries(st.text(max_size=10), values, max_size=6).map(
    lambda d: yaml.safe_dump(d, allow_unicode=True)))
def test_any_site_yml_is_a_config_or_problems(text):
    site, problems = config.parse_config(text, "content/site.yml")
    assert_problems(problems, "content/site.yml")
    assert (site is None) == bool(problems)


@FAST
@given(entries, entries, entries | st.text(max_size=200))
def test_any_knowledge_base_loads_or_reports(states, actors, themes):
    texts = {"content/knowledge/states.yml": yaml.safe_dump(states, allow_unicode=True),
             "content/knowledge/actors.yml": yaml.safe_dump(actors, allow_unicode=True),
             "content/knowledge/themes.yml": themes if isinstance(themes, str) else yaml.safe_dump(themes)}
    kb, problems = knowledge.parse_knowledge(texts)
    for problem in problems:
        assert problem.path in texts and PROBLEM_LINE.match(str(problem)), problem
    extract.compile_matcher(kb)


@BUILDS
@given(front_matter, markdown_bodies | nested, entries)
def test_a_build_ends_in_a_whole_site_or_problems(tmp_path_factory, front, body, actors):
    root = tmp_path_factory.mktemp("fuzz")
    site = root / "site"
    shutil.copytree(GOOD, site)
    (site / "content" / "articles" / "fuzzed.md").write_text(article_text(front, body))
    with (site / "content" / "knowledge" / "actors.yml").open("a") as out:
        out.write(yaml.safe_dump(actors, allow_unicode=True) if actors else "")
    out, err = root / "out", io.StringIO()
    code = main(["build", "--site", str(site), "--out", str(out)], stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "Traceback" not in err.getvalue() and "unexpected error" not in err.getvalue()
    if code:
        assert code == 1 and lines.pop().startswith("Build failed: ") and lines
        assert all(PROBLEM_LINE.match(line) for line in lines), lines
        assert not out.exists()
    else:
        assert (out / ".sahel-site").is_file() and (out / "index.html").is_file()
        for page in out.rglob("*.html"):
            assert LexborHTMLParser(page.read_text()).css_first("main") is not None, page
