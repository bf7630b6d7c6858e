"""The extraction development set is consistent: every article parses and has
gold, every gold alias is written in its article, every theme is in the
taxonomy."""

import re
from pathlib import Path

import pytest
import yaml

from sahel_site.content import parse_article

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "extraction" / "dev"
GOLD = yaml.safe_load((ROOT / "tests" / "extraction" / "dev_gold.yaml").read_text(encoding="utf-8"))
TAXONOMY = {
    t["id"]
    for t in yaml.safe_load(
        (ROOT / "content" / "knowledge" / "themes.yml").read_text(encoding="utf-8")
    )
}
ARTICLES = sorted(DEV.glob("*.md"))


def test_every_article_has_gold_and_every_gold_an_article() -> None:
    assert {p.name for p in ARTICLES} == set(GOLD["documents"])


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_article_parses_and_gold_aliases_occur_in_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    article, problems = parse_article(text, str(path), path.stem)
    assert article is not None, problems
    body = text.split("\n---\n", 1)[1]
    gold = GOLD["documents"][path.name]
    for item in gold["actors"] + gold["states"]:
        assert item["aliases"], item
        for alias in item["aliases"]:
            assert re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", body), (item["name"], alias)
    assert set(gold["themes"]) <= TAXONOMY
    assert {a["type"] for a in gold["actors"]} <= {"person", "organization", "group"}
    assert all(re.fullmatch(r"[A-Z]{2}", s["iso2"]) for s in gold["states"])
