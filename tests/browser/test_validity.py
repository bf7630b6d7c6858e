"""The W3C Nu HTML Checker finds no error in any page, stylesheet or SVG of the site."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def run_vnu(vnu_jar: Path, site: Path) -> list[dict[str, object]]:
    """Check every .html, .css and .svg file under ``site``; return vnu's error messages."""
    command = [
        "java",
        "-jar",
        str(vnu_jar),
        "--errors-only",
        "--format",
        "json",
        "--stdout",
        "--skip-non-html",
        "--also-check-css",
        "--also-check-svg",
        str(site),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.stdout, f"vnu printed no report (exit {done.returncode}): {done.stderr}"
    messages: list[dict[str, object]] = json.loads(done.stdout)["messages"]
    return messages


def describe(message: dict[str, object], site: Path) -> str:
    url = str(message.get("url", ""))
    file = url.removeprefix("file:").removeprefix(str(site) + "/")
    return f"{file}:{message.get('lastLine', 0)}: {message.get('type')}: {message.get('message')}"


def test_every_page_stylesheet_and_svg_is_valid(vnu_jar: Path, built_site: Path) -> None:
    errors = [describe(message, built_site) for message in run_vnu(vnu_jar, built_site)]
    assert not errors, f"{len(errors)} vnu errors:\n" + "\n".join(errors)
