"""Text folding shared by the knowledge checks and the extractor."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W_]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a word: 'Goïta' -> 'goita'."""
    return strip_accents(text).casefold()


def fold_phrase(text: str) -> str:
    """The words of ``text`` folded and joined by one space: "Côte d’Ivoire" -> 'cote d ivoire'."""
    return " ".join(fold(w) for w in WORD.findall(text))
