"""Full-text search in the browser: Pagefind under the sub-path, with its strict policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import pytest

from .test_browser import new_page, record_problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SEED = "articles/aes-russia-visit/"
RESULT = ".pagefind-ui__result-link"


@pytest.fixture(scope="module")
def searcher(chromium: Browser) -> Iterator[Page]:
    yield from new_page(chromium)


@pytest.mark.parametrize("query", ["Goïta", "goita"])
def test_search_finds_the_seed_article_with_or_without_accents(searcher: Page, served_site: str,
                                                               query: str) -> None:
    problems = record_problems(searcher)
    searcher.goto(f"{served_site}search/?q={quote(query)}")
    searcher.wait_for_selector(RESULT)
    paths = [urlsplit(a.get_attribute("href") or "").path for a in searcher.query_selector_all(RESULT)]
    assert urlsplit(served_site).path + SEED in paths
    # the filters of the article's panel are offered (they load after the first results)
    searcher.locator(".pagefind-ui__filter-name").nth(2).wait_for()
    names = searcher.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert {"actor", "state", "theme"} <= {n.strip().lower() for n in names}
    problems = [p for p in problems if "/favicon.ico" not in p]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("query", "entity"), [("Goita", "actors/assimi-goita/"), ("CEDEAO", "actors/ecowas/")])
def test_search_finds_an_entity_page_by_its_name_or_another_name(searcher: Page, served_site: str, query: str,
                                                                 entity: str) -> None:
    searcher.goto(f"{served_site}search/?q={quote(query)}")
    searcher.wait_for_selector(RESULT)
    paths = [urlsplit(a.get_attribute("href") or "").path for a in searcher.query_selector_all(RESULT)]
    assert urlsplit(served_site).path + entity in paths


def test_search_page_without_javascript_offers_the_a_to_z_index(chromium: Browser, served_site: str) -> None:
    for page in new_page(chromium, java_script_enabled=False):
        page.goto(served_site + "search/")
        assert page.locator("#search").inner_text() == ""
        assert page.locator(".a-to-z .chip").count() > 10
        page.locator(".letters a").first.click()
        assert page.locator(".a-to-z .chip", has_text="Assimi Goïta").count() == 1
