"""Rendered files -> the output folder, written beside it and swapped in only when complete."""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import tempfile
import threading
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sahel_site.problems import BuildFailed, Problem

try:
    import fcntl
except ImportError:  # Windows: no flock; builds there are not locked against each other
    fcntl = None  # type: ignore[assignment]

MARKER = ".sahel-site"  # marks a folder this generator made, so it may replace or remove it
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2  # from <fcntl.h> and <linux/fs.h>
REPLACED = "replaced"  # the folder of a build's changes that holds what its files replaced, until removed
_removals: list[threading.Thread] = []  # see remove_soon


def check_target(out_dir: Path, site_dir: Path) -> Problem | None:
    """Refuse to replace a folder that is not ours or that holds the sources."""
    out, site = out_dir.resolve(), site_dir.resolve()
    sources = (site / "content").resolve(), (site / "templates").resolve()
    if out == Path(out.anchor) or Path.home().resolve().is_relative_to(out) or site.is_relative_to(out) \
            or any(out.is_relative_to(s) or s.is_relative_to(out) for s in sources):
        return Problem(str(out_dir), 0, "refused: the output folder would overwrite the site's sources,"
                       " the home folder or the root folder")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        return Problem(str(out_dir), 0, f"refused: {out_dir} exists and was not made by sahel-site"
                       f" (no {MARKER} file); remove it or choose another --out")
    return None


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the lock file beside the output folder; a second build of the same folder fails at once.

    The lock holder is the only writer, so temporary folders left by a killed build are removed here.
    """
    out = out_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "a") as lock:
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BuildFailed([Problem(str(out_dir), 0, "another sahel-site build is writing this"
                                           " folder; try again when it has finished")]) from None
        for leftover in _leftovers(out):
            _remove(leftover)
        yield


@contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A new folder beside ``out_dir`` for the build to write into, swapped into place when the
    block ends; removed instead if it raises, so the old site stays as it was."""
    out = out_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        # The marker first: a build killed from here on leaves a folder the next build knows is its own.
        (temp / MARKER).write_text("This folder is written by sahel-site build and replaced whole.\n")
        yield temp
        (temp / ".nojekyll").write_bytes(b"")
        os.chmod(temp, 0o755)
        _swap(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


@contextmanager
def changes(out_dir: Path) -> Iterator[Path]:
    """A new folder beside ``out_dir`` for the files of a build that changed, to be moved into
    ``out_dir`` by ``apply``; removed when the block ends, with what was not moved."""
    out = out_dir.resolve()
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        (temp / MARKER).write_text("Files of a sahel-site build on their way into the output folder.\n")
        yield temp
    except BaseException:
        _remove(temp)
        raise
    else:
        remove_soon(temp)


def apply(folder: Path, out_dir: Path, gone: Iterable[str]) -> None:
    """Move every file of ``folder`` into ``out_dir`` (each replaced in one step), then delete
    the ``gone`` files of ``out_dir`` and the folders they leave empty.

    A file replaced is linked into ``folder`` first: freeing a large file's blocks (the open
    data tables) takes tens of milliseconds, left to the removal of ``folder``.
    """
    out = out_dir.resolve()
    moves = [(Path(top, name), out / os.path.relpath(top, folder) / name)
             for top, _, names in os.walk(folder) for name in names]
    replaced = folder / REPLACED
    replaced.mkdir()
    for number, (source, target) in enumerate(moves):
        if target.parent == out and source.name == MARKER:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(target, replaced / str(number))
        except FileNotFoundError:
            pass
        os.replace(source, target)
    for name in gone:
        path = _inside(out, name)
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == out or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()


def find_static(site_dir: Path, static_dirs: list[Path]) -> tuple[dict[str, Path], tuple[Problem, ...]]:
    """The files to copy into static/, by their name there; the site's own override the theme's.

    Each static folder is templates/static of a site or of the theme. A link in it is followed
    only while it stays inside that site: one that leads out of it (a key, /etc/passwd) or back
    into a folder that holds it is refused, naming the link, so no other file reaches the output.
    """
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for static in reversed(static_dirs):
        home, held = static.parent.parent.resolve(), {static: (static.resolve(),)}
        if not static.resolve().is_relative_to(home):
            problems.append(_refusal(static, site_dir, "a link out of the site"))
            continue
        for top, dirs, names in os.walk(static, followlinks=True):
            above = held[Path(top)]
            for name in sorted(dirs + names):
                path = Path(top, name)
                real = path.resolve()
                message = _refused_link(real, home, above)
                if message:
                    problems.append(_refusal(path, site_dir, message))
                elif name in dirs:
                    held[path] = (*above, real)
                else:
                    files[path.relative_to(static).as_posix()] = path
            dirs[:] = [name for name in dirs if Path(top, name) in held]
    return files, tuple(problems)


def _refused_link(real: Path, home: Path, above: tuple[Path, ...]) -> str:
    """Why a static file or folder, where its links lead (``real``), is not copied; "" when it is."""
    if not real.is_relative_to(home):
        return "a link out of the site"
    if real in above:
        return "a link to a folder that holds it"
    return "" if real.exists() else "a link to a missing file"


def _refusal(path: Path, site_dir: Path, why: str) -> Problem:
    shown = path.relative_to(site_dir).as_posix() if path.is_relative_to(site_dir) else str(path)
    return Problem(shown, 0, f"refused: {why}")


def copy_static(folder: Path, files: dict[str, Path]) -> None:
    """The files ``find_static`` found, into the new site's static/."""
    for name, source in sorted(files.items()):
        path = _inside(folder, f"static/{name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, path)


def write_file(folder: Path, name: str, data: bytes) -> os.stat_result:
    """One file of the new site (``name`` relative to it), as soon as it is made; returns its status.

    Written by the system's calls, not a Python file object, and its folder made by one call where
    its parent exists (most pages have a folder of their own): a build writes thousands."""
    path = _inside(folder, name)
    _make_folder(os.path.dirname(path))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


def _make_folder(folder: str) -> None:
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


class PieceFile:
    """A file written from text and from pieces of an older file, in order; it remembers where
    each keyed piece went, so that the next build can copy it in turn.

    Non-empty pieces are joined by ``separator``; pieces that follow each other in the older
    file are copied in one step, by the kernel where it can."""

    def __init__(self, folder: Path, name: str, separator: bytes, old: BinaryIO | None = None) -> None:
        path = _inside(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file, self.old, self.separator = path.open("wb"), old, separator
        self.position, self.first = 0, True
        self.keys: list[str] = []  # of the pieces, in order, with the start and end of each in bytes:
        self.offsets = array("q")  # 16 bytes a piece, not a hundred in tuples: thousands per file
        self.run: tuple[int, int] | None = None  # bytes of the older file still to copy

    def write(self, data: bytes) -> None:
        self._copy_run()
        self.file.write(data)
        self.position += len(data)

    def piece(self, key: str, data: bytes) -> None:
        if data:
            self.write(b"" if self.first else self.separator)
            self.first = False
        self.keys.append(key)
        self.offsets.extend((self.position, self.position + len(data)))
        self.write(data)

    def copy(self, key: str, start: int, end: int) -> None:
        """The piece at ``start:end`` of the older file."""
        if start < end:
            separator = b"" if self.first else self.separator
            self.first = False
            if self.run is not None and self.run[1] + len(separator) == start:  # the separator is copied too
                self.run = (self.run[0], end)
                self.position += len(separator)
            else:
                self.write(separator)
                self.run = (start, end)
        self.keys.append(key)
        self.offsets.extend((self.position, self.position + end - start))
        self.position += end - start

    def close(self) -> os.stat_result:
        self._copy_run()
        self.file.close()
        return os.stat(self.file.name)

    def _copy_run(self) -> None:
        if self.run is None or self.old is None:
            return
        (start, end), self.run = self.run, None
        self.file.flush()
        while start < end:
            try:
                done = os.copy_file_range(self.old.fileno(), self.file.fileno(), end - start, start)
            except (AttributeError, OSError):  # not on this system or between these file systems
                self.old.seek(start)
                done = self.file.write(self.old.read(min(end - start, 1 << 20)))
                self.file.flush()
            if not done:
                raise OSError(f"{self.old.name} is shorter than the build that wrote it left it")
            start += done


def keep_file(out_dir: Path, folder: Path, name: str) -> os.stat_result:
    """A file of the current output, unchanged, into the new site: hard-linked (copied where links
    are not possible), which costs far less than writing it again and keeps its modification time.
    Returns its status."""
    path = _inside(folder, name)
    _make_folder(os.path.dirname(path))
    try:
        os.link(out_dir / name, path)
    except OSError:
        shutil.copy2(out_dir / name, path)
    return os.stat(path)


def _inside(folder: Path, name: str) -> Path:
    """Every file lands inside the output folder, whatever a slug or template produced."""
    pure = PurePosixPath(name)
    if not name or pure.is_absolute() or ".." in pure.parts or "\\" in name or name.split("/")[0] == MARKER:
        raise BuildFailed([Problem(name, 0, "refused: this page would be written outside the output folder")])
    return folder / name


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` where ``out`` is, in one atomic step where the system allows it."""
    if not out.exists():
        new.rename(out)
    elif _exchange(new, out):
        remove_soon(new)  # which now holds the previous site
    else:  # two renames: for a moment there is no output folder
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        out.rename(old)
        new.rename(out)
        remove_soon(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders with Linux's renameat2(RENAME_EXCHANGE); False where it does not exist."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # an old kernel or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def _leftovers(out: Path) -> list[Path]:
    """Temporary folders of earlier builds of ``out`` that did not finish: marked, or still empty."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:new|old)-[A-Za-z0-9_]+")
    return sorted(p for p in out.parent.iterdir() if pattern.fullmatch(p.name) and p.is_dir()
                  and not p.is_symlink() and ((p / MARKER).is_file() or not any(p.iterdir())))


def remove_soon(folder: Path) -> None:
    """Remove a folder of ours in a thread: deleting the previous site takes 0.3 to 0.5 s at 1,000
    articles, time the build can spend saving its cache, and ``serve`` reloading the browser.
    ``settle`` waits for it."""
    thread = threading.Thread(target=_remove_quietly, args=(folder,), name=f"remove {folder.name}")
    thread.start()
    _removals.append(thread)


def settle() -> None:
    """Wait for the folders given to ``remove_soon`` to be gone."""
    while _removals:
        _removals.pop().join()


def _remove_quietly(folder: Path) -> None:
    try:
        _remove(folder)
    except OSError:  # still marked as ours: the next build of the folder removes it (see locked)
        pass


def _remove(folder: Path) -> None:
    """Delete a folder of ours, its marker last, so that a removal cut short is still recognised."""
    for child in folder.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (folder / MARKER).unlink(missing_ok=True)
    folder.rmdir()
