"""What a reader's browser does with the served site: loading, clicking, phones, no JavaScript, dark."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
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
# Links a reader follows in the page's content: for each of LINKS, its URL, or null for the
# site header's, footer's and navigation's links and for hidden ones.
LINKS = "main a[href], aside a[href]"
CONTENT_LINKS = """links => links.map(a =>
    a.closest('body > header, body > footer, nav') || !a.getClientRects().length ? null : a.href)"""
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


def content_links(page: Page, pattern: re.Pattern[str], avoid: set[str]) -> list[int]:
    """Indices in LINKS of the content links whose path matches ``pattern`` and is not in ``avoid``."""
    hrefs: list[str | None] = page.eval_on_selector_all(LINKS, CONTENT_LINKS)
    paths = [urlsplit(href).path if href else "" for href in hrefs]
    return [i for i, path in enumerate(paths) if pattern.fullmatch(path) and path not in avoid]


def click(page: Page, index: int) -> str:
    """Click link ``index`` of LINKS like a reader; return the path of the page it led to."""
    link = page.locator(LINKS).nth(index)
    href = link.evaluate("a => a.href")
    link.click()
    page.wait_for_url(href)
    assert page.locator("h1").first.inner_text().strip(), f"{page.url} has no heading"
    return urlsplit(href).path


def test_reader_clicks_from_home_to_article_to_entity_to_another_article(
    tab: Page, served_site: str, built_site: Path
) -> None:
    base = urlsplit(served_site).path
    article = re.compile(re.escape(base) + r"articles/[^/]+/")
    entity = re.compile(re.escape(base) + r"(actors|states|themes)/[^/]+/")
    tab.goto(served_site)
    home_articles = content_links(tab, article, set())
    assert home_articles, f"no article link in the content of {tab.url}"
    first = click(tab, home_articles[0])
    # A site of one article can only lead back to it, through the entity page's evidence.
    single = len(list((built_site / "articles").glob("*/index.html"))) == 1
    for link in content_links(tab, entity, set()):
        click(tab, link)
        onward = content_links(tab, article, set() if single else {first})
        if onward:
            click(tab, onward[0])
            return
        tab.go_back()
    pytest.fail(f"no entity page linked from {first} links on to another article")


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
