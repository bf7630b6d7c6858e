from sahel_site.knowledge import parse_knowledge

STATES = """\
- id: mali
  name: Mali
  demonyms: [Malian]
  capital: Bamako
  iso2: ML
  relations:
    - {type: member_of, target: aes, since: 2023-09-16}
- id: niger
  name: Niger
  iso2: NE
"""
ACTORS = """\
- id: aes
  name: Alliance of Sahel States
  type: organization
  aliases: [AES]
"""
THEMES = """\
- id: arms_transfers
  name: Arms transfers
  cues: {drones: 3, arms: 2}
"""


def parse(states=STATES, actors=ACTORS, themes=THEMES):
    return parse_knowledge({"k/states.yml": states, "k/actors.yml": actors, "k/themes.yml": themes})


def test_good_knowledge_base():
    kb, problems = parse()
    assert problems == ()
    assert list(kb.entities) == ["aes", "mali", "niger"]
    mali = kb.entities["mali"]
    assert (mali.kind, mali.type, mali.capital, mali.iso2) == ("state", "state", "Bamako", "ML")
    assert mali.relations[0].target == "aes" and str(mali.relations[0].since) == "2023-09-16"
    assert kb.themes["arms_transfers"].cues == (("arms", 2), ("drones", 3))


def test_entry_without_name_unknown_target_and_duplicate_id():
    states = STATES + "- id: chad\n  iso2: TD\n- id: mali\n  name: Mali again\n  iso2: MX\n"
    actors = ACTORS + "  relations: [{type: member_of, target: nowhere}]\n"
    _, problems = parse(states, actors)
    assert sorted(str(p) for p in problems) == [
        "k/actors.yml:1: 'aes' refers to unknown id 'nowhere'",
        "k/states.yml:11: entry 'chad' has no name",
        "k/states.yml:13: id 'mali' is already used at k/states.yml:1",
    ]


def test_ambiguous_alias_is_reported_with_both_places():
    actors = ACTORS + "- id: other\n  name: Other\n  type: group\n  aliases: [Malian]\n"
    _, problems = parse(actors=actors)
    assert [str(p) for p in problems] == [
        "k/actors.yml:5: 'Malian' names both 'other' and 'mali' (k/states.yml:1); keep it on one of them"]


def test_bad_types_and_yaml():
    _, problems = parse(actors="- id: x\n  name: X\n  type: militia\n", themes="- id: t\n  name: T\n  cues: {a: 9}\n")
    assert sorted(str(p) for p in problems) == [
        "k/actors.yml:3: 'type' must be one of person, organization, group, not 'militia'",
        "k/states.yml:1: 'mali' refers to unknown id 'aes'",
        "k/themes.yml:3: 'cues' must map terms to weights 1, 2 or 3",
    ]
    _, problems = parse(states="- id: [\n")
    assert problems[0].path == "k/states.yml" and "invalid YAML" in problems[0].message
