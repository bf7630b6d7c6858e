import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from score_extraction import main, normalise, score

GOLD = {
    "documents": {
        "a.md": {
            "actors": [
                {"name": "Assimi Goïta", "type": "person", "aliases": ["Assimi Goïta", "Goïta"]},
                {"name": "ECOWAS", "type": "organization", "aliases": ["ECOWAS", "CEDEAO"]},
            ],
            "states": [
                {"name": "Mali", "iso2": "ML", "aliases": ["Mali", "Bamako"]},
                {"name": "Russia", "iso2": "RU", "aliases": ["Russian"]},
            ],
            "themes": ["coups_and_military_rule"],
        },
        "b.md": {
            "actors": [{"name": "Wagner Group", "type": "group", "aliases": ["Wagner"]}],
            "states": [{"name": "Niger", "iso2": "NE", "aliases": ["Niger"]}],
            "themes": ["mercenaries_and_private_military", "defense_cooperation"],
        },
    }
}


def actor(name: str, *aliases: str, type_: str = "organization") -> dict:
    return {
        "id": normalise(name).replace(" ", "-"),
        "name": name,
        "type": type_,
        "aliases": list(aliases),
    }


def state(name: str, iso2: str) -> dict:
    return {"id": name.lower(), "name": name, "iso2": iso2}


def theme(theme_id: str) -> dict:
    return {"id": theme_id, "name": theme_id, "score": 1.0}


def perfect() -> dict:
    return {
        "documents": [
            {
                "path": "tests/extraction/dev/a.md",
                "actors": [
                    actor("Assimi Goïta", "Goïta", type_="person"),
                    actor("ECOWAS", "ECOWAS"),
                ],
                "states": [state("Mali", "ML"), state("Russia", "RU")],
                "themes": [theme("coups_and_military_rule")],
                "candidates": [],
            },
            {
                "path": "dev/b.md",
                "actors": [actor("Wagner Group", "Wagner", type_="group")],
                "states": [state("Niger", "NE")],
                "themes": [theme("defense_cooperation"), theme("mercenaries_and_private_military")],
                "candidates": [],
            },
        ]
    }


def test_perfect_match_scores_one_everywhere() -> None:
    result = score(GOLD, perfect())
    for category in ("actors", "states", "themes"):
        s = result["categories"][category]
        assert (s["precision"], s["recall"], s["f1"]) == (1.0, 1.0, 1.0)
        assert s["fp"] == s["fn"] == 0
    assert result["documents"]["b.md"]["themes"]["tp"] == 2
    assert result["unscored"] == []


def test_one_missing_and_one_extra_give_exact_numbers() -> None:
    extracted = perfect()
    doc_a = extracted["documents"][0]
    doc_a["actors"] = [doc_a["actors"][0], actor("Wagner Group", "Wagner", type_="group")]
    result = score(GOLD, extracted)
    actors = result["categories"]["actors"]
    assert (actors["tp"], actors["fp"], actors["fn"]) == (2, 1, 1)
    assert actors["precision"] == pytest.approx(2 / 3)
    assert actors["recall"] == pytest.approx(2 / 3)
    assert actors["f1"] == pytest.approx(2 / 3)
    doc = result["documents"]["a.md"]["actors"]
    assert doc["false_positives"] == ["Wagner Group"]
    assert doc["false_negatives"] == ["ECOWAS"]
    assert doc["precision"] == doc["recall"] == 0.5
    assert result["categories"]["states"]["f1"] == 1.0


def test_state_matches_by_iso2_only() -> None:
    extracted = perfect()
    extracted["documents"][1]["states"] = [state("Nigeria", "NG")]
    result = score(GOLD, extracted)
    doc = result["documents"]["b.md"]["states"]
    assert doc["false_positives"] == ["Nigeria (NG)"]
    assert doc["false_negatives"] == ["Niger (NE)"]
    assert result["categories"]["states"]["recall"] == pytest.approx(2 / 3)


def test_actor_alias_matching_ignores_case_accents_and_punctuation() -> None:
    gold = {
        "documents": {
            "c.md": {
                "actors": [
                    {"name": "Assimi Goïta", "type": "person", "aliases": ["Colonel Assimi Goita"]},
                    {
                        "name": "Côte d'Ivoire Armed Forces",
                        "type": "organization",
                        "aliases": ["FACI"],
                    },
                    {"name": "Abdourahamane Tiani", "type": "person", "aliases": ["Tchiani"]},
                ]
            }
        }
    }
    extracted = {
        "documents": [
            {
                "path": "c.md",
                "actors": [
                    actor("ASSIMI GOITA", type_="person"),
                    actor("Cote d’Ivoire  armed-forces"),
                    actor("General Tiani", "TCHIANI", type_="person"),
                ],
                "states": [],
                "themes": [],
            }
        ]
    }
    result = score(gold, extracted)
    assert result["categories"]["actors"]["f1"] == 1.0


def test_each_gold_item_matches_at_most_once() -> None:
    gold = {
        "documents": {
            "d.md": {
                "actors": [
                    {
                        "name": "Islamic State Sahel Province",
                        "type": "group",
                        "aliases": ["IS Sahel"],
                    },
                    {
                        "name": "Islamic State West Africa Province",
                        "type": "group",
                        "aliases": ["ISWAP"],
                    },
                ]
            }
        }
    }
    extracted = {
        "documents": [
            {
                "path": "d.md",
                "actors": [
                    actor("IS Sahel", type_="group"),
                    actor("Islamic State Sahel Province", "IS Sahel", "ISWAP", type_="group"),
                ],
                "states": [],
                "themes": [],
            }
        ]
    }
    doc = score(gold, extracted)["documents"]["d.md"]["actors"]
    assert (doc["tp"], doc["fp"], doc["fn"]) == (2, 0, 0)
    extracted["documents"][0]["actors"].append(actor("IS Sahel", type_="group"))
    doc = score(gold, extracted)["documents"]["d.md"]["actors"]
    assert (doc["tp"], doc["fp"], doc["fn"]) == (2, 1, 0)


def test_candidates_count_as_actors_only_when_asked() -> None:
    extracted = perfect()
    doc_a = extracted["documents"][0]
    doc_a["actors"] = doc_a["actors"][:1]
    doc_a["candidates"] = [
        {"name": "Cedeao", "type": "organization", "actor": False, "sentence": "..."},
        {"name": "Prime Minister", "type": "person", "actor": False, "sentence": "..."},
    ]
    actors = score(GOLD, extracted)["documents"]["a.md"]["actors"]
    assert (actors["tp"], actors["fp"], actors["fn"]) == (1, 0, 1)
    actors = score(GOLD, extracted, candidates=True)["documents"]["a.md"]["actors"]
    assert (actors["tp"], actors["fp"], actors["fn"]) == (2, 1, 0)
    assert actors["false_positives"] == ["Prime Minister"]


def test_missing_document_counts_every_gold_item_as_missed() -> None:
    extracted = perfect()
    extracted["documents"][1]["path"] = "other.md"
    result = score(GOLD, extracted)
    assert result["documents"]["b.md"]["themes"]["fn"] == 2
    assert result["unscored"] == ["other.md"]


def test_empty_gold_and_empty_extraction_score_one() -> None:
    gold = {"documents": {"e.md": {"actors": [], "states": [], "themes": []}}}
    extracted = {"documents": [{"path": "e.md", "actors": [], "states": [], "themes": []}]}
    assert score(gold, extracted)["categories"]["themes"]["f1"] == 1.0


def test_command_line_prints_table_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    gold_file = tmp_path / "gold.yaml"
    gold_file.write_text(yaml.safe_dump(GOLD, allow_unicode=True), encoding="utf-8")
    found_file = tmp_path / "extract.json"
    found_file.write_text(json.dumps(perfect()), encoding="utf-8")
    assert main([str(gold_file), str(found_file)]) == 0
    table = capsys.readouterr().out
    assert "actors" in table and "1.000" in table
    assert main([str(gold_file), str(found_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["categories"]["states"]["tp"] == 3
