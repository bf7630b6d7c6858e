"""The command line as a user drives it: main(argv), and once the installed script."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sahel_site import __version__
from sahel_site.cli import main

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"
BROKEN = sorted((TESTS / "sites").glob("broken-*"))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_prints_summary(tmp_path):
    code, out, err = run("build", "--site", str(GOOD), "--out", str(tmp_path / "site"))
    assert (code, err) == (0, "")
    assert out.startswith("Built ") and " pages from 2 articles into " in out and out.rstrip().endswith(" s")
    assert (tmp_path / "site" / "index.html").is_file()


def test_drafts_and_base_url(tmp_path):
    code, _, _ = run("build", "--site", str(GOOD), "--out", str(tmp_path / "s"), "--drafts",
                     "--base-url", "https://example.github.io/repo")
    assert code == 0
    assert (tmp_path / "s" / "articles" / "draft" / "index.html").is_file()
    home = (tmp_path / "s" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.github.io/repo/">' in home


@pytest.mark.parametrize("site", BROKEN, ids=[b.name for b in BROKEN])
def test_broken_sites_report_every_problem_and_keep_the_old_site(site, tmp_path):
    out = tmp_path / "_site"
    assert run("build", "--site", str(GOOD), "--out", str(out))[0] == 0
    before = tree(out)
    code, stdout, stderr = run("build", "--site", str(site), "--out", str(out))
    today = dt.date.today().isoformat()
    expected = (site / "expected.txt").read_text().replace("{today}", today).replace("{site}", str(site))
    assert (code, stdout, stderr) == (1, "", expected)
    assert tree(out) == before
    assert "Traceback" not in stderr


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    code, _, err = run("build", "--site", str(GOOD), "--out", str(precious))
    assert code == 1 and "was not made by sahel-site" in err
    assert (precious / "notes.txt").read_text() == "keep me"
    code, _, err = run("build", "--site", str(GOOD), "--out", str(GOOD / "content"))
    assert code == 1 and "would overwrite the site's sources" in err


def test_github_annotations_name_files_from_the_repository_root(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(TESTS.parent))
    code, _, err = run("build", "--site", str(TESTS / "sites" / "broken-site-yml"), "--out", str(tmp_path / "o"))
    assert code == 1
    assert "::error file=tests/sites/broken-site-yml/content/site.yml,line=3::unknown setting 'theme'" in err.splitlines()[1]
    code, _, err = run("build", "--site", str(TESTS / "sites" / "broken-front-matter"), "--out", str(tmp_path / "o"))
    annotations = [line for line in err.splitlines() if line.startswith("::")]
    assert annotations[1] == ("::error file=tests/sites/broken-front-matter/content/articles/bad-yaml.md,line=5,col=1"
                              "::invalid YAML: did not find expected ',' or ']'")
    assert annotations[-1].startswith("::warning file=tests/sites/broken-front-matter/content/articles/bad-date.md,"
                                      "line=4::unknown field 'titel'")


def test_missing_site_yml(tmp_path):
    code, _, err = run("build", "--site", str(tmp_path), "--out", str(tmp_path / "o"))
    assert (code, err) == (1, ("content/site.yml:0: missing: every site needs content/site.yml with a title\n"
                              "Build failed: 1 error, 0 warnings.\n"))


def test_extract_json_for_any_path(tmp_path):
    article = tmp_path / "elsewhere.md"
    shutil.copy(GOOD / "content" / "articles" / "2026-11-10-aes-summit.md", article)
    code, out, err = run("extract", "--site", str(GOOD), str(article), "--json")
    assert (code, err) == (0, "")
    (doc,) = json.loads(out)["documents"]
    assert doc["path"] == str(article)
    actors = {a["id"]: a for a in doc["actors"]}
    assert actors["assimi-goita"] == {"id": "assimi-goita", "name": "Assimi Goïta", "type": "person",
                                      "aliases": ["Assimi Goïta", "Goïta"], "known": True}
    assert actors["ecowas"]["type"] == "organization"
    states = {s["id"]: (s["name"], s["iso2"]) for s in doc["states"]}
    assert states == {"mali": ("Mali", "ML"), "russia": ("Russia", "RU"), "niger": ("Niger", "NE"),
                      "burkina-faso": ("Burkina Faso", "BF")}
    assert [t["id"] for t in doc["themes"]] == ["defense_cooperation"]
    assert set(doc) == {"path", "actors", "states", "themes", "candidates"}


def test_extract_whole_content_by_default():
    code, out, _ = run("extract", "--site", str(GOOD))
    assert code == 0
    paths = [Path(d["path"]).name for d in json.loads(out)["documents"]]
    assert paths == ["2026-11-01-drones-for-niamey.md", "2026-11-10-aes-summit.md", "2026-11-12-draft.md"]


def test_extract_bad_file_is_reported(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\ntitle: x\ndate: 2026-01-01\n---\n\xff\xfe broken\n")
    code, out, err = run("extract", "--site", str(GOOD), str(bad))
    assert (code, json.loads(out)) == (1, {"documents": []})
    assert err == f"{bad}:5: not UTF-8: invalid byte at offset 34\nExtraction failed: 1 error, 0 warnings.\n"


def test_extract_reads_past_front_matter_it_cannot_use_and_past_bad_files(tmp_path):
    """Only the text is wanted: missing or broken front-matter is a warning, and a file that is no
    text leaves the others' documents printed (status 1 all the same)."""
    (tmp_path / "no-date.md").write_text("---\nsource: wire\n---\nNiger and Chad closed their borders.\n")
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\nThe ECOWAS summit met in Abuja.\n")
    (tmp_path / "binary.md").write_bytes(b"\xff\xfe\x00\x00")
    paths = [str(tmp_path / n) for n in ("no-date.md", "broken.md", "binary.md")]
    code, out, err = run("extract", "--site", str(tmp_path), *paths, "--json")
    assert code == 1
    found = {Path(d["path"]).name: ({a["name"] for a in d["actors"]}, {s["name"] for s in d["states"]})
             for d in json.loads(out)["documents"]}
    assert found == {"no-date.md": (set(), {"Niger", "Chad"}), "broken.md": ({"ECOWAS"}, {"Nigeria"})}
    assert f"{paths[0]}:2: warning: missing required field 'date'" in err
    assert f"{paths[1]}:3:1: warning: invalid YAML" in err
    assert f"{paths[2]}:1: not UTF-8" in err and err.endswith("Extraction failed: 1 error, 4 warnings.\n")


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sahel-site {__version__}"
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "examples:\n  sahel-site build\n" in capsys.readouterr().out


def test_installed_console_script(tmp_path):
    script = shutil.which("sahel-site") or str(Path(sys.executable).parent / "sahel-site")
    result = subprocess.run([script, "build", "--site", str(GOOD), "--out", str(tmp_path / "s")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ")


def test_extract_plain_text_without_front_matter_uses_the_default_knowledge_base(tmp_path):
    """A news text as published (the seed came so: one paragraph per line), outside any site."""
    seed = TESTS.parent / "content" / "articles" / "2026-11-24-aes-russia-visit.md"
    body = seed.read_text(encoding="utf-8").split("---\n", 2)[2].strip().replace("\n\n", "\n")
    article = tmp_path / "pasted.txt"
    article.write_text(body, encoding="utf-8")
    code, out, err = run("extract", "--site", str(tmp_path), str(article), "--json")
    assert (code, err) == (0, "")
    (doc,) = json.loads(out)["documents"]
    assert {s["iso2"] for s in doc["states"]} == {"ML", "BF", "NE", "RU", "FR", "US", "SN", "GH", "CI"}
    assert "Wagner Group" in {a["name"] for a in doc["actors"]}


def test_extract_a_folder_reads_its_text_files(tmp_path):
    (tmp_path / "wire" / "older").mkdir(parents=True)
    (tmp_path / "wire" / "b.txt").write_text("Senegal and Gambia signed a fisheries accord.\n")
    (tmp_path / "wire" / "older" / "a.md").write_text("Mauritania hosted the talks.\n")
    (tmp_path / "wire" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    code, out, err = run("extract", "--site", str(tmp_path), str(tmp_path / "wire"))
    assert (code, err) == (0, "")
    documents = json.loads(out)["documents"]
    assert [Path(d["path"]).relative_to(tmp_path).as_posix() for d in documents] == ["wire/b.txt", "wire/older/a.md"]
    assert [s["iso2"] for s in documents[1]["states"]] == ["MR"]


def test_extract_missing_file(tmp_path):
    code, out, err = run("extract", "--site", str(GOOD), str(tmp_path / "nope.md"))
    assert (code, json.loads(out)) == (1, {"documents": []})
    assert err.startswith(f"{tmp_path / 'nope.md'}:0: cannot read: No such file or directory\n")
