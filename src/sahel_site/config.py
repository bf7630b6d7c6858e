"""content/site.yml -> SiteConfig."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sahel_site.model import SiteConfig
from sahel_site.problems import Problem
from sahel_site.yamlsource import Located, line_of, parse_yaml

# The one schema of site settings: key -> (default, meaning); a setting takes the type of its default.
SETTINGS: dict[str, tuple[str | bool | None, str]] = {
    "title": (None, "the site's name, shown in every page header"),
    "base_url": ("/", "where the site is served: '/', '/repo/' or 'https://host/repo/'"),
    "language": ("en", "the BCP 47 language of the content"),
    "description": ("", "one sentence about the site, for search engines and feeds"),
    "author": ("", "the publisher shown in feeds and metadata"),
    "license": ("CC BY 4.0", "the licence of the articles and data"),
    "copyright": ("", "a copyright line for the footer"),
    "raw_html": (False, "let HTML in articles through, cleaned of scripts, styles and handlers; else shown as text"),
}

# A scheme is only allowed when it is the web's: no javascript: or data: in every page's links.
SAFE_BASE_URL = re.compile(r"\s*(https?://[^\s/]|[^:]*$)", re.IGNORECASE)


def load_config(site_dir: Path, base_url: str | None = None) -> tuple[SiteConfig | None, tuple[Problem, ...]]:
    path = site_dir / "content" / "site.yml"
    shown = str(path.relative_to(site_dir)) if path.is_relative_to(site_dir) else str(path)
    if path.exists() and not path.resolve().is_relative_to((site_dir / "content").resolve()):
        return None, (Problem(shown, 0, "refused: a link to a file outside content/"),)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, (Problem(shown, 0, "missing: every site needs content/site.yml with a title"),)
    except (OSError, UnicodeDecodeError) as err:
        return None, (Problem(shown, 0, f"cannot read: {err}"),)
    return parse_config(text, shown, base_url)


def parse_config(text: str, path: str, base_url: str | None = None) -> tuple[SiteConfig | None, tuple[Problem, ...]]:
    data, problems = parse_yaml(text, path)
    if problems:
        return None, problems
    if not isinstance(data, Located):
        return None, (Problem(path, line_of(data), "site.yml must be a mapping of settings"),)
    found: list[Problem] = []
    values: dict[str, str | bool] = {}
    for key in data:
        if key not in SETTINGS:
            known = ", ".join(SETTINGS)
            found.append(Problem(path, line_of(data, key), f"unknown setting '{key}' (known: {known})"))
    for key, (default, _) in SETTINGS.items():
        value, problem = _setting(data, key, default, path)
        if problem:
            found.append(problem)
        else:
            values[key] = value
    url = base_url if base_url is not None else values.get("base_url", "/")
    if not SAFE_BASE_URL.match(str(url)):
        found.append(Problem(path, line_of(data, "base_url"), "'base_url' must be a path like /repo/ or an"
                             f" http:// or https:// address, not {url!r}"))
    if found:
        return None, tuple(found)
    values["base_url"] = normalize_base_url(str(url))
    return SiteConfig(path=path, **values), ()  # type: ignore[arg-type]


def _setting(data: Located, key: str, default: str | bool | None, path: str) -> tuple[str | bool, Problem | None]:
    """One setting's value, of its default's type."""
    value = data.get(key, default)
    if value is None:
        return "", Problem(path, line_of(data), f"missing required setting '{key}'")
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value, None
        return False, Problem(path, line_of(data, key), f"'{key}' must be true or false")
    if not isinstance(value, str) or (key == "title" and not value.strip()):
        return "", Problem(path, line_of(data, key), f"'{key}' must be a non-empty string")
    return value.strip(), None


def normalize_base_url(url: str) -> str:
    """'' and '/' mean the root; a path gets leading and trailing slashes."""
    url = url.strip()
    if "://" in url:
        return url.rstrip("/") + "/"
    return "/" + url.strip("/") + "/" if url.strip("/") else "/"


def settings_text(title: str) -> str:
    """A site.yml with every setting, each explained by its comment from SETTINGS."""
    lines = ["# Site settings. Every key is optional except title."]
    for key, (default, meaning) in SETTINGS.items():
        value = json.dumps(title if key == "title" else "" if default is None else default, ensure_ascii=False)
        lines += [f"# {key}: {meaning}", f"{key}: {value}"]
    return "\n".join(lines) + "\n"
