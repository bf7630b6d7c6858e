"""content/knowledge/*.yml -> KnowledgeBase, validated."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sahel_site.model import Entity, KnowledgeBase, Relation, Theme
from sahel_site.problems import Problem
from sahel_site.textnorm import fold_phrase
from sahel_site.yamlsource import Located, LocatedList, line_of, parse_yaml

FILES = ("states.yml", "actors.yml", "themes.yml")
ACTOR_TYPES = ("person", "organization", "group")
RELATION_TYPES = ("member_of", "leader_of", "allied_with", "part_of")
ENTITY_KEYS = {
    "id", "name", "aliases", "demonyms", "capital", "metonyms", "iso2", "iso3", "iso_numeric",
    "wikidata", "description", "role", "country", "relations", "exclude", "former_slugs",
    "as_of", "source", "type",
}
THEME_KEYS = {"id", "name", "definition", "cues"}
ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")

Report = Callable[[Any, str], None]


def load_knowledge(site_dir: Path, folder: Path | None = None) -> tuple[KnowledgeBase, tuple[Problem, ...]]:
    """The site's knowledge base, or the one in ``folder`` (e.g. the packaged default)."""
    folder = folder or site_dir / "content" / "knowledge"
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for name in FILES:
        path = folder / name
        shown = path.relative_to(site_dir).as_posix() if path.is_relative_to(site_dir) else str(path)
        if path.exists() and not path.resolve().is_relative_to(folder.parent.resolve()):
            problems.append(Problem(shown, 0, "refused: a link to a file outside content/"))
            continue
        try:
            texts[shown] = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            texts[shown] = "[]"
        except (OSError, UnicodeDecodeError) as err:
            problems.append(Problem(shown, 0, f"cannot read: {err}"))
    kb, found = _parsed(tuple(texts.items()))
    return kb, tuple(problems) + found


@functools.lru_cache(maxsize=1)  # serve reads the same files again for every save of an article
def _parsed(texts: tuple[tuple[str, str], ...]) -> tuple[KnowledgeBase, tuple[Problem, ...]]:
    return parse_knowledge(dict(texts))


def parse_knowledge(texts: dict[str, str]) -> tuple[KnowledgeBase, tuple[Problem, ...]]:
    """``texts`` maps the shown paths of states.yml, actors.yml and themes.yml to their text."""
    problems: list[Problem] = []
    entities: list[tuple[Entity, str, int]] = []
    themes: list[tuple[Theme, str, int]] = []
    for path, text in texts.items():
        data, found = parse_yaml(text, path)
        problems += found
        if data is None:
            continue
        if not isinstance(data, LocatedList):
            problems.append(Problem(path, line_of(data), "must be a list of entries, each starting with '- id:'"))
            continue
        kind = Path(path).name
        for item, line in zip(data, data.lines):
            parsed, found = parse_entry(item, line, path, kind)
            problems += found
            if isinstance(parsed, Theme):
                themes.append((parsed, path, line))
            elif parsed:
                entities.append((parsed, path, line))
    problems += _check_ids(entities, themes)
    problems += _check_relations(entities)
    problems += _check_aliases(entities)
    kb = KnowledgeBase(
        entities={e.id: e for e, _, _ in sorted(entities, key=lambda t: t[0].id)},
        themes={t.id: t for t, _, _ in sorted(themes, key=lambda t: t[0].id)},
    )
    return kb, tuple(problems)


def parse_entry(item: Any, line: int, path: str, kind: str) -> tuple[Entity | Theme | None, list[Problem]]:
    found: list[Problem] = []
    if not isinstance(item, Located):
        return None, [Problem(path, line, "an entry must be a mapping with at least 'id' and 'name'")]

    def report(key: Any, message: str) -> None:
        found.append(Problem(path, line_of(item, key, line), message))

    known = THEME_KEYS if kind == "themes.yml" else ENTITY_KEYS
    for key in item:
        if key not in known:
            found.append(Problem(path, line_of(item, key), f"unknown key '{key}'", warning=True))
    entry_id, name = item.get("id"), item.get("name")
    if not isinstance(entry_id, str) or not ID.fullmatch(entry_id):
        report("id", "entry needs an 'id' of lower-case ASCII words joined by hyphens")
    if not isinstance(name, str) or not name.strip():
        report("name" if "name" in item else None, f"entry '{entry_id}' has no name")
    if found and any(not p.warning for p in found):
        return None, found
    parsed = _theme(item, report) if kind == "themes.yml" else _entity(item, report, kind)
    return parsed, found


def _theme(item: Located, report: Report) -> Theme:
    cues = item.get("cues", {})
    if not isinstance(cues, dict) or not all(isinstance(w, int) and 1 <= w <= 3 for w in cues.values()):
        report("cues", "'cues' must map terms to weights 1, 2 or 3")
        cues = {}
    return Theme(id=item["id"], name=item["name"].strip(), definition=_str(item, "definition", report),
                 cues=tuple(sorted((str(t).strip(), w) for t, w in cues.items())))


def _entity(item: Located, report: Report, kind: str) -> Entity:
    is_state = kind == "states.yml"
    entity_type = "state" if is_state else item.get("type")
    if not is_state and entity_type not in ACTOR_TYPES:
        report("type", f"'type' must be one of {', '.join(ACTOR_TYPES)}, not {entity_type!r}")
    if is_state and not re.fullmatch(r"[A-Z]{2}", str(item.get("iso2", ""))):
        report("iso2", "a state needs 'iso2', its ISO 3166-1 alpha-2 code")
    return Entity(
        id=item["id"], kind="state" if is_state else "actor", type=str(entity_type),
        name=item["name"].strip(), aliases=_strs(item, "aliases", report),
        demonyms=_strs(item, "demonyms", report), capital=_str(item, "capital", report),
        metonyms=_strs(item, "metonyms", report), iso2=_str(item, "iso2", report),
        iso3=_str(item, "iso3", report), iso_numeric=_str(item, "iso_numeric", report),
        wikidata=_str(item, "wikidata", report), description=_str(item, "description", report),
        role=_str(item, "role", report), country=_str(item, "country", report),
        relations=_relations(item, report), exclude=_strs(item, "exclude", report),
        former_slugs=_former_slugs(item, report), as_of=_day(item, "as_of", report),
        source=_str(item, "source", report),
    )


def _str(item: Located, key: str, report: Report) -> str:
    value = item.get(key, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        report(key, f"'{key}' must be a text")
        return ""
    return value.strip()


def _strs(item: Located, key: str, report: Report) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report(key, f"'{key}' must be a list of texts")
        return ()
    return tuple(v.strip() for v in value)


def _former_slugs(item: Located, report: Report) -> tuple[str, ...]:
    slugs = _strs(item, "former_slugs", report)
    if not all(ID.fullmatch(slug) for slug in slugs):
        report("former_slugs", "'former_slugs' must be ids: lower-case ASCII words joined by hyphens")
        return ()
    return slugs


def _day(item: Located, key: str, report: Report) -> dt.date | None:
    value = item.get(key)
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    report(key, f"'{key}' must be a date like 2026-11-01")
    return None


def _relations(item: Located, report: Report) -> tuple[Relation, ...]:
    relations = []
    value = item.get("relations", [])
    if not isinstance(value, list):
        report("relations", "'relations' must be a list")
        return ()
    for rel in value:
        if not isinstance(rel, Located) or rel.get("type") not in RELATION_TYPES or not isinstance(rel.get("target"), str):
            report("relations", f"a relation needs 'type' ({', '.join(RELATION_TYPES)}) and 'target'")
            continue
        relations.append(Relation(type=rel["type"], target=rel["target"],
                                  since=_day(rel, "since", report), until=_day(rel, "until", report)))
    return tuple(relations)


def _check_ids(entities: list[tuple[Entity, str, int]], themes: list[tuple[Theme, str, int]]) -> list[Problem]:
    """Ids and former slugs are unique, also as addresses ('al_qaeda' and 'al-qaeda' share one)."""
    seen: dict[str, tuple[str, str]] = {}
    found = []
    for entry, path, line in entities + themes:  # type: ignore[operator]
        slugs = (entry.id, *getattr(entry, "former_slugs", ()))
        for slug in slugs:
            address = slug.replace("_", "-")
            if address not in seen:
                seen[address] = (slug, f"{path}:{line}")
                continue
            other, where = seen[address]
            message = f"id '{slug}' is already used at {where}" if other == slug else \
                f"id '{slug}' has the same address as '{other}' at {where}"
            found.append(Problem(path, line, message))
    return found


def _check_relations(entities: list[tuple[Entity, str, int]]) -> list[Problem]:
    ids = {e.id for e, _, _ in entities}
    found = []
    for entity, path, line in entities:
        targets = [r.target for r in entity.relations] + ([entity.country] if entity.country else [])
        for target in targets:
            if target not in ids:
                found.append(Problem(path, line, f"'{entity.id}' refers to unknown id '{target}'"))
    return found


def _check_aliases(entities: list[tuple[Entity, str, int]]) -> list[Problem]:
    """A surface form that names two entities would make matching a guess."""
    owner: dict[str, tuple[str, str, int]] = {}
    found = []
    for entity, path, line in entities:
        forms = {entity.name, *entity.aliases, *entity.demonyms, *entity.metonyms}
        if entity.capital:
            forms.add(entity.capital)
        for form in sorted(forms):
            key = fold_phrase(form)
            if key in owner and owner[key][0] != entity.id:
                other, other_path, other_line = owner[key]
                found.append(Problem(path, line, f"'{form}' names both '{entity.id}' and '{other}'"
                                     f" ({other_path}:{other_line}); keep it on one of them"))
            owner.setdefault(key, (entity.id, path, line))
    return found

