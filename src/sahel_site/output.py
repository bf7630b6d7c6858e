"""Rendered files -> the output folder, written beside it and swapped in only when complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sahel_site.problems import Problem

MARKER = ".sahel-site"  # marks a folder this generator made, so it may replace it


def check_target(out_dir: Path, site_dir: Path) -> Problem | None:
    """Refuse to replace a folder that is not ours or that holds the sources."""
    out, site = out_dir.resolve(), site_dir.resolve()
    forbidden = {Path("/"), Path.home().resolve(), site, site / "content", site / "templates"}
    if out in forbidden or site.is_relative_to(out) or (site / "content").resolve().is_relative_to(out) \
            or out.is_relative_to(site / "content"):
        return Problem(str(out_dir), 0, "refused: the output folder would overwrite the site's sources")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        return Problem(str(out_dir), 0, f"refused: {out_dir} exists and was not made by sahel-site"
                       f" (no {MARKER} file); remove it or choose another --out")
    return None


def write_site(out_dir: Path, files: dict[str, bytes], static_dirs: list[Path], reused: Iterable[str] = ()) -> None:
    """Write everything into a temporary sibling folder, then swap it into place.

    ``reused`` names files of the current output to keep as they are: they are
    hard-linked into the new folder (copied where links are not possible), which
    costs far less than writing them again and keeps their modification times.
    """
    out = out_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for static in reversed(static_dirs):  # the site's own files override the theme's
            shutil.copytree(static, temp / "static", dirs_exist_ok=True)
        kept = sorted(reused)
        for folder in sorted({(temp / name).parent for name in [*files, *kept]}):
            folder.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(files.items()):
            (temp / name).write_bytes(data)
        for name in kept:
            _keep(out / name, temp / name)
        (temp / ".nojekyll").write_bytes(b"")
        (temp / MARKER).write_text("This folder is written by sahel-site build and replaced whole.\n")
        os.chmod(temp, 0o755)
        _swap(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _keep(old: Path, new: Path) -> None:
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def _swap(new: Path, out: Path) -> None:
    if not out.exists():
        new.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    out.rename(old / out.name)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)
