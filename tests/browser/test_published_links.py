"""With an absolute base URL, as the Pages workflow builds it, the feeds, the sitemap and the
absolute addresses in every page resolve too."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
from conftest import BASE_PATH, REPO_ROOT, SubPathHandler

from sahel_site.build import build

from .test_links import crawl, fetch

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's site built for http://127.0.0.1:PORT/some-repo/ and served there."""
    folder = tmp_path_factory.mktemp("published") / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SubPathHandler, directory=str(folder)))
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}{BASE_PATH}"
    build(REPO_ROOT, folder, base_url=base, search_index=False, cache_dir=None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_every_reference_resolves_with_an_absolute_base_url(published: str) -> None:
    broken = crawl(published)
    assert not broken, f"{len(broken)} broken references:\n" + "\n".join(broken)


def test_robots_sitemap_and_feeds_lead_to_live_pages(published: str) -> None:
    robots = fetch(published + "robots.txt").body.decode()
    assert f"Sitemap: {published}sitemap.xml" in robots.splitlines()
    sitemap = ET.fromstring(fetch(published + "sitemap.xml").body)
    locations = [u.findtext(f"{SITEMAP}loc") or "" for u in sitemap]
    assert published in locations
    feed = ET.fromstring(fetch(published + "feed.xml").body)
    links = [link.attrib["href"] for link in feed.iter(f"{ATOM}link")]
    assert published + "articles/aes-russia-visit/" in links
    for url in locations + links:
        assert fetch(url).status == 200, url
