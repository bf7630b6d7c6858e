"""The output folder: replaced whole or not at all, never someone else's, one build at a time."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sahel_site import output
from sahel_site.cli import main
from sahel_site.problems import BuildFailed

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"
SRC = TESTS.parent / "src"


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    return main(list(argv), stdout=io.StringIO(), stderr=err), err.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "site"
    assert run("build", "--site", str(GOOD), "--out", str(out))[0] == 0
    return out


# Runs a real build that stops just before its swap until a line arrives on stdin: a build
# caught mid-way, deterministically, instead of a kill timed against the clock.
STALLED = """
import sys
from sahel_site import cli, output
swap = output._swap
def stalled(new, out):
    sys.stdin.readline()
    swap(new, out)
output._swap = stalled
sys.exit(cli.main(sys.argv[1:]))
"""


def changed_site(tmp_path: Path) -> Path:
    site = tmp_path / "changed"
    shutil.copytree(GOOD, site)
    (site / "content" / "articles" / "2026-11-10-aes-summit.md").write_text(
        "---\ntitle: A new version\ndate: 2026-11-10\n---\n\nChanged text about Mali.\n")
    return site


def start_build(site: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", STALLED, "build", "--site", str(site), "--out", str(out)],
                            env=dict(os.environ, PYTHONPATH=str(SRC)), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_temp_folder(out: Path, build: subprocess.Popen[str]) -> Path:
    for _ in range(1200):
        found = [p for p in out.parent.glob(f".{out.name}.new-*") if (p / ".nojekyll").exists()]
        if found:
            return found[0]
        assert build.poll() is None, build.communicate()
        time.sleep(0.05)
    raise AssertionError("the build never started writing")


def test_killed_build_leaves_the_old_site_and_its_leftovers_are_cleared(built, tmp_path):
    before = tree(built)
    killed = start_build(changed_site(tmp_path), built)
    leftover = wait_for_temp_folder(built, killed)
    killed.send_signal(signal.SIGKILL)
    killed.communicate()
    assert tree(built) == before
    assert leftover.exists()
    assert run("build", "--site", str(GOOD), "--out", str(built))[0] == 0
    assert not leftover.exists()
    assert siblings(built) == [".site.lock"]


def test_a_second_build_of_the_same_folder_fails_at_once(built, tmp_path):
    before = tree(built)
    site = changed_site(tmp_path)
    first = start_build(site, built)
    wait_for_temp_folder(built, first)
    second = subprocess.run([sys.executable, "-m", "sahel_site", "build", "--site", str(GOOD), "--out", str(built)],
                            env=dict(os.environ, PYTHONPATH=str(SRC)), capture_output=True, text=True, check=False)
    assert second.returncode == 1
    assert second.stderr == (f"{built}:0: another sahel-site build is writing this folder; try again when it has"
                             " finished\nBuild failed: 1 error, 0 warnings.\n")
    assert tree(built) == before
    out, err = first.communicate("go on\n")
    assert (first.returncode, err) == (0, ""), out
    assert b"Changed text about Mali." in (built / "articles" / "aes-summit" / "index.html").read_bytes()
    assert siblings(built) == [".site.lock"]


def test_rebuild_swaps_in_place_and_leaves_nothing_behind(built):
    stale = built / "articles" / "gone" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("from an older build")
    assert run("build", "--site", str(GOOD), "--out", str(built))[0] == 0
    assert not stale.exists() and (built / output.MARKER).is_file()
    assert siblings(built) == [".site.lock"]


def test_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not output._exchange(a, b):
        pytest.skip("this system cannot exchange two paths in one step")
    assert ((a / "x").read_text(), (b / "x").read_text()) == ("b", "a")


def test_failed_build_keeps_the_old_site(built, tmp_path):
    site = tmp_path / "broken"
    shutil.copytree(GOOD, site)
    (site / "templates").mkdir()
    (site / "templates" / "home.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope.x }}{% endblock %}")
    before = tree(built)
    code, err = run("build", "--site", str(site), "--out", str(built))
    assert code == 1 and "template error: 'nope' is undefined" in err
    assert tree(built) == before
    assert siblings(built) == [".site.lock"]


@pytest.mark.parametrize("target", ["/", "~", "~/..", "SITE", "SITE/..", "SITE/content", "SITE/content/articles",
                                    "SITE/templates"])
def test_refuses_folders_that_are_not_output(target, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    (site / "templates").mkdir()
    home = tmp_path / "home" / "me"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    out = Path(target.replace("SITE", str(site)).replace("~", str(home)))
    before = tree(tmp_path)
    code, err = run("build", "--site", str(site), "--out", str(out))
    assert code == 1
    assert err.startswith(f"{out}:0: refused: ")
    assert tree(tmp_path) == before


def test_refuses_a_file_and_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "file").write_text("keep")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("keep")
    for out in (tmp_path / "file", tmp_path / "docs"):
        code, err = run("build", "--site", str(GOOD), "--out", str(out))
        assert code == 1 and "was not made by sahel-site" in err
    assert (tmp_path / "file").read_text() == (tmp_path / "docs" / "notes.txt").read_text() == "keep"


def test_a_folder_named_like_a_leftover_but_not_ours_is_kept(built):
    theirs = built.parent / f".{built.name}.new-notours"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep")
    assert run("build", "--site", str(GOOD), "--out", str(built))[0] == 0
    assert (theirs / "notes.txt").read_text() == "keep"


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/../../b", "", ".sahel-site", "a\\..\\b"])
def test_no_file_is_written_outside_the_output_folder(name, tmp_path):
    with pytest.raises(BuildFailed) as failure, output.staging(tmp_path / "out") as folder:
        output.write_file(folder, "index.html", b"ok")
        output.write_file(folder, name, b"evil")
    assert [str(p) for p in failure.value.problems] == [
        f"{name}:0: refused: this page would be written outside the output folder"]
    assert list(tmp_path.iterdir()) == []


def test_symlinks_out_of_content_are_refused(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\ndate: 2026-01-01\n---\n\nprivate\n")
    (site / "content" / "articles" / "leak.md").symlink_to(secret)
    (site / "content" / "articles" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    (site / "content" / "knowledge" / "themes.yml").unlink()
    (site / "content" / "knowledge" / "themes.yml").symlink_to(tmp_path / "secret.md")
    code, err = run("build", "--site", str(site), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "content/articles/leak.md:0: refused: a link to a file outside content/articles\n" in err
    assert "content/knowledge/themes.yml:0: refused: a link to a file outside content/\n" in err
    assert "private" not in err and not (tmp_path / "out").exists()


def test_symlinks_in_static_out_of_the_site_are_refused(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(GOOD, site)
    assert run("build", "--site", str(site), "--out", str(out))[0] == 0
    before = tree(out)
    (tmp_path / "id_rsa").write_text("private key")
    static = site / "templates" / "static"
    static.mkdir(parents=True)
    (static / "key.txt").symlink_to(tmp_path / "id_rsa")
    (static / "home").symlink_to(tmp_path, target_is_directory=True)
    (static / "loop").symlink_to(static, target_is_directory=True)
    (static / "gone.css").symlink_to(site / "nowhere.css")
    expected = ["templates/static/gone.css:0: refused: a link to a missing file",
                "templates/static/home:0: refused: a link out of the site",
                "templates/static/key.txt:0: refused: a link out of the site",
                "templates/static/loop:0: refused: a link to a folder that holds it"]
    code, err = run("build", "--site", str(site), "--out", str(out))
    assert (code, err.splitlines()) == (1, [*expected, "Build failed: 4 errors, 0 warnings."])
    assert tree(out) == before
    code, err = run("check", "--site", str(site))
    assert code == 1 and all(line in err.splitlines() for line in expected)


def test_a_symlink_in_static_to_a_file_of_the_site_is_followed(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(GOOD, site)
    (site / "assets" / "js").mkdir(parents=True)
    (site / "assets" / "logo.svg").write_text("<svg/>")
    (site / "assets" / "js" / "extra.js").write_text("// extra")
    static = site / "templates" / "static"
    (static / "img").mkdir(parents=True)
    (static / "img" / "logo.svg").symlink_to(site / "assets" / "logo.svg")
    (static / "vendor").symlink_to(site / "assets" / "js", target_is_directory=True)
    assert run("build", "--site", str(site), "--out", str(out))[0] == 0
    assert (out / "static" / "img" / "logo.svg").read_text() == "<svg/>"
    assert (out / "static" / "vendor" / "extra.js").read_text() == "// extra"
    assert (out / "static" / "css" / "site.css").is_file()  # the theme's files are there too


def test_a_symlink_inside_content_is_followed(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    articles = site / "content" / "articles"
    (articles / "2026-11-10-aes-summit.md").rename(articles / "real.txt")
    (articles / "2026-11-10-aes-summit.md").symlink_to(articles / "real.txt")
    assert run("build", "--site", str(site), "--out", str(tmp_path / "out"))[0] == 0
    assert (tmp_path / "out" / "articles" / "aes-summit" / "index.html").is_file()
