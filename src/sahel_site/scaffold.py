"""New files for editors: an article with complete front-matter, a whole site skeleton."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from sahel_site.problems import BuildFailed, Problem

PACKAGED = Path(__file__).parent / "default"  # force-included from the repository by the wheel build
CHECKOUT = Path(__file__).resolve().parents[2] / "content"  # an editable install
EXAMPLE = "2026-11-24-aes-russia-visit.md"

TEMPLATES_README = """\
# Templates of this site

A file here replaces the theme's file of the same name; every other file still
comes from the theme packaged with sahel-site. To change the page header, for
example, copy the theme's `base.html` here and edit it:

    python -c "import sahel_site, pathlib; print(pathlib.Path(sahel_site.__file__).parent / 'templates')"

prints where the theme is. Static files work the same way: `static/css/site.css`
here replaces the theme's stylesheet. Templates are Jinja with autoescape and
undefined variables as errors; `sahel-site check` reports template syntax errors
with their file and line, and `sahel-site serve` shows them in the browser.
"""


def default_content() -> Path:
    """The packaged default content: knowledge base and example article."""
    return PACKAGED if PACKAGED.is_dir() else CHECKOUT


def article_text(title: str, date: dt.date) -> str:
    """Front-matter with every field of the article format, the optional ones explained."""
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return f"""---
title: {quoted}
date: {date.isoformat()}
summary: ""             # one sentence; empty: the first paragraph is used
authors: []             # e.g. [Jane Doe]
tags: []                # e.g. [Mali, elections]
draft: true             # set to false to publish; serve shows drafts, build skips them
# slug: my-slug         # default: from the file name, without its date
# source_url: https://...
# publisher: ...
# license: CC BY 4.0
---

Write the first paragraph here: it is the summary when `summary` is empty.
"""


def new_article(site_dir: Path, title: str, slug: str, date: dt.date) -> Path:
    """Create content/articles/DATE-SLUG.md; never replace a file."""
    if not (site_dir / "content" / "site.yml").is_file():
        raise BuildFailed([Problem(str(site_dir / "content" / "site.yml"), 0, "not a site folder: run in one,"
                                   " pass --site DIR, or create one with: sahel-site init DIR")])
    path = site_dir / "content" / "articles" / f"{date.isoformat()}-{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(article_text(title, date))
    except FileExistsError:
        raise BuildFailed([Problem(str(path), 0, "already exists; edit it, or choose another title")]) from None
    return path


def init_site(folder: Path, site_yml: str) -> list[Path]:
    """A site that builds at once: settings, the example article, the knowledge base, templates/."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BuildFailed([Problem(str(folder), 0, "refused: the folder exists and is not empty")])
    defaults = default_content()
    knowledge = folder / "content" / "knowledge"
    articles = folder / "content" / "articles"
    shutil.copytree(defaults / "knowledge", knowledge)
    articles.mkdir()
    shutil.copyfile(defaults / "articles" / EXAMPLE, articles / EXAMPLE)
    (folder / "content" / "site.yml").write_text(site_yml, encoding="utf-8")
    (folder / "templates").mkdir()
    (folder / "templates" / "README.md").write_text(TEMPLATES_README, encoding="utf-8")
    (folder / ".gitignore").write_text("_site/\n_site.*/\n.sahel-cache/\n", encoding="utf-8")
    return sorted(p for p in folder.rglob("*") if p.is_file())
