"""What Pagefind is given of a page: its marked elements, whole and in order."""

from __future__ import annotations

from sahel_site.model import Link
from sahel_site.pages import SEARCH_GLOB
from sahel_site.render import _link_html
from sahel_site.search import indexed, indexed_parts, spelled_out

PAGE = b"""<!DOCTYPE html>
<html lang="fr">
<head><title>T</title><script type="application/ld+json">{"name": "data-pagefind-body"}</script></head>
<body><nav>Sections</nav>
<header><h1 data-pagefind-body>Title</h1><p class="meta">3 min read</p></header>
<div class="grid"><div class="body" data-pagefind-body>
<p id="p-1">Text <a href="x">Mali<span class="vh"> (state)</span></a>, <code>&lt;b data-pagefind-body&gt;</code></p>
<div class="highlight"><div>code</div></div> after
</div>
<aside><h2>In this article</h2><ul><li><a class="chip"><span data-pagefind-filter="state">Mali</span></a></li>
<li><img data-pagefind-meta="image[src]" src="a.png"></li></ul></aside></div>
<footer>Licence</footer></body>
</html>
"""


def test_a_page_keeps_its_language_and_its_marked_elements_whole_and_in_order():
    assert indexed_parts(PAGE) == b"""<!DOCTYPE html>
<html lang="fr">
<body>
<h1 data-pagefind-body>Title</h1>
<div class="body" data-pagefind-body>
<p id="p-1">Text <a href="x">Mali<span class="vh"> (state)</span></a>, <code>&lt;b data-pagefind-body&gt;</code></p>
<div class="highlight"><div>code</div></div> after
</div>
<span data-pagefind-filter="state">Mali</span>
<img data-pagefind-meta="image[src]" src="a.png">
</body>
</html>
"""


def test_a_page_stays_whole_where_pagefind_reads_more_than_its_marked_elements():
    unmarked = PAGE.replace(b" data-pagefind-body", b"")  # then Pagefind reads all of every page's body
    assert indexed_parts(unmarked) == unmarked
    title = PAGE.replace(b"<h1 data-pagefind-body>Title</h1>", b"<h1>Title</h1>")  # the default title
    assert indexed_parts(title) == title
    image = PAGE.replace(b"<footer>", b'<footer><img src="b.png">')  # the default image
    assert indexed_parts(image) == image
    bare = PAGE.replace(b'<html lang="fr">', b"")
    assert indexed_parts(bare) == bare
    unclosed = PAGE.replace(b"</div>\n<aside>", b"<aside>").replace(b"</aside></div>", b"</aside>")
    assert indexed_parts(unclosed) == unclosed


def test_braces_of_a_glob_are_spelled_out():
    assert spelled_out("{articles,actors}/*/index.html") == ["articles/*/index.html", "actors/*/index.html"]
    assert spelled_out("{a,b}/{c,d}") == ["a/c", "a/d", "b/c", "b/d"]
    assert spelled_out("**/*.html") == ["**/*.html"]


def test_a_page_is_indexed_when_the_glob_names_its_path_as_pathlib_would():
    assert indexed("articles/mali-vote/index.html", SEARCH_GLOB)
    assert indexed("themes/security/index.html", SEARCH_GLOB)
    assert not indexed("actors/wagner/mentions/2/index.html", SEARCH_GLOB)  # a star stays in one folder
    assert not indexed("articles/index.html", SEARCH_GLOB)
    assert not indexed("graph/index.html", SEARCH_GLOB)
    assert indexed("index.html", "**/*.html") and indexed("a/b/c.html", "**/*.html")
    assert not indexed("a/b/c.htm", "**/*.html")


def test_entity_links_and_marks_are_left_out_around_their_text():
    """As render writes them: the pattern that cuts them follows its markup."""
    def link(href: str, kind: str, name: str, entity: str, html: str) -> bytes:
        return _link_html(Link(1, 0, 0, href, kind, name, entity), html).encode()

    body = (b'<p id="p-1">In ' + link("../../states/niger/", "state", "Niger", "niger", "Niamey") + b", "
            + link("../../actors/ecowas/", "actor", "ECOWAS & AU", "ecowas", "ECOWAS &amp; AU") + b" met "
            + link("", "state", "Niger", "niger", "Niger") + b'\'s envoy; <a href="https://example.org/">a report</a>.</p>')
    page = PAGE.replace(b'<p id="p-1">Text <a href="x">Mali<span class="vh"> (state)</span></a>, ', body + b"\n<p>")
    assert b'<p id="p-1">In Niamey, ECOWAS &amp; AU met Niger\'s envoy; <a href="https://example.org/">a report</a>.</p>' \
        in indexed_parts(page)
