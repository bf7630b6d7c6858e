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
def scheme_page(
    request: pytest.FixtureRequest, chromium: Browser, axe_script: Path
) -> Iterator[Page]:
    """One tab per colour scheme with axe loaded into every page.

    An init script is not subject to the page's Content-Security-Policy, so the CSP stays
    on, and the browser caches axe's compiled code from one page to the next.
    """
    context = chromium.new_context(color_scheme=request.param)
    context.add_init_script(path=axe_script)
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


def test_page_has_no_wcag_violation(scheme_page: Page, served_site: str, site_page: str) -> None:
    scheme_page.goto(served_site + site_page)
    # resultTypes: only violations get full details, which keeps axe fast on long pages.
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    result = scheme_page.evaluate("options => axe.run(document, options)", options)
    violations = result["violations"]
    report = "\n".join(describe(violation) for violation in violations)
    assert not violations, f"/{site_page} has {len(violations)} axe violations:\n{report}"
