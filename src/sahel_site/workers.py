"""Forked workers for the CPU-bound stages: the same results, in the same order, on every core.

Workers are forked after the inputs exist, so they inherit them instead of
receiving them pickled (pickling an article's Markdown tokens costs more than
parsing them again); only results travel back, and in input order, so the
output does not depend on the number of workers.
"""

from __future__ import annotations

import copyreg
import dataclasses
import multiprocessing
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sahel_site import model

T = TypeVar("T")
R = TypeVar("R")
SHARE = 4  # each slice is 1/(SHARE * workers) of the items left: big slices first, small ones last
MIN_PARALLEL = 200  # items below which forking costs more than it saves

_shared: tuple[Callable[[Sequence[Any]], Any], Sequence[Any]] | None = None


def default_jobs(items: int) -> int:
    """Every usable core, when there is enough work to pay for the workers."""
    if items < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_chunks(task: Callable[[Sequence[T]], R], items: Sequence[T], jobs: int,
               progress: Callable[[int], None] | None = None) -> Iterator[R]:
    """``task`` applied to consecutive slices of ``items``, results in slice order, each given as
    soon as it and those before it are done: the caller can keep what it needs of one result
    before the next arrives.

    ``progress`` hears how many items are done after each slice.
    """
    spans = _spans(len(items), max(1, jobs))
    if jobs <= 1 or len(items) < 2 * jobs or "fork" not in multiprocessing.get_all_start_methods():
        yield from _reported((task(items[start:end]) for start, end in spans), spans, progress)
        return
    global _shared
    _shared = (task, items)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield from _reported(pool.imap(_run, spans, chunksize=1), spans, progress)
    finally:
        _shared = None


def _reported(results: Iterable[R], spans: list[tuple[int, int]], progress: Callable[[int], None] | None) -> Iterator[R]:
    for result, (_, end) in zip(results, spans):
        if progress:  # before the result is handed on: a caller may stop asking once it has the last
            progress(end)
        yield result


def _run(span: tuple[int, int]) -> Any:
    assert _shared is not None, "workers are forked after the shared inputs are set"
    task, items = _shared
    return task(items[span[0] : span[1]])


def _spans(count: int, jobs: int) -> list[tuple[int, int]]:
    """Slices that shrink as the items run out: a few big ones keep the results' messages few,
    the small last ones let the workers finish together (with equal slices, one worker could sit
    idle for most of a slice's time at the end of each stage)."""
    spans, start = [], 0
    while start < count:
        end = start + max(1, (count - start) // (SHARE * jobs))
        spans.append((start, end))
        start = end
    return spans


def _register_fast_pickling() -> None:
    """Results come back as model dataclasses: rebuilt by their constructor, not field by field.

    The default for slotted dataclasses calls a Python ``__setstate__`` per object,
    which made sending extractions back cost a fifth of extracting them.
    """
    for value in vars(model).values():
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == model.__name__:
            names = [f.name for f in dataclasses.fields(value) if f.init]
            copyreg.pickle(value, _reducer(value, names))


def _reducer(cls: type, names: list[str]) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (get(obj),))
    return lambda obj: (cls, get(obj))


_register_fast_pickling()
