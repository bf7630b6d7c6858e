"""Problems found in the input: every stage returns them instead of raising."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with one place in the input; ``line`` is 1-based, 0 when unknown."""

    path: str
    line: int
    message: str
    column: int = 0
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:" + (f"{self.column}:" if self.column else "")
        return f"{where} {'warning: ' if self.warning else ''}{self.message}"


def errors(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if not p.warning)


class BuildFailed(Exception):
    """Raised by ``build`` before anything is written when the input has errors."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__(f"{len(self.problems)} problem(s)")

    def __reduce__(self) -> tuple[type, tuple[tuple[Problem, ...]]]:
        return BuildFailed, (self.problems,)  # raised in a worker, it reaches the parent whole
