"""Text folding shared by the knowledge checks and the extractor."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W_]+")


def strip_accents(text: str) -> str:
    if text.isascii():  # most text: nothing to strip, and the loop below costs per character
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a word: 'Goïta' -> 'goita'."""
    return text.lower() if text.isascii() else strip_accents(text).casefold()  # the same on ASCII, and cheaper


def fold_phrase(text: str) -> str:
    """The words of ``text`` folded and joined by one space: "Côte d’Ivoire" -> 'cote d ivoire'."""
    return " ".join(fold(w) for w in WORD.findall(text))
