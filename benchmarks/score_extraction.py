"""Score `sahel-site extract --json` output against a gold annotation file.

    python benchmarks/score_extraction.py tests/extraction/dev_gold.yaml extract.json
    python benchmarks/score_extraction.py tests/extraction/dev_gold.yaml --run [--json]

The gold file holds `documents:`, keyed by article file name, each with
`actors` ({name, type, aliases}), `states` ({name, iso2, aliases}) and
`themes` (taxonomy labels), as in the seed annotation. Extracted documents are
paired with gold documents by file name.

Matching, per document:
- a state matches a gold state with the same ISO 3166-1 alpha-2 code;
- an actor matches a gold actor when its name or one of its aliases equals the
  gold name or one of the gold aliases, after normalisation (case folded,
  accents stripped, punctuation and spacing squashed to single spaces);
- a theme matches a gold theme with the same id;
- each gold item and each extracted item is matched at most once (a maximum
  matching, so the order of the lists does not matter).

`actors` is scored as printed: it already holds the unknown names sure enough
to be actors (`"known": false`). `--all-candidates` also counts every other
candidate as an actor, to measure what listing all of them would give.

The report also scores each theme label on its own (`themes`), with the
documents where it was a false positive or a false negative.

Precision, recall and F1 are micro-averaged: true positives, false positives
and false negatives are summed over documents before dividing. A ratio whose
denominator is zero counts as 1.0 (nothing was predicted, or nothing was to be
found), so an empty gold list matched by an empty extraction scores 1.0.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

CATEGORIES = ("actors", "states", "themes")
NON_WORD = re.compile(r"[\W_]+")
DEFAULT_ARTICLES = Path("tests/extraction/dev")


def normalise(text: str) -> str:
    """'Goïta’s  Côte-d'Ivoire' -> 'goita s cote d ivoire'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return NON_WORD.sub(" ", bare.casefold()).strip()


def actor_keys(actor: dict[str, Any]) -> frozenset[str]:
    names = [actor.get("name") or "", *(actor.get("aliases") or [])]
    return frozenset(k for k in (normalise(str(n)) for n in names) if k)


def state_keys(state: dict[str, Any]) -> frozenset[str]:
    code = str(state.get("iso2") or "").strip().upper()
    return frozenset([code]) if code else frozenset()


def theme_id(theme: str | dict[str, Any]) -> str:
    return theme if isinstance(theme, str) else str(theme.get("id") or theme.get("label") or "")


def theme_keys(theme: str | dict[str, Any]) -> frozenset[str]:
    return frozenset([theme_id(theme)])


def actor_label(actor: dict[str, Any]) -> str:
    return str(actor.get("name", ""))


def state_label(state: dict[str, Any]) -> str:
    return f"{state.get('name', '')} ({state.get('iso2', '?')})"


KEYS: dict[str, Callable[[Any], frozenset[str]]] = {
    "actors": actor_keys,
    "states": state_keys,
    "themes": theme_keys,
}
LABELS: dict[str, Callable[[Any], str]] = {
    "actors": actor_label,
    "states": state_label,
    "themes": theme_id,
}


def max_matching(gold: Sequence[frozenset[str]], found: Sequence[frozenset[str]]) -> dict[int, int]:
    """Largest pairing found index -> gold index where the key sets overlap (augmenting paths)."""
    gold_of: dict[int, int] = {}
    found_of: dict[int, int] = {}

    def augment(f: int, seen: set[int]) -> bool:
        for g, keys in enumerate(gold):
            if g in seen or not keys & found[f]:
                continue
            seen.add(g)
            if g not in found_of or augment(found_of[g], seen):
                gold_of[f] = g
                found_of[g] = f
                return True
        return False

    for f in range(len(found)):
        augment(f, set())
    return gold_of


def ratios(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def score_category(category: str, gold: list[Any], found: list[Any]) -> dict[str, Any]:
    keys, label = KEYS[category], LABELS[category]
    pairs = max_matching([keys(g) for g in gold], [keys(f) for f in found])
    matched_gold = set(pairs.values())
    false_positives = [label(f) for i, f in enumerate(found) if i not in pairs]
    false_negatives = [label(g) for i, g in enumerate(gold) if i not in matched_gold]
    tp = len(pairs)
    true_positives = [label(f) for i, f in enumerate(found) if i in pairs]
    return {
        "tp": tp,
        "fp": len(false_positives),
        "fn": len(false_negatives),
        **ratios(tp, len(false_positives), len(false_negatives)),
        "false_positives": false_positives,
        "false_negatives": false_negatives,
        "true_positives": true_positives,
    }


def document_name(path: str) -> str:
    return Path(path).name


def found_items(doc: dict[str, Any], category: str, candidates: bool) -> list[Any]:
    items = list(doc.get(category) or [])
    if category == "actors" and candidates:
        items += [c for c in doc.get("candidates") or [] if not c.get("actor")]
    return items


def score(
    gold: dict[str, Any], extracted: dict[str, Any], candidates: bool = False
) -> dict[str, Any]:
    """Scores of an extraction against gold; both as loaded from YAML / JSON.

    With ``candidates``, the candidates not listed among the actors count as actors too.

    Returns {"categories": {cat: {tp, fp, fn, precision, recall, f1}},
    "documents": {name: {cat: {tp, fp, fn, precision, recall, f1,
    false_positives, false_negatives}}}, "unscored": [extracted documents
    without gold]}.
    """
    gold_docs: dict[str, dict[str, Any]] = gold.get("documents") or {}
    found_docs = {document_name(d["path"]): d for d in extracted.get("documents") or []}
    documents = {
        name: {
            cat: score_category(
                cat, doc.get(cat) or [], found_items(found_docs.get(name, {}), cat, candidates)
            )
            for cat in CATEGORIES
        }
        for name, doc in gold_docs.items()
    }
    return {
        "categories": {cat: totals(d[cat] for d in documents.values()) for cat in CATEGORIES},
        "themes": per_theme(documents),
        "documents": documents,
        "unscored": sorted(set(found_docs) - set(gold_docs)),
    }


def per_theme(documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Precision, recall and F1 of each theme label over all documents, and where it went wrong."""
    counts: dict[str, dict[str, Any]] = {}
    for name, doc in documents.items():
        themes = doc["themes"]
        for kind, key in (("fp", "false_positives"), ("fn", "false_negatives"), ("tp", "true_positives")):
            for label in themes[key]:
                entry = counts.setdefault(label, {"tp": 0, "fp": 0, "fn": 0, "fp_in": [], "fn_in": []})
                entry[kind] += 1
                if kind != "tp":
                    entry[f"{kind}_in"].append(name)
    return {label: {**c, **ratios(c["tp"], c["fp"], c["fn"])} for label, c in sorted(counts.items())}


def totals(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    tp = fp = fn = 0
    for part in parts:
        tp, fp, fn = tp + part["tp"], fp + part["fp"], fn + part["fn"]
    return {"tp": tp, "fp": fp, "fn": fn, **ratios(tp, fp, fn)}


def format_report(result: dict[str, Any]) -> str:
    lines = [f"{'category':<10} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}"]
    for cat, s in result["categories"].items():
        lines.append(
            f"{cat:<10} {s['tp']:>5} {s['fp']:>5} {s['fn']:>5} "
            f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}"
        )
    labels = result["themes"]
    width = max([len(t) for t in labels] + [10])
    lines += ["", f"{'theme':<{width}} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}"]
    for label, s in labels.items():
        lines.append(
            f"{label:<{width}} {s['tp']:>5} {s['fp']:>5} {s['fn']:>5} "
            f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}"
        )
    width = max([len(n) for n in result["documents"]] + [8])
    lines += [
        "",
        f"{'document':<{width}}  " + "  ".join(f"{c + ' P/R/F1':<20}" for c in CATEGORIES),
    ]
    for name, doc in result["documents"].items():
        cells = [
            f"{doc[c]['precision']:.2f}/{doc[c]['recall']:.2f}/{doc[c]['f1']:.2f}"
            for c in CATEGORIES
        ]
        lines.append(f"{name:<{width}}  " + "  ".join(f"{c:<20}" for c in cells))
    for name, doc in result["documents"].items():
        errors = [
            f"  {cat} {kind}: " + "; ".join(doc[cat][key])
            for cat in CATEGORIES
            for kind, key in (("FP", "false_positives"), ("FN", "false_negatives"))
            if doc[cat][key]
        ]
        if errors:
            lines += ["", name, *errors]
    if result["unscored"]:
        lines += ["", "extracted without gold (not scored): " + ", ".join(result["unscored"])]
    return "\n".join(lines)


def run_extract(articles: Path) -> dict[str, Any]:
    paths = sorted(str(p) for p in articles.glob("*.md"))
    if not paths:
        raise SystemExit(f"no articles in {articles}")
    command = shutil.which("sahel-site")
    base = [command] if command else [sys.executable, "-m", "sahel_site"]
    done = subprocess.run(
        [*base, "extract", *paths, "--json"], check=False, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"sahel-site extract failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Score sahel-site extraction against gold annotations."
    )
    parser.add_argument("gold", type=Path, help="gold YAML file (documents: ...)")
    parser.add_argument(
        "extracted", type=Path, nargs="?", help="JSON printed by sahel-site extract --json"
    )
    parser.add_argument("--run", action="store_true", help="run sahel-site extract on --articles")
    parser.add_argument(
        "--articles",
        type=Path,
        default=DEFAULT_ARTICLES,
        help=f"articles for --run (default {DEFAULT_ARTICLES})",
    )
    parser.add_argument(
        "--all-candidates",
        dest="candidates",
        action="store_true",
        help="count the candidates not listed among the actors as actors too",
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    if args.run == (args.extracted is not None):
        parser.error("give either an extraction JSON file or --run")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    gold = yaml.safe_load(args.gold.read_text(encoding="utf-8"))
    extracted = (
        run_extract(args.articles)
        if args.run
        else json.loads(args.extracted.read_text(encoding="utf-8"))
    )
    result = score(gold, extracted, args.candidates)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
