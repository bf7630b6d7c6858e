"""What a reader's browser does with the served site: loading, clicking, phones, no JavaScript, dark."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        ConsoleMessage,
        Page,
        Request,
        Response,
    )

PHONE = {"width": 390, "height": 844}
# Links a reader follows inside the page, not the site header's or footer's.
CONTENT_LINKS = """links => links
    .filter(a => !a.closest('body > header, body > footer, nav') && a.getClientRects().length > 0)
    .map(a => a.href)"""
# Elements sticking out past the right edge of the viewport, to say why a page scrolls sideways.
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string'
        ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))"""
# The background a reader sees: the body's, or the root's where the body is transparent.
BACKGROUND = """() => {
    const body = getComputedStyle(document.body).backgroundColor;
    const transparent = body === 'rgba(0, 0, 0, 0)' || body === 'transparent';
    return transparent ? getComputedStyle(document.documentElement).backgroundColor : body;
}"""


def new_page(browser: Browser, **options: Any) -> Iterator[Page]:
    """A tab in a context of its own, for every test of a module."""
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def desktop(chromium: Browser) -> Iterator[Page]:
    yield from new_page(chromium)


@pytest.fixture(scope="module")
def phone(chromium: Browser) -> Iterator[Page]:
    yield from new_page(chromium, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture(scope="module")
def no_script(chromium: Browser) -> Iterator[Page]:
    yield from new_page(chromium, java_script_enabled=False)


@pytest.fixture
def tab(desktop: Page) -> Iterator[Page]:
    """A fresh tab, so that what it records belongs to one page only."""
    page = desktop.context.new_page()
    try:
        yield page
    finally:
        page.close()


def record_problems(page: Page) -> list[str]:
    """Collect console errors, script errors, failed requests and error responses of ``page``."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # Chromium asks for /favicon.ico once per browser, on whichever page comes first;
        # test_page_loads_without_errors checks instead that every page declares its icon.
        where = message.location["url"]
        if message.type == "error" and urlsplit(where).path != "/favicon.ico":
            problems.append(f"console error: {message.text} at {where}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    def on_request_failed(request: Request) -> None:
        problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    return problems


def test_page_loads_without_errors(tab: Page, served_site: str, site_page: str) -> None:
    problems = record_problems(tab)
    tab.goto(served_site + site_page)
    if not tab.locator('link[rel~="icon"]').count():
        problems.append("no <link rel=icon>: the browser asks for /favicon.ico, outside the site")
    assert not problems, f"/{site_page}:\n" + "\n".join(problems)


def click_first(page: Page, pattern: re.Pattern[str], avoid: set[str]) -> str:
    """Click the first visible content link whose URL matches ``pattern`` and is not in ``avoid``."""
    hrefs: list[str] = page.eval_on_selector_all("main a[href], aside a[href]", CONTENT_LINKS)
    targets = [
        href for href in hrefs if pattern.fullmatch(urlsplit(href).path) and href not in avoid
    ]
    assert targets, f"no link matching {pattern.pattern} on {page.url}"
    target = targets[0]
    page.locator("main a[href], aside a[href]").nth(hrefs.index(target)).click()
    page.wait_for_url(target)
    assert page.locator("h1").first.inner_text().strip(), f"{target} has no heading"
    return target


def test_reader_clicks_from_home_to_article_to_entity_to_another_article(
    tab: Page, served_site: str
) -> None:
    base = urlsplit(served_site).path
    article = re.compile(re.escape(base) + r"articles/[^/]+/")
    entity = re.compile(re.escape(base) + r"(actors|states|themes)/[^/]+/")
    tab.goto(served_site)
    first = click_first(tab, article, set())
    click_first(tab, entity, set())
    click_first(tab, article, {first})


def test_page_does_not_scroll_sideways_on_a_phone(
    phone: Page, served_site: str, site_page: str
) -> None:
    phone.goto(served_site + site_page)
    width, scroll_width = phone.evaluate(
        "[window.innerWidth, document.documentElement.scrollWidth]"
    )
    wide = phone.evaluate(WIDE_ELEMENTS) if scroll_width > width else []
    assert scroll_width <= width, f"/{site_page} is {scroll_width} px wide at {width} px: {wide}"


def test_page_shows_its_content_without_javascript(
    no_script: Page, served_site: str, site_page: str
) -> None:
    no_script.goto(served_site + site_page)
    text = no_script.locator("main").inner_text().strip()
    assert text, f"/{site_page} shows nothing in <main> without JavaScript"


def background(browser: Browser, url: str, scheme: Literal["light", "dark"]) -> str:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url)
        colour: str = page.evaluate(BACKGROUND)
    finally:
        context.close()
    return colour


def test_dark_scheme_changes_the_background(chromium: Browser, served_site: str) -> None:
    light = background(chromium, served_site, "light")
    dark = background(chromium, served_site, "dark")
    assert light != dark, f"the background is {light} in both schemes"
