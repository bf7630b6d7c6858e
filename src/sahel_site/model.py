"""Frozen dataclasses passed between the pipeline stages."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

EntityKind = Literal["actor", "state"]
ActorType = Literal["person", "organization", "group"]
MatchHow = Literal["name", "alias", "demonym", "capital", "metonym", "surname"]


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    base_url: str  # always ends with "/"; a path ("/repo/") or an absolute URL
    language: str
    description: str
    author: str
    license: str
    copyright: str
    path: str  # the site.yml it came from, for messages
    raw_html: bool = False  # HTML in article bodies passes, sanitised; otherwise it is shown as text


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of body text inside one inline token: where block text came from."""

    child: int  # index into the inline token's children
    start: int  # offset of the run in the block text
    end: int
    linkable: bool  # False inside existing links


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading, list item or table cell of an article body."""

    index: int  # the N of the #p-N anchor
    token: int  # index of the inline token in ArticleText.tokens
    line: int  # 1-based line in the article file
    text: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """What the site keeps of an article: its metadata (the body lives in ``Processed``)."""

    path: str
    slug: str
    title: str
    date: dt.datetime  # naive dates are taken as midnight UTC
    summary: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    draft: bool
    source_url: str
    publisher: str
    license: str
    words: int
    lines: tuple[int, ...]  # the file line of each body block (block N at lines[N - 1]), for messages


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article as parsed from its file; kept only while it is extracted and its body rendered."""

    article: Article
    tokens: tuple[Any, ...]  # markdown-it tokens of the body; treated as read-only
    blocks: tuple[Block, ...]
    raw_html: bool = False  # parsed with HTML kept (the site allows it): rendering cleans it


@dataclass(frozen=True, slots=True)
class Relation:
    type: Literal["member_of", "leader_of", "allied_with", "part_of"]
    target: str
    since: dt.date | None
    until: dt.date | None


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: EntityKind
    type: str  # person | organization | group for actors, "state" for states
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str
    metonyms: tuple[str, ...]
    iso2: str
    iso3: str
    iso_numeric: str
    wikidata: str
    description: str
    role: str
    country: str
    relations: tuple[Relation, ...]
    exclude: tuple[str, ...]
    former_slugs: tuple[str, ...]
    as_of: dt.date | None
    source: str


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    name: str
    definition: str
    cues: tuple[tuple[str, int], ...]  # (term, weight); a trailing * is a prefix


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    entities: Mapping[str, Entity]  # by id, sorted
    themes: Mapping[str, Theme]


@dataclass(frozen=True, slots=True)
class Sentence:
    block: int
    start: int  # offsets in the block text
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    entity: str
    surface: str
    how: MatchHow
    block: int
    start: int  # offsets in the block text
    end: int
    sentence: int  # index into Extraction.sentences


@dataclass(frozen=True, slots=True)
class ThemeScore:
    theme: str
    score: float
    sentences: tuple[int, ...]  # the sentences that carry it, strongest first


@dataclass(frozen=True, slots=True)
class Statement:
    """An attributed statement: who says, warns or argues what."""

    speaker: str
    verb: str
    entity: str | None  # the speaker's entity when it is a known one
    sentence: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proper name the knowledge base does not know yet."""

    name: str
    type: ActorType
    sentence: int  # where it first appears
    aliases: tuple[str, ...]  # every form the article writes it in, the first one first
    actor: bool  # sure enough to count among the article's actors ("General X", "Ministry of Y")


@dataclass(frozen=True, slots=True)
class Extraction:
    article: str  # slug
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    themes: tuple[ThemeScore, ...]
    statements: tuple[Statement, ...]
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One mention as an entity page shows it."""

    article: str
    block: int
    sentence: str
    start: int  # the matched words, as offsets in ``sentence``
    end: int
    index: int  # of the sentence in the article's extraction: the build cache keeps this, not the text


@dataclass(frozen=True, slots=True)
class CoMention:
    other: str  # entity or theme id
    weight: float  # articles together plus SAME_SENTENCE times sentences together
    sentences: int
    articles: int


@dataclass(frozen=True, slots=True)
class EntityStats:
    id: str
    mentions: int
    articles: tuple[str, ...]  # slugs, newest first
    evidence: tuple[Evidence, ...]  # newest article first, text order within
    co_mentions: tuple[CoMention, ...]  # strongest first
    timeline: tuple[tuple[str, int], ...]  # (YYYY-MM, mentions)


@dataclass(frozen=True, slots=True)
class SiteGraph:
    articles: tuple[Article, ...]  # newest first
    extractions: Mapping[str, Extraction]  # by article slug
    stats: Mapping[str, EntityStats]  # by entity or theme id, only those mentioned
    related: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]  # slug -> (slug, shared ids)


@dataclass(frozen=True, slots=True)
class Node:
    """An actor or state placed on the network drawing (coordinates in a 0..1000 box)."""

    id: str
    kind: str
    x: float
    y: float
    radius: float
    mentions: int


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    weight: float
    sentences: int
    articles: int


@dataclass(frozen=True, slots=True)
class Network:
    size: float  # the drawing is a size x size square
    nodes: tuple[Node, ...]  # most mentioned first
    edges: tuple[Edge, ...]  # strongest first


@dataclass(frozen=True, slots=True)
class Page:
    url: str  # site-relative, e.g. "states/mali/"; "" for home
    template: str
    context: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Link:
    """An entity mention to mark, and link if it is the first in its block, at token level."""

    block: int
    start: int  # offsets in the block text
    end: int
    href: str  # "" for a later mention in the block: marked, not linked
    kind: str  # actor | state
    name: str
    entity: str


@dataclass(frozen=True, slots=True)
class Drawing:
    """An SVG drawn at build time, placed in the page as it is."""

    svg: str


@dataclass(frozen=True, slots=True)
class Body:
    """An article body rendered to HTML, entity links in place, kept compressed: a build holds
    every article's body until its page is made, and the markup of links and tables compresses
    to a quarter of its size at a fraction of the cost of rendering it."""

    packed: bytes  # UTF-8, zlib

    @classmethod
    def of(cls, html: str) -> Body:
        return cls(zlib.compress(html.encode(), 1))  # the fastest level: 3.5 times smaller already

    def html(self) -> str:
        return zlib.decompress(self.packed).decode()


@dataclass(frozen=True, slots=True)
class Processed:
    """One article file after the worker that read it: small enough to keep thousands of."""

    article: Article
    extraction: Extraction
    body: Body
