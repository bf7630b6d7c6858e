"""Live reload in a real browser, under the site's CSP: save, and the open page follows."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_site.serve import DevServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser

GOOD = Path(__file__).parents[1] / "sites" / "good"
ARTICLE = "content/articles/2026-11-10-aes-summit.md"
WAIT = 30_000  # milliseconds a rebuild and reload may take on a busy machine


def test_an_open_page_reloads_after_each_save_and_recovers_from_an_error(chromium: Browser, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOOD, site)
    server = DevServer(site, port=0)
    url = server.start()
    watcher = threading.Thread(target=server.watch, daemon=True)
    watcher.start()
    from playwright.sync_api import expect

    context = chromium.new_context()
    context.set_default_timeout(WAIT)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    article = site / ARTICLE
    try:
        assert server.watching.wait(30)
        page.goto(url + "articles/aes-summit/")
        assert page.title() == "AES summit in Bamako · Good Fixture"
        article.write_text(article.read_text().replace("in Bamako\n", "in Niamey\n", 1))
        expect(page).to_have_title("AES summit in Niamey · Good Fixture", timeout=WAIT)
        article.write_text(article.read_text().replace("date: 2026-11-10", "date: tomorrow"))
        expect(page.locator("h1")).to_have_text("The site did not build", timeout=WAIT)
        expect(page.locator("li")).to_contain_text("content/articles/2026-11-10-aes-summit.md:3:")
        article.write_text(article.read_text().replace("date: tomorrow", "date: 2026-11-10"))
        expect(page).to_have_title("AES summit in Niamey · Good Fixture", timeout=WAIT)
    finally:
        context.close()
        server.stop()
        watcher.join(30)
    assert [line for line in console if line.startswith("error") and "Content Security Policy" in line] == []
