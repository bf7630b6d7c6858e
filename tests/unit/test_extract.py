import pytest

from sahel_site.content import parse_article
from sahel_site.extract import compile_matcher, extract, split_sentences
from sahel_site.knowledge import parse_knowledge

STATES = """\
- {id: niger, name: Niger, demonyms: [Nigerien], capital: Niamey, iso2: NE, exclude: [Niger River, Niger Delta]}
- {id: nigeria, name: Nigeria, demonyms: [Nigerian], capital: Abuja, iso2: NG}
- {id: guinea, name: Guinea, capital: Conakry, iso2: GN, exclude: [Gulf of Guinea]}
- {id: guinea-bissau, name: Guinea-Bissau, iso2: GW}
- {id: russia, name: Russia, demonyms: [Russian], capital: Moscow, metonyms: [Kremlin], iso2: RU}
- {id: united-states, name: United States, aliases: [US], capital: Washington, iso2: US, exclude: [Washington Post]}
- {id: cote-d-ivoire, name: Côte d'Ivoire, aliases: [Ivory Coast], iso2: CI}
- {id: mali, name: Mali, iso2: ML}
- {id: france, name: France, demonyms: [French], iso2: FR, exclude: [France 24, Radio France]}
"""
ACTORS = """\
- {id: assimi-goita, name: Assimi Goïta, type: person}
- {id: ibrahim-traore, name: Ibrahim Traoré, type: person}
- {id: abdourahamane-tiani, name: Abdourahamane Tiani, aliases: [Abdourahamane Tchiani], type: person}
- {id: aes, name: Alliance of Sahel States, aliases: [AES], type: organization}
- {id: un, name: United Nations, aliases: [UN], type: organization}
- {id: fama, name: Malian Armed Forces, aliases: [FAMa], type: organization}
- {id: france-24, name: France 24, type: organization}
- {id: aqim, name: al-Qaeda in the Islamic Maghreb, aliases: [AQIM], type: group}
"""
THEMES = """\
- id: arms_transfers
  name: Arms transfers
  cues: {drones: 3, armo*: 2, weapons: 2, arms: 2}
"""


@pytest.fixture(scope="module")
def matcher():
    kb, problems = parse_knowledge({"states.yml": STATES, "actors.yml": ACTORS, "themes.yml": THEMES})
    assert problems == ()
    return compile_matcher(kb)


def run(text, matcher):
    article, problems = parse_article(f"---\ntitle: T\ndate: 2026-01-01\n---\n{text}\n", "a.md", "a")
    assert not problems
    return extract(article, matcher)


def found(text, matcher):
    return [(m.entity, m.surface, m.how) for m in run(text, matcher).mentions]


@pytest.mark.parametrize("text, expected", [
    ("Niger and Nigeria", [("niger", "Niger", "name"), ("nigeria", "Nigeria", "name")]),
    ("boats on the Niger River", []),
    ("the Niger Delta in Nigeria", [("nigeria", "Nigeria", "name")]),
    ("Nigerien and Nigerian troops", [("niger", "Nigerien", "demonym"), ("nigeria", "Nigerian", "demonym")]),
    ("Guinea, Guinea-Bissau and the Gulf of Guinea",
     [("guinea", "Guinea", "name"), ("guinea-bissau", "Guinea-Bissau", "name")]),
    ("the Washington Post reported", []),
    ("Moscow and the Kremlin", [("russia", "Moscow", "capital"), ("russia", "Kremlin", "metonym")]),
    ("Mali’s and Mali's army", [("mali", "Mali", "name"), ("mali", "Mali", "name")]),
    ("the AES-Russia pact", [("aes", "AES", "alias"), ("russia", "Russia", "name")]),
    ("Russians arrived", [("russia", "Russians", "demonym")]),
    ("Colonel Assimi Goita spoke", [("assimi-goita", "Assimi Goita", "name")]),
    ("IVORY COAST and Cote d'Ivoire", [("cote-d-ivoire", "IVORY COAST", "alias"), ("cote-d-ivoire", "Cote d'Ivoire", "name")]),
    ("UN forces, not un jour", [("un", "UN", "alias")]),
    ("the FAMa and the Fama river", [("fama", "FAMa", "alias")]),
    ("let us go to the US", [("united-states", "US", "alias")]),
    ("a mali of niger", []),
    ("al-Qaeda in the Islamic Maghreb (AQIM)", [("aqim", "al-Qaeda in the Islamic Maghreb", "name"), ("aqim", "AQIM", "alias")]),
    ("France 24 quoted Radio France in France", [("france-24", "France 24", "name"), ("france", "France", "name")]),
])
def test_names(text, expected, matcher):
    assert found(text, matcher) == expected


def test_surname_after_full_name_or_title(matcher):
    text = "Ibrahim Traoré met Abdourahamane Tchiani. Traoré spoke; General Tiani and Captain Traore listened."
    assert found(text, matcher) == [
        ("ibrahim-traore", "Ibrahim Traoré", "name"),
        ("abdourahamane-tiani", "Abdourahamane Tchiani", "alias"),
        ("ibrahim-traore", "Traoré", "surname"),
        ("abdourahamane-tiani", "Tiani", "surname"),
        ("ibrahim-traore", "Traore", "surname"),
    ]


def test_surname_alone_is_not_enough(matcher):
    assert found("Traoré spoke. Moussa Traoré, a farmer, did not.", matcher) == []


def test_mentions_keep_sentence_and_offsets(matcher):
    extraction = run("The Kremlin spoke. Then Niger answered.\n\nNew paragraph on Mali.", matcher)
    niger = extraction.mentions[1]
    sentence = extraction.sentences[niger.sentence]
    assert sentence.text == "Then Niger answered."
    assert (niger.block, niger.start, niger.end) == (1, 24, 29)
    assert extraction.mentions[2].block == 2


def test_sentences():
    text = "Gen. Tiani met Mr. Putin in the U.S. capital. He left. “Why?” asked one. Done"
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["Gen. Tiani met Mr. Putin in the U.S. capital.", "He left.", "“Why?” asked one.", "Done"]


def test_french_quotes_open_and_close_sentences():
    text = "Il a défendu la durée. « Nous ne pouvons pas voter. » Le texte passe. « Non », dit-il."
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["Il a défendu la durée.", "« Nous ne pouvons pas voter. »", "Le texte passe.", "« Non », dit-il."]


def test_themes_need_two_carrying_sentences(matcher):
    one = run("Drones arrived.", matcher)
    assert one.themes == ()
    two = run("Turkish drones arrived. Armoured vehicles and weapons followed. Nothing else.", matcher)
    assert [(t.theme, t.score, t.sentences) for t in two.themes] == [("arms_transfers", 7.0, (1, 0))]


def test_statements(matcher):
    extraction = run("Critics argue that the pact is risky. The AES has warned against it. He said no.", matcher)
    assert [(s.speaker, s.verb, s.entity) for s in extraction.statements] == [
        ("Critics", "argue", None), ("The AES", "warned", "aes")]


def test_candidates(matcher):
    text = ("The Ministry of Defence and Veterans Affairs said Radio Omega lied. "
            "General Moussa Diallo met Amadou Konaté in the Ménaka Region. The West Africa desk agreed.")
    extraction = run(text, matcher)
    assert [(c.name, c.type) for c in extraction.candidates] == [
        ("Ministry of Defence and Veterans Affairs", "organization"), ("Radio Omega", "organization"),
        ("Moussa Diallo", "person"), ("Amadou Konaté", "person")]


def test_statements_of_unnamed_voices_and_no_passive_speakers(matcher):
    text = ("Critics argue that the embrace of Russia may come at a steep cost. "
            "Human rights organizations have warned that operations could replicate abuses. "
            "Pro-government voices in Bamako, Ouagadougou, and Niamey argue that Western aid has done little. "
            "The visit, described as strategic by the media, was brief. "
            "Others, however, see the visit as a calculated assertion of sovereignty. "
            "There are also fears that this realignment may embolden others.")
    assert [(s.speaker, s.verb) for s in run(text, matcher).statements] == [
        ("Critics", "argue"), ("Human rights organizations", "warned"),
        ("Pro-government voices in Bamako, Ouagadougou, and Niamey", "argue")]
