"""The editor's commands: new, check, init, extract --format text, and how messages look."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sahel_site.cli import Terminal, main
from sahel_site.problems import Problem

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"
SUMMIT = "content/articles/2026-11-10-aes-summit.md"


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def run(*argv: str, err: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), err or io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(GOOD, copy, ignore=shutil.ignore_patterns(".sahel-cache"))  # a fresh site: no build cache
    return copy


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch):
    for name in ("FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def test_new_writes_complete_front_matter_that_builds(site, tmp_path):
    code, out, err = run("new", "Mali and Niger: the border “reopens”", "--site", str(site), "--date", "2026-11-25")
    path = site / "content" / "articles" / "2026-11-25-mali-and-niger-the-border-reopens.md"
    assert (code, out, err) == (0, f"{path}\n", "")
    front = yaml.safe_load(path.read_text().split("---\n")[1])
    assert front == {"title": "Mali and Niger: the border “reopens”", "date": dt.date(2026, 11, 25),
                     "summary": "", "authors": [], "tags": [], "draft": True}
    assert run("build", "--site", str(site), "--out", str(tmp_path / "o"), "--drafts")[0] == 0
    assert (tmp_path / "o" / "articles" / "mali-and-niger-the-border-reopens" / "index.html").is_file()


def test_new_refuses_to_overwrite_and_outside_a_site(site, tmp_path):
    assert run("new", "Twice", "--site", str(site), "--date", "2026-11-25")[0] == 0
    path = site / "content" / "articles" / "2026-11-25-twice.md"
    path.write_text("mine")
    code, out, err = run("new", "Twice", "--site", str(site), "--date", "2026-11-25")
    assert (code, out) == (1, "")
    assert err == f"{path}:0: already exists; edit it, or choose another title\nNothing created: 1 error, 0 warnings.\n"
    assert path.read_text() == "mine"
    code, _, err = run("new", "Anything", "--site", str(tmp_path / "nowhere"))
    assert code == 1 and "not a site folder" in err and "sahel-site init DIR" in err


def test_init_makes_a_site_that_builds_and_refuses_a_non_empty_folder(tmp_path):
    folder = tmp_path / "my-newsroom"
    code, out, err = run("init", str(folder))
    assert (code, err) == (0, "")
    assert out == f"Created 7 files in {folder}; next: cd {folder} && sahel-site serve\n"
    assert sorted(tree(folder)) == [".gitignore", "content/articles/2026-11-24-aes-russia-visit.md",
                                    "content/knowledge/actors.yml", "content/knowledge/states.yml",
                                    "content/knowledge/themes.yml", "content/site.yml", "templates/README.md"]
    assert yaml.safe_load((folder / "content" / "site.yml").read_text())["title"] == "My Newsroom"
    assert (folder / "content" / "knowledge" / "states.yml").read_bytes() == \
        (TESTS.parent / "content" / "knowledge" / "states.yml").read_bytes()
    code, out, _ = run("build", "--site", str(folder))
    assert code == 0 and out.startswith("Built ") and "from 1 article" in out
    assert run("check", "--site", str(folder))[0] == 0
    code, _, err = run("init", str(folder))
    assert code == 1 and err.startswith(f"{folder}:0: refused: the folder exists and is not empty")


def test_check_lists_errors_then_warnings_and_writes_nothing(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(TESTS / "sites" / "broken-front-matter", broken)
    before = tree(broken)
    code, out, err = run("check", "--site", str(broken))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    expected = (TESTS / "sites" / "broken-front-matter" / "expected.txt").read_text()
    assert lines[:4] == expected.replace("{today}", dt.date.today().isoformat()).splitlines()[:4]
    assert next(line for line in lines if ": warning: " in line) == \
        "content/articles/bad-date.md:4: warning: unknown field 'titel' (did you mean 'title'?)"
    assert lines.index("content/articles/bad-date.md:4: warning: unknown field 'titel' (did you mean 'title'?)") == 4
    assert lines[-1] == "Check failed: 2 articles and 2 entities, 4 errors, 1 warning."
    assert tree(broken) == before


def test_check_warns_about_what_an_editor_should_review(site):
    article = site / "content" / "articles" / "2026-11-20-visit.md"
    article.write_text("---\ntitle: A visit\ndate: 2026-11-20\n---\n\nThe talks went on.\n\n"
                       "Colonel Amadou Diallo met the Kremlin envoy in Bamako.\n")
    code, out, err = run("check", "--site", str(site))
    assert (code, out) == (0, "Checked: 4 articles and 18 entities, 0 errors, 5 warnings.\n")
    assert err.splitlines() == [
        ("content/articles/2026-11-12-draft.md:1: warning: names no actor the knowledge base knows"
        " (is one missing from content/knowledge/actors.yml?)"),
        ("content/articles/2026-11-20-visit.md:1: warning: names no actor the knowledge base knows"
        " (is one missing from content/knowledge/actors.yml?)"),
        ("content/articles/2026-11-20-visit.md:8: warning: unknown person 'Amadou Diallo':"
        " add it to content/knowledge/actors.yml if it is one"),
        ("content/knowledge/actors.yml:0: warning: 3 actors never mentioned in any article:"
        " european-union, united-nations, wagner-group"),
        ("content/knowledge/states.yml:0: warning: 5 states never mentioned in any article:"
        " cote-d-ivoire, france, ghana, nigeria, united-states"),
    ]
    code, _, err = run("check", "--site", str(site), "--strict")
    assert code == 1 and err.splitlines()[-1] == "Check failed: 4 articles and 18 entities, 5 errors, 0 warnings."
    code, out, err = run("check", "--site", str(site), "-q")
    assert (code, out, err) == (0, "Checked: 4 articles and 18 entities, 0 errors, 5 warnings.\n", "")


def test_check_reads_the_links_of_the_last_build_and_the_templates(site):
    assert run("build", "--site", str(site))[0] == 0
    page = site / "_site" / "articles" / "aes-summit" / "index.html"
    html = page.read_text()
    page.write_text(html.replace('href="../../actors/', 'href="../../actorz/', 1)
                    .replace("</main>", '<a href="#nowhere">x</a></main>', 1))
    line = html[:html.index('href="../../actors/')].count("\n") + 1
    (site / "templates").mkdir()
    (site / "templates" / "home.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{% endblok %}\n")
    code, _, err = run("check", "--site", str(site), "-q")
    template, actorz, nowhere, summary = err.splitlines()
    assert code == 1 and summary == "Check failed: 3 articles and 18 entities, 3 errors, 3 warnings."
    assert actorz.startswith(f"_site/articles/aes-summit/index.html:{line}:")
    assert actorz.endswith(": no such file") and "broken link '../../actorz/" in actorz
    assert nowhere.endswith("broken link '#nowhere': no id 'nowhere' there")
    assert template.startswith(f"{site / 'templates' / 'home.html'}:3: Encountered unknown tag 'endblok'")


def test_extract_text_for_a_person():
    code, out, err = run("extract", "--site", str(GOOD), str(GOOD / SUMMIT), "--format", "text")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == str(GOOD / SUMMIT)
    assert "  state  Mali (ML): “Bamako”" in lines
    assert "  actor  Assimi Goïta (person): “Assimi Goïta”, “Goïta”" in lines
    assert any(line.startswith("  theme  Defence cooperation (score ") for line in lines)
    assert out.endswith(")\n")


def test_colour_only_on_a_terminal_unless_forced(monkeypatch, tmp_path):
    broken = str(TESTS / "sites" / "broken-site-yml")
    plain = run("build", "--site", broken, "--out", str(tmp_path / "o"))[2]
    assert "\x1b[" not in plain
    coloured = run("build", "--site", broken, "--out", str(tmp_path / "o"), err=Tty())[2]
    assert coloured.startswith("\x1b[1;31mcontent/site.yml:3:\x1b[0m unknown setting 'theme'")
    assert coloured.replace("\x1b[1;31m", "").replace("\x1b[0m", "") == plain
    monkeypatch.setenv("NO_COLOR", "1")
    assert run("build", "--site", broken, "--out", str(tmp_path / "o"), err=Tty())[2] == plain
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert run("build", "--site", broken, "--out", str(tmp_path / "o"))[2] == coloured


def test_warnings_and_hints_in_colour():
    term = Terminal(io.StringIO(), Tty(), Path("."), 0)
    painted = term.paint(Problem("a.md", 4, "unknown field 'titel' (did you mean 'title'?)", warning=True))
    assert painted == ("\x1b[1;33ma.md:4:\x1b[0m \x1b[33mwarning:\x1b[0m unknown field 'titel'"
                       " (\x1b[32mdid you mean 'title'?\x1b[0m)")


def test_quiet_and_verbose_keep_the_summary(site, tmp_path):
    (site / "content" / "articles" / "2026-11-10-aes-summit.md").write_text(
        (GOOD / SUMMIT).read_text().replace("tags:", "tagz:"))
    code, out, err = run("build", "--site", str(site), "--out", str(tmp_path / "o"), "-v")
    assert code == 0 and "warning: unknown field 'tagz' (did you mean 'tags'?)" in err
    lines = out.splitlines()
    assert lines[0].startswith("extract: 3 articles in ") and lines[1].startswith("render: ")  # the draft is read too
    assert lines[2].startswith("Built ")
    code, out, err = run("build", "--site", str(site), "--out", str(tmp_path / "o"), "-q")
    assert code == 0 and err == "" and out.startswith("Built ") and out.endswith(" s (0 errors, 1 warning)\n")


def test_progress_bar_only_for_long_builds_on_a_terminal():
    err = Tty()
    term = Terminal(io.StringIO(), err, Path("."), 0)
    for done in (0, 150, 300):
        term.progress("extract", done, 300)
    term.progress("render", 900, 900)
    term.summary("Built")
    assert err.getvalue().split("\r")[1:] == [
        "extract  [..............................] 0/300\x1b[K",
        "extract  [###############...............] 150/300\x1b[K",
        "extract  [##############################] 300/300\x1b[K",
        "render   [##############################] 900/900\x1b[K",
        "\x1b[K",
    ]
    for stream, total in ((Tty(), 200), (io.StringIO(), 300)):
        term = Terminal(io.StringIO(), stream, Path("."), 0)
        term.progress("extract", total, total)
        assert stream.getvalue() == ""


@pytest.mark.parametrize("command", ["build", "serve", "new", "check", "init", "extract"])
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert f"  sahel-site {command}" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["--version"]])
def test_help_is_fast_and_loads_no_heavy_module(argv):
    heavy = ("jinja2", "markdown_it", "mdit_py_plugins", "pygments", "yaml", "watchfiles", "nh3", "pagefind",
             "dataclasses", "json", "traceback")
    code = (f"import sys, sahel_site.cli as c\ntry:\n    c.main({argv!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(TESTS.parent / "src")})
    assert result.stderr == "[]\n"


def test_template_syntax_error_is_a_problem_with_its_line(site, tmp_path):
    (site / "templates").mkdir()
    (site / "templates" / "home.html").write_text("{% extends 'base.html' %}\n{{ oops(\n")
    code, out, err = run("build", "--site", str(site), "--out", str(tmp_path / "o"))
    assert (code, out) == (1, "")
    assert err == f"{site / 'templates' / 'home.html'}:2: unexpected 'end of template'\nBuild failed: 1 error, 0 warnings.\n"
