"""axe-core finds no WCAG 2.2 A/AA violation on any page, in the light and the dark scheme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOWN_NODES = 10


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_page(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[Page]:
    """One tab per colour scheme; the CSP is bypassed only so that axe can be injected."""
    context = chromium.new_context(color_scheme=request.param, bypass_csp=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def describe(violation: dict[str, Any]) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
    more = len(targets) - SHOWN_NODES
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']}"]
    lines += [f"    {target}" for target in targets[:SHOWN_NODES]]
    lines += [f"    … and {more} more"] if more > 0 else []
    return "\n".join(lines)


def test_page_has_no_wcag_violation(
    scheme_page: Page, axe_script: Path, served_site: str, site_page: str
) -> None:
    scheme_page.goto(served_site + site_page)
    scheme_page.add_script_tag(path=axe_script)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    violations = scheme_page.evaluate("options => axe.run(document, options)", options)[
        "violations"
    ]
    report = "\n".join(describe(violation) for violation in violations)
    assert not violations, f"/{site_page} has {len(violations)} axe violations:\n{report}"
