"""The same input gives byte-identical output, whatever the order files were made in or the clock says."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sahel_site.cli import main

TESTS = Path(__file__).parent
GOOD = TESTS / "sites" / "good"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(site: Path, out: Path, *extra: str) -> None:
    err = io.StringIO()
    argv = ["build", "--site", str(site), "--out", str(out), *extra]
    assert (main(argv, stdout=io.StringIO(), stderr=err), err.getvalue()) == (0, "")


def copy_in_reverse(tmp_path: Path, name: str) -> Path:
    """The good site, its files created in the opposite order (directory order differs on most file systems)."""
    site = tmp_path / name
    files = sorted(p for p in GOOD.rglob("*") if p.is_file() and ".sahel-cache" not in p.parts)
    for source in reversed(files):
        target = site / source.relative_to(GOOD)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    return site


def test_two_builds_are_byte_identical(tmp_path):
    """The second build runs in another process: another hash seed (set order), clock day and time zone."""
    build(GOOD, tmp_path / "one", "--drafts", "--jobs", "1")
    env = dict(os.environ, PYTHONPATH=str(TESTS.parent / "src"), PYTHONHASHSEED="12345", SOURCE_DATE_EPOCH="0",
               TZ="Pacific/Kiritimati")
    subprocess.run([sys.executable, "-m", "sahel_site", "build", "--site", str(copy_in_reverse(tmp_path, "site")),
                    "--out", str(tmp_path / "two"), "--drafts", "--jobs", "2"], env=env, check=True,
                   capture_output=True)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_a_rebuild_into_the_same_folder_is_byte_identical(tmp_path):
    build(GOOD, tmp_path / "out")
    first = tree(tmp_path / "out")
    build(GOOD, tmp_path / "out")
    assert tree(tmp_path / "out") == first


def test_hints_take_the_day_from_source_date_epoch(tmp_path, monkeypatch):
    site = copy_in_reverse(tmp_path, "site")
    (site / "content" / "articles" / "bad.md").write_text("---\ntitle: T\ndate: soon\n---\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1_700_000_000))
    err = io.StringIO()
    assert main(["build", "--site", str(site), "--out", str(tmp_path / "o")], stdout=io.StringIO(), stderr=err) == 1
    assert "'date' must be a date like 2023-11-14 " in err.getvalue()
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
