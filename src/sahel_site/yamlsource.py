"""YAML with line numbers: mappings and lists remember where each item was written."""

from __future__ import annotations

from typing import Any

import yaml

from sahel_site.problems import Problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located(dict):
    """A YAML mapping that knows the line of itself and of each key."""

    line: int
    lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]


class LocatedList(list):
    """A YAML sequence that knows the line of itself and of each item."""

    line: int
    lines: list[int]


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    result = Located()
    result.line, result.lines, result.duplicates = node.start_mark.line + 1, {}, []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in result:
            result.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [item.start_mark.line + 1 for item in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, tuple[Problem, ...]]:
    """Parse ``text``; its first line is line ``first_line`` of ``path``."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + (mark.line if mark else 0)
        column = mark.column + 1 if mark else 0
        message = f"invalid YAML: {err.problem or err.context}"
        return None, (Problem(path, line, message, column),)
    except yaml.YAMLError as err:
        return None, (Problem(path, first_line, f"invalid YAML: {err}"),)
    shift = first_line - 1
    if shift:
        _shift_lines(data, shift)
    return data, _duplicate_keys(data, path)


def _shift_lines(data: Any, shift: int) -> None:
    if isinstance(data, Located):
        data.line += shift
        data.lines = {k: v + shift for k, v in data.lines.items()}
        data.duplicates = [(k, v + shift) for k, v in data.duplicates]
        for value in data.values():
            _shift_lines(value, shift)
    elif isinstance(data, LocatedList):
        data.line += shift
        data.lines = [v + shift for v in data.lines]
        for value in data:
            _shift_lines(value, shift)


def _duplicate_keys(data: Any, path: str) -> tuple[Problem, ...]:
    found: list[Problem] = []
    if isinstance(data, Located):
        found += [Problem(path, line, f"duplicate key '{key}'") for key, line in data.duplicates]
        for value in data.values():
            found += _duplicate_keys(value, path)
    elif isinstance(data, LocatedList):
        for value in data:
            found += _duplicate_keys(value, path)
    return tuple(found)


def line_of(data: Any, key: Any = None, default: int = 1) -> int:
    """The line of ``key`` in a mapping, of the mapping itself, or ``default``."""
    if isinstance(data, Located):
        return data.lines.get(key, data.line) if key is not None else data.line
    return getattr(data, "line", default)
