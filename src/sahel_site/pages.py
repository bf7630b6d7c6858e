"""The URL scheme in one place: SiteGraph -> Page(url, template, context)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from sahel_site.model import (
    Article,
    Body,
    Entity,
    EntityStats,
    Evidence,
    KnowledgeBase,
    Link,
    Page,
    SiteConfig,
    SiteGraph,
    Theme,
)

SECTIONS = (("articles", "Articles"), ("actors", "Actors"), ("states", "States"), ("themes", "Themes"))
KIND_DIR = {"actor": "actors", "state": "states", "theme": "themes"}
TYPE_LABEL = {"person": "Person", "organization": "Organisation", "group": "Armed group", "state": "State"}
RELATION_LABEL = {"member_of": "Member of", "leader_of": "Leader of", "allied_with": "Allied with",
                  "part_of": "Part of"}
EVIDENCE_ARTICLES = 20  # evidence groups shown on an entity page before the list is cut
WORDS_PER_MINUTE = 230


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


def make_pages(graph: SiteGraph, kb: KnowledgeBase, config: SiteConfig) -> Iterator[Page]:
    site = Site(graph, kb, config)
    yield site.page("", "home.html", "Home", "home", site.home())
    yield site.page("articles/", "articles/list.html", "Articles", "articles",
                    {"articles": [site.article_card(a) for a in graph.articles]})
    for article in graph.articles:
        yield site.article_page(article)
    for kind, template in (("actor", "actors"), ("state", "states")):
        entities = [e for e in kb.entities.values() if e.kind == kind]
        yield site.page(f"{template}/", f"{template}/list.html", template.title(), template,
                        {"groups": site.index_groups(entities)})
        for entity in entities:
            yield site.entity_page(entity)
    yield site.page("themes/", "themes/list.html", "Themes", "themes",
                    {"themes": [site.chip("theme", t.id) for t in site.themes_by_weight()]})
    for theme in kb.themes.values():
        yield site.theme_page(theme)
    yield Page("404.html", "404.html", site.common("404.html", "Page not found", "", base_path(config)))


class Site:
    """Builds page contexts; holds the lookups every page needs."""

    def __init__(self, graph: SiteGraph, kb: KnowledgeBase, config: SiteConfig) -> None:
        self.graph, self.kb, self.config = graph, kb, config
        self.articles = {a.slug: a for a in graph.articles}
        self.empty = EntityStats("", 0, (), (), (), ())
        self.reverse: dict[str, list[tuple[str, str, Any, Any]]] = {}
        for other in kb.entities.values():
            for r in other.relations:
                self.reverse.setdefault(r.target, []).append((f"has_{r.type}", other.id, r.since, r.until))

    def stats(self, entity_id: str) -> EntityStats:
        return self.graph.stats.get(entity_id, self.empty)

    def common(self, url: str, title: str, section: str, root: str) -> dict[str, Any]:
        return {
            "site": self.config, "url": url, "root": root, "title": title, "section": section,
            "sections": SECTIONS, "canonical": self.config.base_url + url,
            "description": self.config.description,
        }

    def page(self, url: str, template: str, title: str, section: str, context: dict[str, Any]) -> Page:
        return Page(url, template, self.common(url, title, section, root_of(url)) | context)

    def kind_of(self, entity_id: str) -> str:
        return "theme" if entity_id in self.kb.themes else self.kb.entities[entity_id].kind

    def name_of(self, entity_id: str) -> str:
        if entity_id in self.kb.themes:
            return self.kb.themes[entity_id].name
        return self.kb.entities[entity_id].name

    def chip(self, kind: str, entity_id: str, count: int | None = None) -> dict[str, Any]:
        stats = self.stats(entity_id)
        return {"kind": kind, "name": self.name_of(entity_id), "url": url_of(kind, entity_id),
                "count": stats.mentions if count is None else count, "articles": len(stats.articles)}

    def article_card(self, article: Article) -> dict[str, Any]:
        extraction = self.graph.extractions[article.slug]
        top = Counter(m.entity for m in extraction.mentions).most_common(4)
        return {"title": article.title, "url": url_of("article", article.slug), "date": article.date,
                "summary": article.summary,
                "chips": [self.chip(self.kind_of(e), e, n) for e, n in top]}

    def home(self) -> dict[str, Any]:
        def top(kind: str) -> list[dict[str, Any]]:
            ids = [s.id for s in self.graph.stats.values() if self.kind_of(s.id) == kind]
            ids.sort(key=lambda i: (-self.stats(i).mentions, self.name_of(i)))
            return [self.chip(kind, i) for i in ids[:8]]

        return {"latest": [self.article_card(a) for a in self.graph.articles[:12]],
                "top_actors": top("actor"), "top_states": top("state"), "top_themes": top("theme")}

    def article_page(self, article: Article) -> Page:
        url = url_of("article", article.slug)
        root = root_of(url)
        extraction = self.graph.extractions[article.slug]
        counts = Counter(m.entity for m in extraction.mentions)
        panel = {kind: [self.chip(kind, e, n) for e, n in sorted(counts.items(), key=lambda t: (-t[1], t[0]))
                        if self.kind_of(e) == kind] for kind in ("actor", "state")}
        panel["theme"] = [self.chip("theme", t.theme, len(t.sentences)) | {"score": t.score}
                          for t in extraction.themes]
        voices = [{"speaker": s.speaker, "verb": s.verb, "sentence": extraction.sentences[s.sentence].text,
                   "url": f"#p-{extraction.sentences[s.sentence].block}",
                   "entity": self.chip("actor", s.entity) if s.entity else None}
                  for s in extraction.statements]
        related = [{"card": self.article_card(self.articles[slug]),
                    "shared": [self.name_of(e) for e in shared[:4]]}
                   for slug, shared in self.graph.related[article.slug]]
        context = {"article": article, "body": Body(article, self.links(article, root)),
                   "panel": panel, "voices": voices, "related": related,
                   "minutes": max(1, round(article.words / WORDS_PER_MINUTE))}
        page = self.page(url, "article.html", article.title, "articles", context)
        page.context["description"] = article.summary
        return page

    def links(self, article: Article, root: str) -> tuple[Link, ...]:
        """The first mention of each entity in each block becomes a link."""
        seen: set[tuple[int, str]] = set()
        links = []
        for m in self.graph.extractions[article.slug].mentions:
            if (m.block, m.entity) in seen:
                continue
            seen.add((m.block, m.entity))
            kind = self.kind_of(m.entity)
            links.append(Link(m.block, m.start, m.end, root + url_of(kind, m.entity), kind, self.name_of(m.entity)))
        return tuple(links)

    def index_groups(self, entities: list[Entity]) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for entity in sorted(entities, key=lambda e: (-self.stats(e.id).mentions, e.name)):
            groups.setdefault(TYPE_LABEL[entity.type], []).append(self.chip(entity.kind, entity.id))
        return [{"label": label, "entities": items} for label, items in sorted(groups.items())]

    def themes_by_weight(self) -> list[Theme]:
        return sorted(self.kb.themes.values(), key=lambda t: (-self.stats(t.id).mentions, t.name))

    def evidence(self, items: tuple[Evidence, ...]) -> tuple[list[dict[str, Any]], int]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            if item.article not in groups and len(groups) == EVIDENCE_ARTICLES:
                continue
            groups.setdefault(item.article, []).append({
                "before": item.sentence[: item.start], "match": item.sentence[item.start : item.end],
                "after": item.sentence[item.end :], "anchor": f"p-{item.block}",
            })
        cards = [self.article_card(self.articles[slug]) | {"quotes": quotes} for slug, quotes in groups.items()]
        return cards, len({i.article for i in items}) - len(cards)

    def connections(self, stats: EntityStats) -> list[dict[str, Any]]:
        return [self.chip(self.kind_of(o), o) | {"weight": w, "sentences": n}
                for o, w, n in stats.co_mentions[:15]]

    def entity_page(self, entity: Entity) -> Page:
        stats = self.stats(entity.id)
        evidence, more = self.evidence(stats.evidence)
        context = {
            "entity": entity, "kind": entity.kind, "type_label": TYPE_LABEL[entity.type],
            "facts": self.facts(entity), "relations": self.relations(entity),
            "stats": stats, "evidence": evidence, "more_articles": more,
            "connections": self.connections(stats),
            "themes": self.entity_themes(stats),
        }
        page = self.page(url_of(entity.kind, entity.id), f"{KIND_DIR[entity.kind]}/single.html",
                         entity.name, KIND_DIR[entity.kind], context)
        page.context["description"] = entity.description or self.config.description
        return page

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
        if entity.wikidata:
            facts.append(("Wikidata", entity.wikidata, f"https://www.wikidata.org/wiki/{entity.wikidata}"))
        return facts

    def relations(self, entity: Entity) -> list[dict[str, Any]]:
        found = [(r.type, r.target, r.since, r.until) for r in entity.relations]
        found += self.reverse.get(entity.id, [])
        labels = RELATION_LABEL | {"has_member_of": "Members", "has_leader_of": "Led by",
                                   "has_allied_with": "Allied with", "has_part_of": "Includes"}
        return [{"label": labels[kind], "chip": self.chip(self.kind_of(target), target),
                 "since": since, "until": until}
                for kind, target, since, until in sorted(found, key=lambda t: (t[0], self.name_of(t[1])))]

    def entity_themes(self, stats: EntityStats) -> list[dict[str, Any]]:
        counts: Counter[str] = Counter()
        for slug in stats.articles:
            counts.update(t.theme for t in self.graph.extractions[slug].themes)
        return [self.chip("theme", t, n) for t, n in sorted(counts.items(), key=lambda t: (-t[1], t[0]))]

    def theme_page(self, theme: Theme) -> Page:
        stats = self.stats(theme.id)
        evidence, more = self.evidence(stats.evidence)
        context = {"theme": theme, "kind": "theme", "stats": stats, "evidence": evidence,
                   "more_articles": more, "connections": self.connections(stats)}
        page = self.page(url_of("theme", theme.id), "themes/single.html", theme.name, "themes", context)
        page.context["description"] = theme.definition or self.config.description
        return page
