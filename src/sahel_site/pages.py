"""The URL scheme in one place: SiteGraph -> Page(url, template, context)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cache, partial
from itertools import zip_longest
from operator import attrgetter
from typing import Any

from markupsafe import Markup, escape

from sahel_site import maps
from sahel_site.model import (
    Article,
    Body,
    Drawing,
    Entity,
    EntityStats,
    Evidence,
    Extraction,
    KnowledgeBase,
    Link,
    Network,
    Page,
    SiteConfig,
    SiteGraph,
    Theme,
)
from sahel_site.network import label_places as network_labels

AES = "alliance-of-sahel-states"  # its members are marked on maps
SECTIONS = (("articles", "Articles"), ("actors", "Actors"), ("states", "States"), ("themes", "Themes"),
            ("graph", "Graph"), ("search", "Search"), ("data", "Data"))
KIND_DIR = {"actor": "actors", "state": "states", "theme": "themes"}
SEARCH_GLOB = "{articles,actors,states,themes}/*/index.html"  # the pages the search index reads: not mentions/N/
TYPE_LABEL = {"person": "Person", "organization": "Organisation", "group": "Armed group", "state": "State"}
RELATION_LABEL = {"has_leader_of": "Led by", "leader_of": "Leader of", "member_of": "Member of",
                  "part_of": "Part of", "allied_with": "Allied with", "has_allied_with": "Allied with",
                  "has_part_of": "Includes", "has_member_of": "Members"}  # in the order shown
EVIDENCE_ARTICLES = 20  # articles per page of evidence; later ones go to mentions/2/ …
EVIDENCE_QUOTES = 80  # and at most this many mentions per page, so pages stay small
PAGER_NEAR = 3  # pages listed either side of the current one
CONNECTIONS = 15
ABOUT = 5
CARD_CHIPS = 4  # entities shown on an article's card
RELATED_REASONS = 4
TIMELINE = (480, 110)  # width and height of the timeline drawing
YEAR_WIDTH = 30  # room a year label takes in the timeline drawing (four digits at 12px)
WORDS_PER_MINUTE = 230
FEED_ENTRIES = 20  # newest articles per Atom feed
ABOUT_JSONLD = 3  # the most mentioned actors and states are what an article is "about"
SCHEMA_TYPE = {"person": "Person", "organization": "Organization", "group": "Organization", "state": "Country"}
WIKIDATA = "https://www.wikidata.org/wiki/"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EXTRACTED = {"text": "Actors, states and themes are extracted automatically from the article text by rules and the"
             " site's knowledge base. No person has checked these extractions: read them as leads, not as"
             " verified facts.", "link": None, "label": ""}
THEMED = {"text": "An article gets a theme when two or more of its sentences carry the theme's cue words;"
          " this is found automatically by rules, not judged by a person.", "link": None, "label": ""}
EVIDENCE_NOTE = {"text": "Each quotation is the sentence an extraction rests on; follow its link to read it in"
                 " context.", "link": None, "label": ""}
SEARCHED = {"text": "Search covers the articles and the pages of actors, states and themes. Its filters are the"
            " actors, states and themes found in each article by rules, not checked by a person.",
            "link": None, "label": ""}
NO_SCRIPT = "Full-text search needs JavaScript. Every actor, state and theme is listed below from A to Z."


def url_of(kind: str, slug: str) -> str:
    if kind == "article":
        return f"articles/{slug}/"
    return f"{KIND_DIR[kind]}/{slug.replace('_', '-')}/"


def root_of(url: str) -> str:
    """The relative way back to the site root from a page at ``url``."""
    return "../" * url.count("/")


def base_path(config: SiteConfig) -> str:
    url = config.base_url
    return "/" + url.split("://", 1)[1].split("/", 1)[1] if "://" in url else url


def body_links(extraction: Extraction, kb: KnowledgeBase) -> tuple[Link, ...]:
    """Every mention in an article body is marked; the first of each entity in each block is also a link."""
    root = root_of(url_of("article", extraction.article))
    seen: set[tuple[int, str]] = set()
    links = []
    for m in extraction.mentions:
        entity = kb.entities[m.entity]
        first = (m.block, m.entity) not in seen
        seen.add((m.block, m.entity))
        links.append(Link(m.block, m.start, m.end, root + url_of(entity.kind, m.entity) if first else "",
                          entity.kind, entity.name, m.entity))
    return tuple(links)


PageGroup = Callable[[], Iterable[Page]]


def make_pages(graph: SiteGraph, kb: KnowledgeBase, config: SiteConfig, network: Network,
               bodies: Mapping[str, Body], *, search: bool = True,
               reads: set[str] | None = None) -> dict[str, PageGroup]:
    """Every page, in groups made when called, by group id: an article's page, an entity's pages,
    the indexes, the feeds, the search and data pages and the redirects of former slugs.

    The worker that renders a group makes its pages, so no process holds every page at once;
    ``bodies`` are the articles' rendered bodies by slug; ``search`` says whether the build
    makes a search index for the search page to use. Making a group adds to ``reads`` the facts
    its pages were made from (see ``changed_facts``), so that a later build remakes it only when
    one of them changed."""
    site = Site(graph, kb, config, bodies, network, reads)
    groups: dict[str, PageGroup] = {"index": site.index_pages, "publishing": partial(site.publishing_pages, search)}
    groups |= {f"article:{a.slug}": partial(site.article_pages, a) for a in graph.articles}
    groups |= {f"entity:{e.id}": partial(site.entity_pages, e) for e in kb.entities.values()}
    groups |= {f"theme:{t.id}": partial(site.theme_pages, t) for t in kb.themes.values()}
    # Each further page of an entity's or theme's mentions is a group of its own: it shows only its
    # share of the evidence, so an edit to one article remakes one of a big entity's many pages.
    subjects = [(e.kind, e.id) for e in kb.entities.values()] + [("theme", t) for t in kb.themes]
    pages = {i: len(evidence_chunks(s.evidence)) for i, s in graph.stats.items()}  # counted, not kept: memory
    groups |= {f"mentions:{i}:{n}": partial(site.mention_page, kind, i, n) for kind, i in subjects
               for n in range(2, pages.get(i, 0) + 1)}
    if "://" in config.base_url:  # feed readers need full addresses and ids
        groups |= {f"feed:{kind}:{i}": partial(site.feed_pages, kind, i) for kind, i in feed_subjects(kb)}
    return groups


def changed_facts(old: SiteGraph, new: SiteGraph, old_bodies: Mapping[str, Body], new_bodies: Mapping[str, Body],
                  old_network: Network, new_network: Network) -> set[str]:
    """The facts a page group may have read (``Site`` records them) that differ between two builds.

    Unchanged articles and stats are the same objects in both graphs, so most tests are identity."""
    facts = set()
    before, after = {a.slug: a for a in old.articles}, {a.slug: a for a in new.articles}
    for slug in before.keys() | after.keys():
        for kind, a, b in (("article", before, after), ("extraction", old.extractions, new.extractions),
                           ("body", old_bodies, new_bodies), ("related", old.related, new.related)):
            if _differ(a.get(slug), b.get(slug)):
                facts.add(f"{kind}:{slug}")
        facts |= _parts_shown_elsewhere(slug, before.get(slug), after.get(slug), old.extractions.get(slug),
                                        new.extractions.get(slug))
    for entity in old.stats.keys() | new.stats.keys():
        a, b = old.stats.get(entity), new.stats.get(entity)
        if _differ(a, b):
            facts.add(f"stats:{entity}")
            facts |= _changed_chunks(entity, a, b)
            if (a and a.mentions) != (b and b.mentions):
                facts.add(f"mentions:{entity}")
            if (a and a.articles) != (b and b.articles):
                facts.add(f"postings:{entity}")
            if len(a.articles if a else ()) != len(b.articles if b else ()):
                facts.add(f"articles:{entity}")
    if list(before) != list(after):
        facts.add("order")
    if old.stats.keys() != new.stats.keys():
        facts.add("mentioned")
    if old_network != new_network:
        facts.add("network")
    return facts


def _changed_chunks(entity: str, a: EntityStats | None, b: EntityStats | None) -> set[str]:
    """The pages of an entity's evidence that differ, and whether their number does."""
    old, new = (evidence_chunks(s.evidence) if s else [] for s in (a, b))
    facts = {f"chunk:{entity}:{n}" for n, (x, y) in enumerate(zip_longest(old, new), 1) if x != y}
    return facts | {f"pages:{entity}"} if len(old) != len(new) else facts


def _differ(a: object, b: object) -> bool:
    return a is not b and a != b


def _parts_shown_elsewhere(slug: str, a: Article | None, b: Article | None, x: Extraction | None,
                           y: Extraction | None) -> set[str]:
    """What pages of other articles and of entities show of a changed article: its heading,
    the chips of its card and its themes; an edit to its text may leave them all as they were."""
    facts = set()
    if _differ(a, b) and (a and (a.title, a.date, a.summary)) != (b and (b.title, b.date, b.summary)):
        facts.add(f"heading:{slug}")
    if _differ(x, y):
        if (x and top_mentions(x)) != (y and top_mentions(y)):
            facts.add(f"top:{slug}")
        if (x and [t.theme for t in x.themes]) != (y and [t.theme for t in y.themes]):
            facts.add(f"themes:{slug}")
    return facts


def top_mentions(extraction: Extraction) -> list[tuple[str, int]]:
    """The entities an article's card shows, with their mentions in it."""
    return Counter(m.entity for m in extraction.mentions).most_common(CARD_CHIPS)


def feed_subjects(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """The site (kind and id "") and every actor, state and theme: each has an Atom feed."""
    return [("", "")] + [(e.kind, e.id) for e in kb.entities.values()] + [("theme", t) for t in kb.themes]


def redirect_urls(kb: KnowledgeBase, stats_of: Callable[[str], EntityStats | None]) -> dict[str, str]:
    """Old page address -> new one, for every former slug of an actor or state, with its pages of
    mentions."""
    found = {}
    for entity in kb.entities.values():
        if not entity.former_slugs:
            continue
        new = url_of(entity.kind, entity.id)
        stats = stats_of(entity.id)
        pages = len(evidence_chunks(stats.evidence)) if stats else 0
        for slug in entity.former_slugs:
            old = url_of(entity.kind, slug)
            found[old] = new
            found |= {f"{old}mentions/{n}/": f"{new}mentions/{n}/" for n in range(2, pages + 1)}
    return found


def sitemap_pages(config: SiteConfig, kb: KnowledgeBase, graph: SiteGraph, paths: Iterable[str]) -> list[Page]:
    """sitemap.xml of the pages written (``paths`` of their files), leaving out redirects and the
    404 page, when base_url gives full addresses; robots.txt names it."""
    moved = redirect_urls(kb, graph.stats.get)
    urls = sorted(path.removesuffix("index.html") for path in paths if path.endswith("index.html")
                  and path.removesuffix("index.html") not in moved)
    if "://" not in config.base_url:
        return [Page("robots.txt", "robots.txt", {"sitemap": ""})]
    return [Page("sitemap.xml", "sitemap.xml", {"urls": [config.base_url + u for u in urls]}),
            Page("robots.txt", "robots.txt", {"sitemap": config.base_url + "sitemap.xml"})]


def reverse_relations(kb: KnowledgeBase) -> dict[str, list[tuple[str, str, Any, Any]]]:
    """The knowledge base's relations seen from their targets: "Members", "Led by" …"""
    found: dict[str, list[tuple[str, str, Any, Any]]] = {}
    for other in kb.entities.values():
        for r in other.relations:
            found.setdefault(r.target, []).append((f"has_{r.type}", other.id, r.since, r.until))
    return found


class _Noted(Mapping[str, Any]):
    """The knowledge base's entities or themes as a page group reads them, noting in its facts
    each entry looked up ("kb:e:mali"), whether an id is known ("kb:e:ids") and a pass over them
    all ("kb:e:*"): an edit to one entity remakes the pages that show it, not every page."""

    def __init__(self, site: Site, prefix: str, data: Mapping[str, Any]) -> None:
        self._site, self._prefix, self._data = site, prefix, data

    def __getitem__(self, key: str) -> Any:
        self._site.reads.add(f"{self._prefix}:{key}")
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        self._site.reads.add(f"{self._prefix}:ids")
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self._site.reads.add(f"{self._prefix}:*")
        return iter(self._data)

    def __len__(self) -> int:
        self._site.reads.add(f"{self._prefix}:ids")
        return len(self._data)

    def values(self) -> Any:
        self._site.reads.add(f"{self._prefix}:*")
        return self._data.values()

    def items(self) -> Any:
        self._site.reads.add(f"{self._prefix}:*")
        return self._data.items()


def kb_facts(old: KnowledgeBase, new: KnowledgeBase) -> set[str]:
    """The knowledge-base facts (see ``_Noted`` and ``Site.label``) that differ between two builds."""
    facts = set()
    for prefix, a, b in (("kb:e", old.entities, new.entities), ("kb:t", old.themes, new.themes)):
        changed = {i for i in a.keys() | b.keys() if _differ(a.get(i), b.get(i))}
        facts |= {f"{prefix}:{i}" for i in changed}
        facts |= {f"kb:label:{i}" for i in changed if _label(a.get(i)) != _label(b.get(i))}
        if changed or list(a) != list(b):
            facts.add(f"{prefix}:*")
        if a.keys() != b.keys():
            facts.add(f"{prefix}:ids")
    if map_states(old.entities) != map_states(new.entities):
        facts.add("kb:map")
    before, after = reverse_relations(old), reverse_relations(new)
    return facts | {f"kb:rev:{t}" for t in before.keys() | after.keys() if before.get(t) != after.get(t)}


def map_states(entities: Mapping[str, Entity]) -> list[tuple[str, str, str, bool]]:
    """What the maps show of the knowledge base: each state drawn (id, ISO number, name) and whether
    it is a member of the Alliance of Sahel States."""
    members = {e.id for e in entities.values()
               if any(r.type == "member_of" and r.target == AES and r.until is None for r in e.relations)}
    return [(e.id, e.iso_numeric, e.name, e.id in members) for e in entities.values()
            if e.kind == "state" and e.iso_numeric]


def _label(item: Entity | Theme | None) -> tuple[str, ...] | None:
    """What pages show of an entity or theme they only name and link: chips, cards, JSON-LD."""
    if item is None:
        return None
    return (item.name, "theme") if isinstance(item, Theme) else (item.name, item.kind, item.type, item.wikidata)


class Site:
    """Builds page contexts; holds the lookups every page needs.

    Articles, extractions, bodies, related articles, stats and the knowledge base are read through
    the methods below, which note each fact read in ``reads``: the site settings are the only
    input read directly, and a change to them remakes every page anyway."""

    def __init__(self, graph: SiteGraph, kb: KnowledgeBase, config: SiteConfig, bodies: Mapping[str, Body],
                 network: Network, reads: set[str] | None = None) -> None:
        self._graph, self.config, self._bodies, self._network = graph, config, bodies, network
        self.kb = KnowledgeBase(_Noted(self, "kb:e", kb.entities), _Noted(self, "kb:t", kb.themes))
        self._entities, self._themes = kb.entities, kb.themes  # read only through ``label``
        self._articles = {a.slug: a for a in graph.articles}
        self.reads = set() if reads is None else reads
        self.cards: dict[str, tuple[dict[str, Any], set[str]]] = {}  # with the facts each was made from
        self._chunks: dict[str, list[Chunk]] = {}
        self.empty = EntityStats("", 0, (), (), (), ())
        self.reverse = reverse_relations(kb)
        self.mapped = map_states(kb.entities)  # the same for every state's page

    def article(self, slug: str) -> Article:
        self.reads.add(f"article:{slug}")
        return self._articles[slug]

    def heading(self, slug: str) -> Article:
        """The article as cards, lists and quotes show it: only its slug, title, date and summary
        are read (an edit to the text alone leaves this fact as it was)."""
        self.reads.add(f"heading:{slug}")
        return self._articles[slug]

    def newest(self, count: int | None = None) -> tuple[Article, ...]:
        """The articles, newest first; the first ``count`` of them, as headings."""
        found = self._graph.articles[:count]
        self.reads.add("order")
        self.reads.update(f"heading:{a.slug}" for a in found)
        return found

    def extraction(self, slug: str) -> Extraction:
        self.reads.add(f"extraction:{slug}")
        return self._graph.extractions[slug]

    def top_mentions(self, slug: str) -> list[tuple[str, int]]:
        self.reads.add(f"top:{slug}")
        return top_mentions(self._graph.extractions[slug])

    def theme_ids(self, slug: str) -> list[str]:
        self.reads.add(f"themes:{slug}")
        return [t.theme for t in self._graph.extractions[slug].themes]

    def body(self, slug: str) -> str:
        self.reads.add(f"body:{slug}")
        return self._bodies[slug].html()

    def related(self, slug: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        self.reads.add(f"related:{slug}")
        return self._graph.related[slug]

    def mentions(self, entity_id: str) -> int:
        self.reads.add(f"mentions:{entity_id}")
        stats = self._graph.stats.get(entity_id)
        return stats.mentions if stats else 0

    def article_count(self, entity_id: str) -> int:
        self.reads.add(f"articles:{entity_id}")
        stats = self._graph.stats.get(entity_id)
        return len(stats.articles) if stats else 0

    def articles_of(self, entity_id: str) -> tuple[str, ...]:
        """The slugs of the articles that mention it, newest first."""
        self.reads.add(f"postings:{entity_id}")
        stats = self._graph.stats.get(entity_id)
        return stats.articles if stats else ()

    def mentioned(self) -> list[str]:
        """Every entity and theme mentioned somewhere."""
        self.reads.add("mentioned")
        return list(self._graph.stats)

    def index_pages(self) -> Iterator[Page]:
        """The home page, the section indexes, the network and the 404 page."""
        yield self.page("", "home.html", "Home", "home", self.home())
        yield self.page("articles/", "articles/list.html", "Articles", "articles",
                        {"articles": [self.article_card(a) for a in self.newest()]})
        for kind, template in (("actor", "actors"), ("state", "states")):
            entities = [e for e in self.kb.entities.values() if e.kind == kind]
            yield self.page(f"{template}/", f"{template}/list.html", template.title(), template,
                            {"groups": self.index_groups(entities)})
        yield self.page("themes/", "themes/list.html", "Themes", "themes",
                        {"themes": [self.chip("theme", t.id) for t in self.themes_by_weight()]})
        yield from self.graph_pages()
        yield Page("404.html", "404.html",
                   self.common("404.html", "Page not found", "", base_path(self.config)) | {"noindex": True})

    def stats(self, entity_id: str) -> EntityStats:
        self.reads.add(f"stats:{entity_id}")
        return self._graph.stats.get(entity_id, self.empty)

    def common(self, url: str, title: str, section: str, root: str) -> dict[str, Any]:
        return {
            "site": self.config, "url": url, "root": root, "title": title, "section": section,
            "sections": SECTIONS, "canonical": self.absolute(url),
            "description": self.config.description, "method": (EXTRACTED, EVIDENCE_NOTE),
            "og_type": "website", "og_url": self.absolute(url), "published": "", "noindex": False,
            "feeds": self.feeds(), "jsonld": None,
        }

    def page(self, url: str, template: str, title: str, section: str, context: dict[str, Any]) -> Page:
        return Page(url, template, self.common(url, title, section, root_of(url)) | context)

    def label(self, entity_id: str) -> Entity | Theme:
        """An entity or theme as named and linked elsewhere: only its label is read (see ``kb_facts``)."""
        self.reads.add(f"kb:label:{entity_id}")
        return self._themes.get(entity_id) or self._entities[entity_id]

    def kind_of(self, entity_id: str) -> str:
        return "theme" if entity_id in self._themes else self.label(entity_id).kind

    def name_of(self, entity_id: str) -> str:
        return self.label(entity_id).name

    def link(self, kind: str, entity_id: str) -> dict[str, Any]:
        """An entity as named and linked where no count is shown."""
        return {"kind": kind, "name": self.name_of(entity_id), "url": url_of(kind, entity_id)}

    def chip(self, kind: str, entity_id: str, count: int | None = None) -> dict[str, Any]:
        """An entity with a count: ``count``, or by default its mentions in all articles."""
        return self.link(kind, entity_id) | {"count": self.mentions(entity_id) if count is None else count}

    def article_card(self, article: Article) -> dict[str, Any]:
        """Made once per article: lists and related articles show the same card many times. A card
        made for an earlier page is read again with the facts it was made from."""
        if article.slug not in self.cards:
            outer, self.reads = self.reads, {f"heading:{article.slug}"}
            card = {"title": article.title, "url": url_of("article", article.slug), "date": article.date,
                    "summary": article.summary,
                    "chips": [self.chip(self.kind_of(e), e, n) for e, n in self.top_mentions(article.slug)]}
            self.cards[article.slug], self.reads = (card, self.reads), outer
        card, reads = self.cards[article.slug]
        self.reads |= reads
        return card

    def home(self) -> dict[str, Any]:
        def top(kind: str) -> list[dict[str, Any]]:
            ids = [i for i in self.mentioned() if self.kind_of(i) == kind]
            ids.sort(key=lambda i: (-self.mentions(i), self.name_of(i)))
            return [self.chip(kind, i) for i in ids[:8]]

        return {"jsonld": jsonld("WebSite", self.config.title, self.config.base_url,
                                 description=self.config.description),
                "latest": [self.article_card(a) for a in self.newest(12)], "map": self.state_map(None, ""),
                "top_actors": top("actor"), "top_states": top("state"), "top_themes": top("theme")}

    def article_pages(self, article: Article) -> tuple[Page]:
        """The article's page: a group of one."""
        url = url_of("article", article.slug)
        article = self.article(article.slug)
        extraction = self.extraction(article.slug)
        voices = [{"speaker": s.speaker, "verb": s.verb, "sentence": extraction.sentences[s.sentence].text,
                   "url": f"#p-{extraction.sentences[s.sentence].block}",
                   "entity": self.link("actor", s.entity) if s.entity else None}
                  for s in extraction.statements]
        related = [{"card": self.article_card(self.heading(slug)), "reasons": self.reasons(shared)}
                   for slug, shared in self.related(article.slug)]
        context = {"article": article, "body": Markup(self.body(article.slug)),
                   "panel": self.panel(article), "voices": voices, "related": related,
                   "minutes": max(1, round(article.words / WORDS_PER_MINUTE)),
                   "method": (self.source_note(article), EXTRACTED)}
        page = self.page(url, "article.html", article.title, "articles", context)
        page.context.update(description=article.summary, og_type="article", published=rfc3339(article.date),
                            jsonld=self.article_jsonld(article))
        return (page,)

    def panel(self, article: Article) -> dict[str, list[dict[str, Any]]]:
        """"In this article": actors and states by mentions, themes by strength."""
        extraction = self.extraction(article.slug)
        counts = Counter(m.entity for m in extraction.mentions)
        panel = {kind: [self.chip(kind, e, n) for e, n in sorted(counts.items(), key=lambda t: (-t[1], t[0]))
                        if self.kind_of(e) == kind] for kind in ("actor", "state")}
        strongest = max((t.score for t in extraction.themes), default=1.0)
        panel["theme"] = [self.chip("theme", t.theme, len(t.sentences)) | {"score": t.score, "max": strongest}
                          for t in extraction.themes]
        return panel

    def reasons(self, shared: tuple[str, ...]) -> list[str]:
        """Why an article is related: the rarest things it shares, themes labelled as such."""
        return [f"theme: {self.name_of(i)}" if i in self.kb.themes else self.name_of(i)
                for i in shared[:RELATED_REASONS]]

    def source_note(self, article: Article) -> dict[str, Any]:
        published = f"Published {article.date.day} {article.date:%B %Y}"
        if article.source_url:
            by = f" by {article.publisher}" if article.publisher else ""
            return {"text": f"{published}{by}; source:", "link": article.source_url, "label": article.source_url}
        return {"text": f"{published} on this site.", "link": None, "label": ""}

    def index_groups(self, entities: list[Entity]) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for entity in sorted(entities, key=lambda e: (-self.mentions(e.id), e.name)):
            groups.setdefault(TYPE_LABEL[entity.type], []).append(
                self.chip(entity.kind, entity.id) | {"articles": self.article_count(entity.id)})
        return [{"label": label, "entities": items} for label, items in sorted(groups.items())]

    def themes_by_weight(self) -> list[Theme]:
        return sorted(self.kb.themes.values(), key=lambda t: (-self.mentions(t.id), t.name))

    def state_map(self, highlight: Entity | None, root: str) -> Drawing:
        """States shaded by mentions, AES members marked; the region, or the world for far states."""
        self.reads.add("kb:map")
        mapped = self.mapped
        areas = [maps.MapArea(iso, name, self.mentions(i), root + url_of("state", i), marked=member,
                              highlighted=highlight is not None and i == highlight.id)
                 for i, iso, name, member in mapped]
        aes = any(member for *_, member in mapped)
        far = highlight is not None and maps.map_extent(highlight.iso_numeric) == "world"
        title = f"Map: {highlight.name}" if highlight else "Map of the Sahel and West Africa"
        draw = maps.world_map if far else maps.region_map
        return Drawing(draw(areas, title=title, legend="Mentions",
                            description="States shaded by how often the articles mention them"
                            + (f"; {highlight.name} highlighted." if highlight else "."),
                            marked_label="Alliance of Sahel States member" if aes else ""))

    def entity_pages(self, entity: Entity) -> Iterator[Page]:
        """The entity's page, then one page per further chunk of its evidence."""
        entity = self.kb.entities[entity.id]
        stats = self.stats(entity.id)
        url = url_of(entity.kind, entity.id)
        chunks = self.chunks(entity.id)
        context = {
            "entity": entity, "kind": entity.kind, "type_label": TYPE_LABEL[entity.type],
            "facts": self.facts(entity), "relations": self.relations(entity), "stats": counts(stats),
            "evidence": self.evidence(chunks[0] if chunks else []), "pager": pager(url, 1, len(chunks)),
            "connections": self.connections(stats), "themes": self.entity_themes(stats),
            "about": self.about(stats), "timeline": timeline(stats.timeline),
            "method": (EXTRACTED, EVIDENCE_NOTE, self.kb_note(entity)),
            "map": self.state_map(entity, root_of(url)) if entity.kind == "state" and entity.iso_numeric else None,
        }
        page = self.page(url, f"{KIND_DIR[entity.kind]}/single.html", entity.name, KIND_DIR[entity.kind], context)
        page.context.update(description=entity.description or self.config.description,
                            feeds=self.feeds(url, entity.name), jsonld=self.entity_jsonld(entity))
        yield page

    def chunks(self, subject: str) -> list[Chunk]:
        """An entity's or theme's evidence as cut into pages (noting no fact: see ``mention_page``)."""
        if subject not in self._chunks:
            stats = self._graph.stats.get(subject)
            self._chunks[subject] = evidence_chunks(stats.evidence) if stats else []
        return self._chunks[subject]

    def mention_page(self, kind: str, subject: str, number: int) -> tuple[Page]:
        """A page of mentions after the first, which the entity's or theme's own page shows: it reads
        its own share of the evidence and how many pages there are, not the rest of the stats."""
        self.reads |= {f"chunk:{subject}:{number}", f"pages:{subject}"}
        chunks, url, name = self.chunks(subject), url_of(kind, subject), self.label(subject).name
        context = {"name": name, "kind": kind, "entity_url": url, "evidence": self.evidence(chunks[number - 1]),
                   "pager": pager(url, number, len(chunks)), "method": (EXTRACTED, EVIDENCE_NOTE)}
        return (self.page(f"{url}mentions/{number}/", "mentions.html", f"{name}: mentions, page {number}",
                          KIND_DIR[kind], context),)

    def evidence(self, chunk: Chunk) -> list[dict[str, Any]]:
        """One group per article: its title and date, then each sentence with the matches marked."""
        groups = []
        for slug, items in chunk:
            article = self.heading(slug)
            groups.append({"title": article.title, "url": url_of("article", slug), "date": article.date,
                           "quotes": quotes(items), "count": len(items)})
        return groups

    def connections(self, stats: EntityStats) -> list[dict[str, Any]]:
        """Co-mentioned actors and states (themes are listed apart), strongest first."""
        found = [c for c in stats.co_mentions if c.other in self.kb.entities][:CONNECTIONS]
        return [self.link(self.kind_of(c.other), c.other) | {"weight": c.weight, "sentences": c.sentences,
                                                             "together": c.articles} for c in found]

    def about(self, stats: EntityStats) -> list[dict[str, Any]]:
        """The articles that mention it most: at least twice, newest first among equals."""
        counts = Counter(e.article for e in stats.evidence)
        best = sorted(counts.items(), key=lambda t: -t[1])[:ABOUT]
        return [{"title": self.heading(slug).title, "url": url_of("article", slug),
                 "date": self.heading(slug).date, "count": n} for slug, n in best if n >= 2]

    def kb_note(self, entity: Entity) -> dict[str, Any]:
        source = f" (source: {entity.source}" if entity.source else " (source not recorded"
        as_of = f", as of {entity.as_of.day} {entity.as_of:%B %Y})" if entity.as_of else ")"
        return {"text": "The facts and relations at the side come from the site's knowledge base" + source + as_of
                + "; they are curated by the editors, not extracted from the articles.", "link": None, "label": ""}

    def facts(self, entity: Entity) -> list[tuple[str, str, str | None]]:
        facts: list[tuple[str, str, str | None]] = [("Kind", TYPE_LABEL[entity.type], None)]
        if entity.role:
            facts.append(("Role", entity.role, None))
        if entity.country and entity.country in self.kb.entities:
            facts.append(("Country", self.name_of(entity.country), url_of("state", entity.country)))
        if entity.capital:
            facts.append(("Capital", entity.capital, None))
        if entity.iso2:
            facts.append(("ISO 3166 code", " / ".join(c for c in (entity.iso2, entity.iso3) if c), None))
        if entity.aliases:
            facts.append(("Also written", ", ".join(entity.aliases), None))
        return facts

    def relations(self, entity: Entity) -> list[dict[str, Any]]:
        """Knowledge-base relations both ways, grouped by label: "Member of", "Members", "Led by" …"""
        found = [(r.type, r.target, r.since, r.until) for r in entity.relations]
        self.reads.add(f"kb:rev:{entity.id}")
        found += self.reverse.get(entity.id, [])
        groups: dict[str, list[dict[str, Any]]] = {}
        order = list(RELATION_LABEL)
        for kind, target, since, until in sorted(found, key=lambda t: (order.index(t[0]), self.name_of(t[1]))):
            groups.setdefault(RELATION_LABEL[kind], []).append(
                {"chip": self.link(self.kind_of(target), target), "since": since, "until": until})
        return [{"label": label, "entries": entries} for label, entries in groups.items()]

    def entity_themes(self, stats: EntityStats) -> list[dict[str, Any]]:
        counts: Counter[str] = Counter()
        for slug in stats.articles:
            counts.update(self.theme_ids(slug))
        return [self.chip("theme", t, n) for t, n in sorted(counts.items(), key=lambda t: (-t[1], t[0]))]

    def theme_pages(self, theme: Theme) -> Iterator[Page]:
        theme = self.kb.themes[theme.id]
        stats = self.stats(theme.id)
        url = url_of("theme", theme.id)
        chunks = self.chunks(theme.id)
        context = {"theme": theme, "kind": "theme", "stats": counts(stats),
                   "evidence": self.evidence(chunks[0] if chunks else []), "pager": pager(url, 1, len(chunks)),
                   "connections": self.connections(stats), "timeline": timeline(stats.timeline),
                   "method": (THEMED, EVIDENCE_NOTE)}
        page = self.page(url, "themes/single.html", theme.name, "themes", context)
        page.context.update(description=theme.definition or self.config.description, feeds=self.feeds(url, theme.name),
                            jsonld=jsonld("DefinedTerm", theme.name, self.config.base_url + url,
                                          description=theme.definition))
        yield page

    def graph_pages(self) -> Iterator[Page]:
        """The network drawing with its table, and the same data as JSON."""
        self.reads.add("network")
        network = self._network
        top = max((e.weight for e in network.edges), default=1.0)
        where = {n.id: n for n in network.nodes}
        labels = network_labels(network.nodes, {n.id: self.name_of(n.id) for n in network.nodes}, network.size)
        nodes = [self.chip(n.kind, n.id) | {"id": n.id, "x": n.x, "y": n.y, "r": n.radius, "label": labels[n.id]}
                 for n in network.nodes]
        edges = [{"a": self.name_of(e.source), "b": self.name_of(e.target), "sentences": e.sentences,
                  "together": e.articles, "weight": e.weight, "width": round(0.75 + 5 * e.weight / top, 1),
                  "x1": where[e.source].x, "y1": where[e.source].y, "x2": where[e.target].x, "y2": where[e.target].y}
                 for e in network.edges]
        context = {"nodes": nodes, "edges": edges, "size": network.size,
                   "method": (EXTRACTED, {"text": "Positions come from a force-directed layout computed when the"
                              " site is built: nearness on the drawing follows co-mentions, it is not geography.",
                                          "link": None, "label": ""})}
        yield self.page("graph/", "graph.html", "Network of actors and states", "graph", context)
        data = {"nodes": [{"id": n["id"], "name": n["name"], "kind": n["kind"], "mentions": n["count"],
                           "x": n["x"], "y": n["y"], "url": n["url"]} for n in nodes],
                "edges": [{"source": e.source, "target": e.target, "weight": e.weight, "sentences": e.sentences,
                           "articles": e.articles} for e in network.edges]}
        yield Page("graph/graph.json", "graph.json", {"data": data})


    # Publishing: metadata, feeds, search, open data and redirects.

    def absolute(self, url: str) -> str:
        """The full address of a page, or "" when base_url is only a path and no host is known
        (then a page names no canonical address: a path is none to search engines)."""
        return self.config.base_url + url if "://" in self.config.base_url else ""

    def feeds(self, url: str = "", name: str = "") -> list[dict[str, str]]:
        """The Atom feeds a page offers: the site's, and its own on entity and theme pages."""
        if not self.absolute(""):
            return []
        found = [{"title": f"{self.config.title}: all articles", "url": "feed.xml"}]
        if url:
            found.append({"title": f"{self.config.title}: articles on {name}", "url": url + "feed.xml"})
        return found

    def thing(self, entity_id: str) -> dict[str, Any]:
        """An actor or state as schema.org sees it, tied to Wikidata by sameAs."""
        entity = self.label(entity_id)
        item = jsonld(SCHEMA_TYPE[entity.type], entity.name, self.config.base_url + url_of(entity.kind, entity.id))
        del item["@context"]
        if entity.wikidata:
            item["sameAs"] = WIKIDATA + entity.wikidata
        return item

    def article_jsonld(self, article: Article) -> dict[str, Any]:
        """NewsArticle: ``about`` the most mentioned actors and states, ``mentions`` the others."""
        counts = Counter(m.entity for m in self.extraction(article.slug).mentions)
        ranked = [e for e, _ in sorted(counts.items(), key=lambda t: (-t[1], t[0])) if e in self.kb.entities]
        publisher = {"@type": "Organization", "name": self.config.author or self.config.title}
        item = jsonld("NewsArticle", article.title, self.config.base_url + url_of("article", article.slug),
                      headline=article.title, description=article.summary, inLanguage=self.config.language,
                      datePublished=rfc3339(article.date), dateModified=rfc3339(article.date),
                      author=[publisher if a == self.config.author else {"@type": "Person", "name": a}
                              for a in article.authors] or [publisher],
                      publisher=publisher, keywords=list(article.tags),
                      about=[self.thing(e) for e in ranked[:ABOUT_JSONLD]],
                      mentions=[self.thing(e) for e in ranked[ABOUT_JSONLD:]])
        if article.source_url:
            item["isBasedOn"] = article.source_url
        return item

    def entity_jsonld(self, entity: Entity) -> dict[str, Any]:
        item = {"@context": "https://schema.org"} | self.thing(entity.id)
        if entity.description:
            item["description"] = entity.description
        if entity.aliases:
            item["alternateName"] = list(entity.aliases)
        return item

    def publishing_pages(self, search: bool) -> Iterator[Page]:
        """The search page (with its A-Z index for readers without JavaScript), the open data page
        and the redirects of former slugs."""
        yield self.page("search/", "search.html", "Search", "search",
                        {"search": search, "letters": self.a_to_z(), "noscript_note": NO_SCRIPT,
                         "method": (SEARCHED,)})
        yield self.page("data/", "data/index.html", "Open data", "data", {"method": (EXTRACTED,)})
        for old, new in redirect_urls(self.kb, self.stats).items():
            yield self.redirect(old, new)

    def a_to_z(self) -> list[dict[str, Any]]:
        """Every actor, state and theme by the first letter of its name, accents folded."""
        items = [self.link(e.kind, e.id) for e in self.kb.entities.values()]
        items += [self.link("theme", t) for t in self.kb.themes]
        letters: dict[str, list[dict[str, Any]]] = {}
        for item in sorted(items, key=lambda i: (fold(i["name"]), i["kind"])):
            initial = fold(item["name"])[:1].upper()
            letters.setdefault(initial if initial.isalpha() else "#", []).append(item)
        return [{"letter": k, "id": "letter-" + (k.lower() if k.isalpha() else "other"), "entries": v}
                for k, v in letters.items()]

    def feed_pages(self, kind: str, subject: str) -> Iterator[Page]:
        """The Atom feed of the site (``kind`` "") or of one actor, state or theme; for an entity
        with former slugs, a copy at each old address too, so that subscriptions keep working."""
        if not kind:
            yield self.feed("", self.config.title, [a.slug for a in self.newest(FEED_ENTRIES)])
            return
        url = url_of(kind, subject)
        feed = self.feed(url, f"{self.name_of(subject)} · {self.config.title}", list(self.articles_of(subject)))
        yield feed
        for slug in self.kb.entities[subject].former_slugs if kind != "theme" else ():
            yield replace(feed, url=url_of(kind, slug) + "feed.xml")

    def feed(self, url: str, title: str, slugs: list[str]) -> Page:
        """The feed beside the page at ``url``: its newest articles, in full."""
        articles = [self.article(s) for s in slugs[:FEED_ENTRIES]]
        latest = articles or self.newest(1)
        newest = latest[0].date if latest else EPOCH
        return Page(url + "feed.xml", "feed.xml", {
            "site": self.config, "title": title, "id": self.absolute(url), "alternate": self.absolute(url),
            "self_url": self.absolute(url + "feed.xml"), "updated": rfc3339(newest),
            "entries": [self.feed_entry(a) for a in articles]})

    def feed_entry(self, article: Article) -> dict[str, Any]:
        """One article in a feed: its body as on its page, whose relative links the entry's
        xml:base resolves."""
        url = url_of("article", article.slug)
        extraction = self.extraction(article.slug)
        ids = sorted({m.entity for m in extraction.mentions}, key=lambda e: (self.kind_of(e), e))
        ids += [t.theme for t in extraction.themes]
        return {"title": article.title, "id": self.absolute(url), "url": self.absolute(url),
                "published": rfc3339(article.date), "summary": article.summary, "authors": article.authors,
                "categories": [{"term": i, "label": self.name_of(i),
                                "scheme": self.absolute(KIND_DIR[self.kind_of(i)] + "/")} for i in ids],
                "body": self.body(article.slug)}

    def redirect(self, old: str, new: str) -> Page:
        name = self.name_of(new.split("/")[1]) if new.split("/")[1] in self.kb.entities else new
        page = self.page(old, "redirect.html", name, "", {"target": new, "method": (),
                                                           "address": self.config.base_url + new})
        page.context.update(canonical=self.absolute(new), noindex=True, og_url=self.absolute(new))
        return page

def counts(stats: EntityStats) -> dict[str, int]:
    """What an entity page says of its statistics; not the whole EntityStats, which a page key
    would otherwise pickle with every piece of evidence."""
    return {"mentions": stats.mentions, "articles": len(stats.articles)}


ARTICLE_OF = attrgetter("article")
Chunk = list[tuple[str, tuple[Evidence, ...]]]  # (article slug, its evidence) for one page


def evidence_chunks(items: tuple[Evidence, ...]) -> list[Chunk]:
    """Evidence grouped by article and cut into pages of bounded size, newest article first."""
    chunks: list[Chunk] = []
    current: Chunk = []
    size = position = 0
    for slug, count in Counter(map(ARTICLE_OF, items)).items():  # an article's evidence is one run: see analysis
        if current and (len(current) == EVIDENCE_ARTICLES or size + count > EVIDENCE_QUOTES):
            chunks.append(current)
            current, size = [], 0
        current.append((slug, items[position:position + count]))
        size += count
        position += count
    return chunks + [current] if current else chunks


def quotes(items: Sequence[Evidence]) -> list[dict[str, Any]]:
    """Mentions in one sentence make one quote with every match marked."""
    merged: list[tuple[Evidence, list[tuple[int, int]]]] = []
    for item in items:
        if merged and (merged[-1][0].block, merged[-1][0].sentence) == (item.block, item.sentence):
            merged[-1][1].append((item.start, item.end))
        else:
            merged.append((item, [(item.start, item.end)]))
    return [{"html": marked(item.sentence, spans), "block": item.block} for item, spans in merged]


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` as HTML with each span in <mark>, made here once: entity pages hold thousands of
    quotes. A plain str, which the template marks safe: a page key pickles it far quicker than Markup.

    The spans are first cut out by NUL and SOH, which no article text holds (content refuses
    control characters), so that the whole sentence is escaped in one call."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(spans):
        if start < position or start == end:
            continue
        parts += (text[position:start], "\x00", text[start:end], "\x01")
        position = end
    parts.append(text[position:])
    return str(escape("".join(parts))).replace("\x00", "<mark>").replace("\x01", "</mark>")


def pager(url: str, number: int, total: int) -> dict[str, Any] | None:
    """Links between an entity page (page 1) and its mentions/N/ pages; URLs site-relative.

    Only the first, the last and the PAGER_NEAR pages either side are listed (None marks a gap),
    so an entity with thousands of mentions does not get pages of page numbers."""
    if total < 2:
        return None

    def url_of_page(n: int) -> str:
        return url if n == 1 else f"{url}mentions/{n}/"

    shown = sorted({1, total, *range(max(1, number - PAGER_NEAR), min(total, number + PAGER_NEAR) + 1)})
    pages: list[tuple[int | None, str]] = []
    for previous, n in zip([1, *shown], shown):
        if n > previous + 1:
            pages.append((None, ""))
        pages.append((n, url_of_page(n)))
    return {"number": number, "total": total, "pages": pages,
            "previous": url_of_page(number - 1) if number > 1 else None,
            "next": url_of_page(number + 1) if number < total else None}


def timeline(counts: tuple[tuple[str, int], ...]) -> dict[str, Any] | None:
    """Monthly bars from the first to the last month with mentions, and the rows of its table."""
    if not counts:
        return None
    by_month = dict(counts)
    months = month_range(counts[0][0], counts[-1][0])
    width, height = TIMELINE
    step, top = width / max(len(months), 12), max(by_month.values())  # a short history is not one wide block
    bars, ticks = [], []
    for i, month in enumerate(months):
        n = by_month.get(month, 0)
        h = round(n / top * (height - 24), 1)
        bars.append({"label": month_name(month), "count": n, "x": round(i * step + step * 0.1, 1),
                     "y": round(height - 20 - h, 1), "width": max(round(step * 0.8, 1), 1.0), "height": h})
        if (i == 0 or month.endswith("-01")) and i * step + YEAR_WIDTH <= width:  # never cut at the edge
            ticks.append({"x": round(i * step, 1), "text": month[:4]})
    peak = max(counts, key=lambda t: (t[1], t[0]))
    return {"bars": bars, "ticks": ticks, "width": width, "height": height, "baseline": height - 20,
            "first": month_name(months[0]), "last": month_name(months[-1]), "peak": month_name(peak[0]),
            "top": top, "rows": [(month_name(m), n) for m, n in counts]}


def month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@cache
def month_name(month: str) -> str:
    """"2024-05" -> "May 2024": each timeline names every month it spans, and strftime costs more than
    the rest of a bar."""
    return f"{dt.date(int(month[:4]), int(month[5:]), 1):%B %Y}"


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def jsonld(kind: str, name: str, url: str, **fields: Any) -> dict[str, Any]:
    """A schema.org item; the template writes it with ``tojson``, which escapes ``<`` so
    that no string can close the script element."""
    return {"@context": "https://schema.org", "@type": kind, "name": name, "url": url} | fields


def fold(text: str) -> str:
    """Accents off, for sorting and grouping names: Goïta under G, Côte d'Ivoire under C."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
