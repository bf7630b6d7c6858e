"""Article x KnowledgeBase -> Extraction: mentions, themes, voices and unknown names.

Names are found in one pass over each block's words with a trie of folded words
(case and accents ignored, acronyms compared exactly), so the cost per article does
not grow with the size of the knowledge base; the longest match wins.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sahel_site.model import (
    Article,
    Candidate,
    Entity,
    Extraction,
    KnowledgeBase,
    Mention,
    Sentence,
    Statement,
    ThemeScore,
)
from sahel_site.textnorm import WORD, fold, strip_accents

END = ""  # trie key of the targets that end at a node
PREFIX = "*"  # trie key of the Prefixes of cue terms ending in *
TITLES = frozenset(["president", "captain", "capt", "colonel", "col", "general", "gen", "lieutenant", "lt", "major", "commander", "minister", "premier", "sergeant", "marshal", "brigadier", "king", "sheikh", "dr", "mr", "mrs", "ms", "chief", "senator", "ambassador", "governor", "mayor", "imam", "emir", "prince", "judge", "prosecutor", "spokesman", "spokeswoman"])
ORG_WORDS = frozenset(["ministry", "council", "agency", "radio", "television", "tv", "bank", "union", "commission", "office", "court", "party", "committee", "institute", "association", "federation", "company", "corporation", "network", "foundation", "university", "assembly", "parliament", "senate", "forces", "army", "police", "gendarmerie", "guard", "service", "mission", "programme", "program", "fund", "news", "times", "post", "press", "authority", "directorate", "secretariat", "board", "tribunal", "coalition", "alliance", "organisation", "organization", "league", "community", "centre", "center", "media", "channel", "broadcaster", "newspaper", "airways", "airlines", "group"])
GROUP_WORDS = frozenset(["front", "movement", "brigade", "militia", "katiba", "battalion", "liberation", "jihad", "mujahideen", "ansar", "ansaru", "self-defence", "dozo", "koglweogo", "rebels"])
NOT_ACTORS = frozenset(["region", "province", "prefecture", "district", "airport", "hotel", "river", "lake", "mountains", "valley", "desert", "basin", "agreement", "accord", "accords", "charter", "declaration", "summit", "conference", "day", "street", "avenue", "square", "camp", "base", "forest", "park", "island", "islands", "road", "highway", "corridor", "border", "coast", "gulf", "sea", "ocean", "plateau", "triangle", "zone", "area", "city", "town", "village", "cup", "prize", "award", "war", "wars", "operation", "university", "festival", "stadium", "palace", "bridge", "dam", "mine", "mines"])
CONNECTORS = frozenset(["of", "for", "and", "the", "de", "du", "des", "la", "le", "al", "el", "ben", "bin", "ould", "wal", "d", "l"])
STOP_NAMES = frozenset(["sahel", "west", "africa", "africa", "europe", "maghreb", "middle", "east", "sub", "saharan", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "islam", "muslim", "muslims", "christian", "christians", "arabic", "english", "ramadan", "eid", "tuareg", "tuaregs", "fulani", "peul", "peuls", "dogon", "mossi", "hausa", "songhai", "bambara", "arab", "arabs", "azawad", "liptako", "gourma", "sahara", "sahelian", "western", "eastern", "northern", "southern", "central", "god", "allah", "internet", "covid"])
SENTENCE_WORDS = frozenset(["the", "a", "an", "in", "on", "at", "for", "but", "and", "yet", "this", "that", "these", "those", "it", "its", "their", "his", "her", "after", "before", "when", "while", "since", "as", "according", "meanwhile", "however", "last", "next", "some", "many", "most", "several", "both", "each", "other", "such", "despite", "during", "under", "with", "without", "from", "by", "to", "of", "through", "across", "although", "though", "if", "whether", "what", "who", "why", "how", "where", "there", "here", "critics", "others", "reports", "footage", "officials", "analysts", "residents", "witnesses", "sources", "regional", "observers", "supporters", "we", "they", "he", "she", "i", "our", "one", "two", "three", "four", "five", "new", "more", "also", "then", "now", "still", "even", "only"])
REPORTING = re.compile(
    r"\b(says|said|say|argues?|argued|warns?|warned|claims?|claimed|accuse[sd]?|insist(?:s|ed)?|"
    r"told|stated|declared|denied|announced|urged|condemned|notes?|noted|suggests?|suggested|"
    r"contends?|contended|maintains?|maintained|alleges?|alleged|believes?|believed|fears?|feared|"
    r"estimates?|estimated|reported|see|sees|describe[sd]?|called for|calls for)\b"
)
_AUX = re.compile(r"(?:\s+(?:have|has|had|also|will|would|may|might|could|did|do|does|have long|"
                  r"repeatedly|publicly|quickly|\w+ly))+$")
_LEAD = re.compile(r"^(?:however|but|meanwhile|still|yet|and|in turn|for their part|for its part)\W+",
                   re.IGNORECASE)
PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "this", "that", "some", "many", "others", "there"])
_PASSIVE = re.compile(r"\s+(?:as|by)\b")  # "described as", "reported by": the subject is not the speaker
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9À-Ý])")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Capt|Maj|Sgt|St|No|Jr|Sr|vs|Gov|Sen|Rep|Prof)"
                           r"|\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z])\.$")


@dataclass(frozen=True, slots=True)
class Target:
    entity: str | None  # None for an excluded phrase: it matches and yields nothing
    how: str
    exact: tuple[str, ...] | None  # the words as written, when case matters (acronyms)


@dataclass(frozen=True, slots=True)
class Prefixes:
    """Cue terms ending in * at one trie node, looked up by each length they have.

    Trying every prefix with startswith on every word made theme scoring the
    slowest stage of a build; a few dict lookups per word replace it.
    """

    lengths: set[int]
    targets: dict[str, list[tuple[int, Any]]]  # prefix -> (insertion order, target)
    seen: dict[str, tuple[Any, ...]]  # word -> targets, in insertion order

    def match(self, key: str) -> tuple[Any, ...]:
        found = self.seen.get(key)
        if found is None:
            hits = [hit for n in self.lengths if n <= len(key) for hit in self.targets.get(key[:n], ())]
            found = self.seen[key] = tuple(target for _, target in sorted(hits, key=lambda h: h[0]))
        return found


@dataclass(frozen=True, slots=True)
class Matcher:
    """The knowledge base compiled for matching; built once per build."""

    names: dict[str, Any]
    surnames: dict[str, tuple[str, ...]]
    cues: dict[str, Any]
    entities: dict[str, Entity]


@dataclass(slots=True)  # not frozen: one per word of every article, and a frozen __init__ costs twice as much
class Word:
    start: int
    end: int
    key: str  # folded
    text: str  # accents stripped, case kept


def surface_forms(entity: Entity) -> list[tuple[str, str]]:
    """Every (form, how) to look for, name first; demonyms in -n also in the plural."""
    forms = [(entity.name, "name")] + [(a, "alias") for a in entity.aliases]
    forms += [(d, "demonym") for d in entity.demonyms]
    forms += [(d + "s", "demonym") for d in entity.demonyms if d.endswith("n")]
    if entity.capital:
        forms.append((entity.capital, "capital"))
    forms += [(m, "metonym") for m in entity.metonyms]
    return forms


def compile_matcher(kb: KnowledgeBase) -> Matcher:
    names: dict[str, Any] = {}
    surnames: dict[str, list[str]] = {}
    for entity in kb.entities.values():
        for form, how in surface_forms(entity):
            _insert(names, form, Target(entity.id, how, _exact(form)))
        if entity.type == "person":
            for form in (entity.name, *entity.aliases):
                words = WORD.findall(form)
                if len(words) > 1:
                    ids = surnames.setdefault(fold(words[-1]), [])
                    if entity.id not in ids:
                        ids.append(entity.id)
    # Excluded phrases go in last, so an entity named like one ("France 24") is still found.
    for entity in kb.entities.values():
        for form in entity.exclude:
            _insert(names, form, Target(None, "name", None))
    cues: dict[str, Any] = {}
    for theme in kb.themes.values():
        for term, weight in theme.cues:
            _insert(cues, term, (theme.id, weight, term))
    return Matcher(names, {k: tuple(v) for k, v in surnames.items()}, cues, dict(kb.entities))


def _exact(form: str) -> tuple[str, ...] | None:
    """Acronyms and forms like 'FAMa' only match as written."""
    words = WORD.findall(strip_accents(form))
    if len(words) == 1 and any(c.isupper() for c in words[0][1:]):
        return tuple(words)
    if all(len(w) == 1 and w.isupper() for w in words):  # U.S., U.N.
        return tuple(words)
    return None


def _insert(trie: dict[str, Any], form: str, target: Any) -> None:
    words = [fold(w) for w in WORD.findall(form)]
    if not words:
        return
    node = trie
    if form.endswith("*"):
        for word in words[:-1]:
            node = node.setdefault(word, {})
        prefixes = node.setdefault(PREFIX, Prefixes(set(), {}, {}))
        prefixes.lengths.add(len(words[-1]))
        order = sum(len(t) for t in prefixes.targets.values())
        prefixes.targets.setdefault(words[-1], []).append((order, target))
        return
    for word in words:
        node = node.setdefault(word, {})
    node.setdefault(END, []).append(target)


def words_of(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), *_key_and_plain(m.group())) for m in WORD.finditer(text)]


_KEYS: dict[str, tuple[str, str]] = {}  # a newsroom's vocabulary is small: fold each word once


def _key_and_plain(raw: str) -> tuple[str, str]:
    found = _KEYS.get(raw)
    if found is None:
        plain = raw if raw.isascii() else strip_accents(raw)
        found = _KEYS[raw] = (plain.lower() if raw.isascii() else fold(raw), plain)
    return found


def joined(text: str, left: Word, right: Word) -> bool:
    """Whether two words are close enough to belong to one name."""
    gap = text[left.end : right.start]
    if not gap or len(gap) > 3 or any(c not in " -'’.\u00a0\u2011" for c in gap):
        return False
    return not ("." in gap and " " in gap)


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : m.start() + 1]):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in ((s, len(text[:e].rstrip())) for s, e in spans) if e > s]


def extract(article: Article, matcher: Matcher) -> Extraction:
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    covered: list[tuple[list[Word], set[int]]] = []
    sentence_words: list[tuple[str, list[Word]]] = []
    seen_people: set[str] = set()
    for block in article.blocks:
        spans = split_sentences(block.text)
        first = len(sentences)
        sentences += [Sentence(block.index, s, e, block.text[s:e]) for s, e in spans]
        starts = [s for s, _ in spans]
        words = words_of(block.text)
        sentence_words += _words_by_sentence(block.text, words, spans)
        used: set[int] = set()
        for i, j, entity, how in find_names(block.text, words, matcher, seen_people):
            used.update(range(i, j + 1))
            sentence = first + max(0, bisect.bisect_right(starts, words[i].start) - 1)
            start, end = words[i].start, words[j].end
            mentions.append(Mention(entity, block.text[start:end], how, block.index, start, end, sentence))
            if matcher.entities[entity].type == "person":
                seen_people.add(entity)
        covered.append((words, used))
    return Extraction(
        article=article.slug,
        sentences=tuple(sentences),
        mentions=tuple(mentions),
        themes=score_themes(sentence_words, matcher),
        statements=find_statements(sentences, mentions, matcher),
        candidates=find_candidates(article, sentences, covered, matcher),
    )


def find_names(text: str, words: list[Word], matcher: Matcher, seen_people: set[str]) -> Iterator[tuple[int, int, str, str]]:
    """(first word, last word, entity id, how) of each name in ``text``, longest first."""
    i = 0
    while i < len(words):
        found = _longest(text, words, i, matcher.names)
        if found:
            j, target = found
            if target.entity:
                yield i, j, target.entity, target.how
            i = j + 1
            continue
        person = _surname(text, words, i, matcher, seen_people)
        if person:
            yield i, i, person, "surname"
        i += 1


def _longest(text: str, words: list[Word], i: int, trie: dict[str, Any]) -> tuple[int, Target] | None:
    ends: list[tuple[int, list[Target]]] = []
    node = trie.get(words[i].key)
    j = i
    while node:
        if END in node:
            ends.append((j, node[END]))
        if j + 1 >= len(words) or not joined(text, words[j], words[j + 1]):
            break
        j += 1
        node = node.get(words[j].key)
    for j, targets in reversed(ends):
        for target in targets:
            if _case_fits(words[i : j + 1], target):
                return j, target
    return None


def _case_fits(words: list[Word], target: Target) -> bool:
    if target.exact is not None:
        return tuple(w.text for w in words) == target.exact
    return any(w.text[:1].isupper() for w in words)  # "al-Qaeda in the Islamic Maghreb" too


def _surname(text: str, words: list[Word], i: int, matcher: Matcher, seen: set[str]) -> str | None:
    """A surname alone names a person already named in full, or one given a title."""
    word = words[i]
    ids = matcher.surnames.get(word.key)
    if not ids or not word.text[:1].isupper():
        return None
    before = words[i - 1] if i and joined(text, words[i - 1], word) else None
    after = words[i + 1] if i + 1 < len(words) and joined(text, word, words[i + 1]) else None
    titled = before is not None and before.key in TITLES
    if (before and not titled and before.text[:1].isupper()) or (after and after.text[:1].isupper()):
        return None  # part of another name
    known = [p for p in ids if p in seen]
    if len(known) == 1:
        return known[0]
    return ids[0] if titled and len(ids) == 1 else None


def _words_by_sentence(text: str, words: list[Word], spans: list[tuple[int, int]]) -> list[tuple[str, list[Word]]]:
    """The block's words cut at sentence bounds, which always fall between words."""
    starts = [w.start for w in words]
    return [(text, words[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]) for s, e in spans]


def score_themes(sentences: list[tuple[str, list[Word]]], matcher: Matcher) -> tuple[ThemeScore, ...]:
    """A theme needs two sentences that carry it, or one decisive and a second clear cue.

    ``sentences`` holds each sentence's words with the block text their offsets point into.
    """
    per_theme: dict[str, list[tuple[int, int]]] = {}
    prefixes = matcher.cues.get(PREFIX)
    for index, (text, words) in enumerate(sentences):
        found: dict[str, dict[str, int]] = {}
        for i, word in enumerate(words):
            if word.key not in matcher.cues and not (prefixes and prefixes.match(word.key)):
                continue  # most words start no cue: skip the walk
            for theme, weight, term in _cue_matches(text, words, i, matcher.cues):
                found.setdefault(theme, {})[term] = weight
        for theme, terms in found.items():
            per_theme.setdefault(theme, []).append((sum(terms.values()), index))
    scores = []
    for theme, carried in per_theme.items():
        strong = [(w, i) for w, i in carried if w >= 2]
        total = sum(w for w, _ in carried)
        if len(strong) >= 2 and total >= 5:
            ranked = sorted(strong, key=lambda t: (-t[0], t[1]))
            scores.append(ThemeScore(theme, float(total), tuple(i for _, i in ranked)))
    return tuple(sorted(scores, key=lambda t: (-t.score, t.theme)))


def _cue_matches(text: str, words: list[Word], i: int, trie: dict[str, Any]) -> Iterator[tuple[str, int, str]]:
    node: dict[str, Any] | None = trie
    j = i
    while node is not None and j < len(words):
        if j > i and not joined(text, words[j - 1], words[j]):
            return
        prefixes = node.get(PREFIX)
        if prefixes:
            yield from prefixes.match(words[j].key)
        node = node.get(words[j].key)
        if node and END in node:
            yield from node[END]
        j += 1


def find_statements(sentences: list[Sentence], mentions: list[Mention], matcher: Matcher) -> tuple[Statement, ...]:
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    found = []
    for index, sentence in enumerate(sentences):
        statement = _statement(sentence, index, by_sentence.get(index, []), matcher)
        if statement:
            found.append(statement)
    return tuple(found)


def _statement(sentence: Sentence, index: int, mentions: list[Mention], matcher: Matcher) -> Statement | None:
    text = sentence.text
    verb = REPORTING.search(text)
    according = re.search(r"\baccording to ([^,.;]{3,80})", text)
    if according:
        speaker, verb_text, span = according.group(1), "according to", according.span(1)
    elif verb and not _PASSIVE.match(text, verb.end()):
        lead = _LEAD.match(text)
        offset = lead.end() if lead else 0
        speaker = _AUX.sub("", text[offset : verb.start()].strip(" ,"))
        verb_text, span = verb.group(1), (offset, offset + len(speaker))
    else:
        return None
    speaker = speaker.strip(" ,;:")
    words = speaker.split()
    if not words or len(words) > 12 or words[0].lower().strip(",") in PRONOUNS or not speaker[:1].isupper():
        return None
    entity = next((m.entity for m in mentions
                   if span[0] <= m.start - sentence.start < span[1]
                   and matcher.entities[m.entity].kind == "actor"), None)
    return Statement(speaker=speaker, verb=verb_text, entity=entity, sentence=index)


def find_candidates(article: Article, sentences: list[Sentence], covered: list[tuple[list[Word], set[int]]],
                    matcher: Matcher) -> tuple[Candidate, ...]:
    """Capitalised names the knowledge base does not know, guessed person, organisation or group."""
    found: dict[str, Candidate] = {}
    lower_words = {w.key for words, _ in covered for w in words if w.text[:1].islower()}
    sentence_index = 0
    for block, (words, used) in zip(article.blocks, covered):
        starts = {s.start for s in sentences if s.block == block.index}
        for run in _name_runs(block.text, words, used, starts, lower_words):
            kind = _guess_type([words[k] for k in run], words[run[0] - 1] if run[0] else None)
            if kind == "person" and len(run) > 1 and words[run[0]].key in TITLES:
                run = run[1:]
            name = block.text[words[run[0]].start : words[run[-1]].end]
            if kind and fold(name) not in found:
                while sentence_index + 1 < len(sentences) and (
                    sentences[sentence_index].block < block.index
                    or sentences[sentence_index].end <= words[run[0]].start
                    and sentences[sentence_index + 1].block == block.index
                ):
                    sentence_index += 1
                found[fold(name)] = Candidate(name, kind, sentence_index)
    return tuple(found.values())


def _name_runs(text: str, words: list[Word], used: set[int], starts: set[int], lower: set[str]) -> Iterator[list[int]]:
    run: list[int] = []
    for k, word in enumerate(words):
        capital = word.text[:1].isupper() and k not in used
        connector = bool(run) and word.key in CONNECTORS and word.text[:1].islower()
        if (capital or connector) and (not run or joined(text, words[run[-1]], word)):
            run.append(k)
            continue
        yield from _trim(run, words, starts, lower)
        run = [k] if capital else []
    yield from _trim(run, words, starts, lower)


def _trim(run: list[int], words: list[Word], starts: set[int], lower: set[str]) -> Iterator[list[int]]:
    while run and (words[run[-1]].key in CONNECTORS):
        run = run[:-1]
    while run and (words[run[0]].key in CONNECTORS or words[run[0]].key in SENTENCE_WORDS
                   or (words[run[0]].start in starts and words[run[0]].key in lower)):
        run = run[1:]
    if run and not all(words[k].key in STOP_NAMES for k in run):
        yield run


def _guess_type(words: list[Word], before: Word | None) -> str | None:
    keys = [w.key for w in words]
    if keys[-1] in NOT_ACTORS or any(k in STOP_NAMES for k in keys[:1]):
        return None
    if any(k in GROUP_WORDS for k in keys):
        return "group"
    if any(k in ORG_WORDS for k in keys):
        return "organization"
    if len(words) == 1:
        acronym = len(words[0].text) >= 3 and words[0].text.isupper()
        titled = before is not None and before.key in TITLES
        return "organization" if acronym else ("person" if titled else None)
    if keys[0] in TITLES:
        return "person"
    if 2 <= len(words) <= 4 and all(w.text[:1].isupper() or w.key in CONNECTORS for w in words):
        return "person"
    return None
