"""Article x KnowledgeBase -> Extraction: mentions, themes, voices and unknown names.

Names are found in one pass over each block's words with a trie of folded words
(case and accents ignored, acronyms compared exactly), so the cost per article does
not grow with the size of the knowledge base; the longest match wins.
"""

from __future__ import annotations

import bisect
import gc
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import accumulate, dropwhile
from operator import attrgetter, itemgetter
from typing import Any

from sahel_site.model import (
    ArticleText,
    Block,
    Candidate,
    Entity,
    Extraction,
    KnowledgeBase,
    Mention,
    Sentence,
    Statement,
    ThemeScore,
)
from sahel_site.textnorm import WORD, fold, fold_phrase, strip_accents

END = ""  # trie key of the targets that end at a node
PREFIX = "*"  # trie key of the Prefixes of cue terms ending in *
COMMA = ","  # trie key of a comma inside a name: "Truth, Reconciliation and Reparations Commission"
TITLES = frozenset([
    "president", "captain", "capt", "colonel", "col", "general", "gen", "lieutenant", "lt", "major", "maj", "commander",
    "minister", "premier", "sergeant", "marshal", "brigadier", "admiral", "king", "queen", "sultan", "sheikh", "dr",
    "mr", "mrs", "ms", "chief", "senator", "ambassador", "governor", "mayor", "imam", "emir", "prince", "judge",
    "prosecutor", "spokesman", "spokeswoman", "spokesperson", "secretary", "envoy", "chairman", "chairwoman",
    "chairperson", "director", "commissioner", "speaker", "chancellor", "representative", "rapporteur", "alhaji",
    "hajia", "mallam", "professor", "prof", "bishop", "archbishop", "cardinal", "pope", "pastor", "father", "sir",
    "lawmaker", "deputy", "coordinator", "adviser", "advisor", "attorney", "président", "ministre", "général",
    "capitaine", "colonel", "m", "mme", "lamido", "marabout", "rev", "reverend", "el-hadj", "hadj", "congressman",
    "congresswoman",
    "officer", "ceo", "founder", "expert", "analyst", "researcher", "journalist", "reporter", "correspondent",
    "editor", "activist", "lawyer", "economist", "inspector", "superintendent", "commandant", "magistrate",
    "directeur", "directrice", "secretaire", "coordinateur", "coordinatrice", "coordonnateur", "sergent", "marechal",
    "ambassadeur", "ambassadrice", "gouverneur", "maire", "prefet", "procureur", "depute", "senateur", "conseiller",
    "conseillere", "chercheur", "chercheuse", "journaliste", "analyste", "avocat", "avocate", "presidente",
    "commissaire", "parole",  # "porte-parole"
    "asp", "dsp", "csp", "sp", "acp", "dcp", "cp", "aig", "dig", "igp",  # Nigerian police ranks: "CSP Nafiu Abubakar"
    "nsa", "cds", "coas",  # offices: "According to the NSA", the national security adviser
    "me", "maitre",  # a French lawyer's title: "Me Koudé Mbaïnaïssem"
    "kachalla", "tor", "ooni", "alaafin", "etsu", "sarkin",  # a bandit leader's, rulers' titles
    "adm", "mgr", "pr",  # "Rear Adm. Ibrahim Dewu", a bishop's "Mgr", a French professor's "Pr"
    "barr", "hon", "rt", "engr", "excellency",  # Nigerian copy's honorifics: "His Excellency Barr. Caleb Mutfwang"
])
SHORT_TITLES = frozenset(["m", "mr", "mrs", "ms", "mme", "dr", "gen", "col", "lt", "capt", "maj", "sgt", "prof", "rev",
                          "gov", "sen", "rep", "cdt", "barr", "hon", "rt", "engr", "adm", "mgr",
                          "pr"])  # written with a full stop: "M. Sall", "Gen. Tiani"
# Words of an office before a title: "Foreign Affairs Minister", "Secretary of State", "Army Chief of Staff".
ROLE_WORDS = frozenset([
    "foreign", "defence", "defense", "interior", "finance", "justice", "security", "information", "communications",
    "communication", "education", "health", "energy", "mines", "mining", "economy", "trade", "transport",
    "agriculture", "territorial", "administration", "affairs", "state", "prime", "vice", "high", "special", "junta",
    "army", "military", "opposition", "transitional", "transition", "interim", "former", "acting", "national",
    "head", "senior", "regional", "police", "navy", "air", "force", "forces", "staff", "public", "humanitarian",
    "human", "rights", "un", "au", "eu", "us", "african", "union", "united", "nations", "general", "legal", "rebel",
    "commission", "council", "assembly", "parliament", "of", "the", "for", "and", "sahel", "relations", "cooperation",
    "integration", "economic", "finances", "budget", "armed", "chief", "heads", "leader", "head", "lead",
    "home", "political", "advocacy", "european", "peace", "development", "sustainable", "planning", "programme",
    "program", "programs", "operations", "media", "press", "external", "social", "youth", "women", "industry",
    "commerce", "investment", "employment", "labour", "labor", "digital", "environment", "water", "worship",
    "religious", "culture", "tourism", "sports", "solidarity", "reconciliation", "emergency", "research",
    "policy", "strategic", "protection", "country", "global", "africa", "senior", "executive", "managing", "first",
    "hydrocarbons", "refugees", "migration", "pays", "affaires", "etrangeres", "interieur", "securite", "armees",
    "delegue", "deleguee", "charge", "chargee", "adjoint", "adjointe", "haut", "haute", "nationale", "generale",
    "gouvernement", "republique", "representant", "speciale",
])
PARTICLES = frozenset(["al", "el", "ag", "ould", "ben", "bin", "ibn", "ba", "da", "de", "dos", "van", "von", "wa"])
ORG_WORDS = frozenset([
    "ministry", "council", "agency", "radio", "television", "tv", "bank", "union", "commission", "office", "court",
    "party", "committee", "institute", "association", "federation", "company", "corporation", "network",
    "foundation", "university", "assembly", "parliament", "senate", "forces", "army", "police", "gendarmerie",
    "guard", "service", "services", "mission", "programme", "program", "fund", "news", "times", "post", "press",
    "authority", "directorate", "secretariat", "board", "tribunal", "coalition", "alliance", "organisation",
    "organization", "league", "community", "centre", "center", "media", "channel", "broadcaster", "newspaper",
    "airways", "airlines", "group", "department", "mining", "minerals", "petroleum", "oil", "energy", "energie",
    "uranium", "lithium",
    "resources", "holdings", "inc", "ltd", "plc", "sa", "sarl", "bureau", "observatory", "watch", "initiative",
    "platform", "caucus", "cabinet", "presidency", "navy", "ministere", "ministère", "conseil", "agence", "societe",
    "banque", "tribunal", "cour", "parti", "syndicat", "union", "federation", "collectif", "observatoire",
    "unit", "division", "task", "squad", "command", "headquarters", "exchange", "academy", "school", "hospital", "red", "crescent", "cross",
    "institution", "consortium", "trust", "society", "partners", "congress", "force", "lab", "laboratory", "fm",
    "operation", "opération", "daily", "weekly", "magazine", "review", "quotidien", "journal", "gazette", "tribune",
    "syndicate", "medias", "telegraph", "herald", "chronicle", "observer", "observateur", "comite", "groupe",
    "autorite", "assemblee", "institut", "rassemblement", "garde", "compagnie", "fondation", "ligue", "reseau",
    "communaute", "caisse", "cellule", "commissariat", "plateforme", "direction", "universite", "volontaires",
    "episcopale", "episcopal", "bishops", "bloc", "chambre", "croix",
])
ORG_HEADS = frozenset(["ministry", "ministere", "council", "conseil", "bank", "banque", "court", "cour", "commission",
                       "office", "agency", "agence", "committee", "university", "institute", "federation",
                       "association", "authority", "department", "directorate", "tribunal", "union", "centre", "center"])
GROUP_WORDS = frozenset(["front", "movement", "mouvement", "brigade", "militia", "militias", "katiba", "battalion",
                         "liberation", "jihad", "mujahideen", "ansar", "ansaru", "self-defence", "dozo", "koglweogo",
                         "rebels", "insurgents", "fighters", "m23"])
NOT_ACTORS = frozenset([
    "region", "regions", "province", "prefecture", "district", "department", "commune", "airport", "hotel", "river", "lake",
    "mountains", "valley", "desert", "basin", "agreement", "accord", "accords", "charter", "declaration", "summit",
    "conference", "day", "street", "avenue", "square", "camp", "base", "forest", "park", "island", "islands", "road",
    "highway", "corridor", "border", "coast", "gulf", "sea", "ocean", "plateau", "triangle", "zone", "area", "city",
    "town", "village", "cup", "prize", "award", "war", "wars", "festival", "stadium", "palace",
    "bridge", "dam", "mine", "mines", "state", "states", "index", "report", "plan", "act", "law", "treaty", "pact",
    "protocol", "constitution", "strategy", "roadmap", "process", "deal", "convention", "resolution", "week",
    "crisis", "coup", "election", "elections", "referendum", "offensive", "attack", "attacks", "massacre", "battle",
    "siege", "project", "pipeline", "deposit", "field", "complex", "site", "prison", "hospital", "market",
    "neighbourhood", "neighborhood", "quarter", "county", "municipality", "circle", "cercle", "oasis", "falls",
    "dialogue", "forum", "games", "olympics", "route", "highway", "mosque", "church", "cathedral", "square", "hall",
    "center", "centre", "station", "port", "harbour", "plant", "refinery", "facility", "code", "tower",
    "neighbourhoods", "neighborhoods", "districts", "boulevard", "barracks", "memorial", "mausoleum",
])
# A person's name inside the name of a place or building names the place, not the person (EXTRACTION.md). Nouns
# before the name (folded), capitalised or in lowercase after a French article: 'Stade Modibo Keïta', 'CHU Gabriel
# Touré', 'l'aéroport international Modibo Keïta', 'le centre hospitalier universitaire Yalgado Ouédraogo'.
FRENCH_FACILITIES = frozenset(["stade", "aeroport", "universite", "hopital", "hospitalier", "chu", "clinique",
                               "maternite", "boulevard", "avenue", "rue", "place", "route", "pont", "echangeur", "gare",
                               "lycee", "college", "ecole", "palais", "mosquee", "marche", "caserne", "musee",
                               "memorial", "mausolee"])  # not 'camp': 'le camp Gbagbo' is his supporters
FRENCH_ARTICLES = frozenset(["le", "la", "l", "les", "du", "des", "au", "aux"])  # not 'ce': 'à ce stade', at this stage
# Nouns after the name, in either case: 'Amadou Gon Coulibaly Stadium', 'the Modibo Keïta stadium', 'Ahmadu Bello
# University' (the university is a body of its own, the person is not named).
FACILITY_NOUNS = frozenset(["stadium", "airport", "university", "hospital", "boulevard", "avenue", "bridge", "mosque",
                            "barracks", "mausoleum", "polytechnic"])
# … and after it only when capitalised: 'Herbert Macaulay Street', but 'the Sonko camp', 'Tinubu market reforms'.
FACILITY_NAMES = FACILITY_NOUNS | {"street", "road", "square", "market", "hall", "school", "college", "museum",
                                   "memorial", "library", "park", "palace", "cathedral", "church"}
# Words between the name and the noun: 'Aéroport international …', '… International Airport', '… Teaching Hospital'.
FACILITY_ADJECTIVES = frozenset(["international", "internationale", "national", "nationale", "regional", "regionale",
                                 "municipal", "omnisports", "universitaire", "teaching", "specialist", "general",
                                 "federal", "memorial", "sports"])
NOT_FIRST = frozenset(["operation", "lake", "mount", "mountain", "river", "gulf", "cape", "fort", "saint", "st",
                       "republic", "kingdom", "gold", "eid", "lac", "mont", "fleuve", "port", "point", "camp",
                       "north", "south", "east", "west", "upper", "lower", "greater", "grand", "new", "old",
                       "islamic", "covid", "black", "holy", "west-african", "etat"]) | FRENCH_FACILITIES
# Short words a title-case headline leaves in lowercase ("Mali Closes Schools as Jihadist Blockade Bites").
HEADLINE_SMALL = frozenset(["a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "by", "as",
                            "with", "from", "into", "over", "after", "amid", "s", "vs", "v", "de", "du", "des", "la",
                            "le", "al", "el", "is", "are"])
# Owners whose possessive belongs to a name: "People's Liberation Movement", "Workers' Party".
POSSESSIVE_IN_NAMES = frozenset(["people", "peoples", "workers", "women", "farmers", "journalists", "children", "youth",
                                 "citizens", "veterans", "martyrs", "mothers", "teachers", "students", "traders",
                                 "herders", "victims", "patriots", "lawyers", "nations", "men"])
# People named by the body they belong to ("Students of the Université …"); "Residents", "Officials" are sentence words.
MEMBERS = frozenset(["students", "pupils", "lecturers", "teachers", "staff", "workers", "employees", "members",
                     "relatives", "families", "patients", "fans", "troops", "officers", "leaders", "delegates",
                     "traders", "graduates", "parents"])
# Lowercase nouns that make the capitalised name before them, or the list after "… of", a place.
PLACE_NOUNS = frozenset(["village", "villages", "town", "towns", "city", "cities", "region", "regions", "province",
                         "provinces", "district", "districts", "commune", "communes", "locality", "localities", "camp",
                         "camps", "community", "communities", "municipality", "prefecture", "department", "county",
                         "neighbourhood", "neighborhood", "area", "airport", "mine", "base", "border", "port",
                         "terminal"])
FRENCH_PLACE_NOUNS = frozenset(["ville", "region", "localite", "aeroport", "quartier", "cercle", "frontiere", "site",
                                "zone", "departement"])
# A school named for its pupils' level is the building they are taught in ("Government Girls Secondary School"),
# no body of its own as a university or a "School of Public Health" is.
SCHOOL_LEVELS = frozenset(["primary", "secondary", "high", "grammar", "boarding", "junior", "senior", "nursery",
                           "elementary", "comprehensive"])
FACILITIES = frozenset(["hospital", "hotel", "airport", "street", "avenue", "boulevard", "square", "stadium", "bridge",
                        "market", "mosque", "church", "cathedral", "palace", "park", "school", "hall"])
ELISIONS = frozenset(["d", "l", "qu", "j", "n", "s", "m", "c", "t"])
ARABIC_LINKS = frozenset(["ul", "as", "ad", "an", "ash", "at", "az", "ar", "lid", "wa", "bi", "fi", "li"])
OF_WORDS = frozenset(["of", "du", "de", "des", "d"])
CONNECTORS = frozenset(["of", "for", "and", "the", "de", "du", "des", "la", "le", "al", "el", "ben", "bin", "ould",
                        "wal", "d", "l", "ag", "ibn"])
STOP_NAMES = frozenset([
    "sahel", "west", "africa", "europe", "maghreb", "middle", "east", "sub", "saharan", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "islam", "muslim", "muslims", "christian", "christians", "arabic",
    "english", "ramadan", "eid", "tuareg", "tuaregs", "fulani", "peul", "peuls", "fula", "dogon", "mossi", "hausa",
    "songhai", "songhay", "bambara", "arab", "arabs", "azawad", "liptako", "gourma", "sahara", "sahelian",
    "western", "eastern", "northern", "southern", "central", "god", "allah", "internet", "covid", "christmas",
    "easter", "tabaski", "darfur", "kordofan", "sahelians", "francophone", "anglophone", "jihadist", "jihadists",
    "islamist", "islamists", "quran", "koran", "sharia", "african", "africans", "european", "europeans", "asian",
    "asia", "americas", "latin", "global", "north", "south", "gmt", "utc", "am", "pm", "twitter", "facebook",
    "whatsapp", "telegram", "youtube", "tiktok", "instagram", "google", "kalashnikov", "kalashnikovs", "ak",
    "zarma", "djerma", "kanuri", "toubou", "tebu", "zaghawa", "masalit", "fur", "bella", "haalpulaar", "wolof",
    "senufo", "kel", "ifoghas", "imghad", "lord", "lords", "mr", "mrs", "ms", "dr", "prophet",
    "breaking", "update", "analysis", "opinion", "editorial", "photo", "video", "read", "more",
    "afrique", "ouest", "occidentale", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
    "decembre", "touareg", "touaregs", "arabe", "arabes", "musulman", "musulmans", "coran", "charia", "dieu",
    "africain", "africains", "africaine", "africaines", "sahelien", "saheliens", "sahelienne", "jihadiste",
    "jihadistes", "djihadiste", "djihadistes", "islamiste", "islamistes", "occidentaux", "tiv", "nupe", "yoruba",
    "igbo",
])
NOT_ACRONYMS = frozenset([
    "gdp", "ied", "ieds", "ngo", "ngos", "ceo", "uav", "uavs", "cfa", "fcfa", "hiv", "aids", "covid", "pdf", "usd",
    "eur", "am", "pm", "gmt", "utc", "tv", "id", "ok", "dna", "lng", "suv", "hq", "mp", "mps", "vip", "vbied",
    "vbieds", "ddr", "idp", "idps", "salw", "ak", "km", "kg", "mw", "gw", "bpd", "pc", "sms", "gps", "isr", "csr",
    "ai", "it", "faq", "cv", "tnt", "rpg", "rpgs", "apc", "apcs", "mrap", "sim", "rss", "ppe", "gmo", "ii", "iii",
    "iv", "vi", "vii", "viii", "ix", "xi", "xii", "afp", "ap", "ad", "bc", "pr", "qa", "ceo", "cfo", "vp", "md",
    "vat", "wat", "tb", "akinci", "gat",  # a tax, a time zone, drone models (TB2), Mali's army's "armed terrorist groups"
    "pib", "ong", "ongs",  # French GDP and NGO
])
DATE_WORDS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                        "february", "march", "april", "may", "june", "july", "august", "september", "october",
                        "november", "december", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
                        "dimanche", "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                        "septembre", "octobre", "novembre", "decembre"])
# French names of bodies keep the case of ordinary words after the first ("Conseil constitutionnel", "Comité pour
# la protection des journalistes"): after one of these heads a run goes on through French links, a noun after a
# link and adjectives of French form.
FRENCH_HEADS = frozenset([
    "conseil", "comite", "service", "societe", "groupe", "mission", "agence", "autorite", "haute", "haut", "cour",
    "tribunal", "assemblee", "commission", "ministere", "direction", "office", "institut", "observatoire",
    "syndicat", "federation", "association", "collectif", "coordination", "mouvement", "front", "rassemblement",
    "union", "alliance", "parti", "forces", "force", "garde", "volontaires", "banque", "caisse", "compagnie",
    "fondation", "ligue", "centre", "universite", "organisation", "communaute", "cellule", "gendarmerie", "police",
    "commissariat", "plateforme", "agence", "conference", "radiodiffusion", "radio", "television", "chambre", "croix",
])
RESEARCH_HEADS = frozenset(["centre", "institut", "observatoire"])  # whose names say what they study "sur" (on)
RESEARCH_WORDS = frozenset(["recherche", "recherches", "etudes", "analyse", "analyses", "reflexion"])
FRENCH_LINKS = frozenset(["de", "des", "du", "d", "la", "le", "l", "les", "pour", "aux", "au"])  # and "à"
FRENCH_ADJECTIVES = frozenset(["national", "general", "regional", "federal", "central", "international", "special",
                               "electoral", "mondial", "social", "populaire", "unies", "unis", "africain",
                               "africaine", "islamique", "superieur", "superieure", "supreme", "permanent", "permanente",
                               "independant", "independante", "mixte", "militaire", "civile", "civil", "humain",
                               "humains", "humaine", "humaines", "democrate", "democrates", "autonome", "autonomes",
                               "audiovisuel", "audiovisuelle"])
# Endings no English word after a body's name has ("personnel", "executive", "fuel" are English).
FRENCH_ENDINGS = ("é", "ée", "és", "ées", "ienne", "iennes", "aise", "aises", "ique", "iques", "aire", "aires", "aux",
                  "ale", "ales", "ionnel", "ionnels", "ionnelle", "ionnelles", "iel", "iels", "ielle", "ielles",
                  "lier", "liers", "lière", "lières", "nier", "niers", "nière", "nières")  # pétroliers, miniers
# Words after which a word of adjective form is a verb: "le Conseil appelle le Mali", "présidée par".
FRENCH_OBJECTS = frozenset(["le", "la", "les", "l", "un", "une", "que", "qu", "par", "se", "sa", "son", "ses", "leur",
                            "leurs"])
FRENCH_TAIL = FRENCH_LINKS | {"a", "et", "en"}  # links a French name cannot end with
GENERIC_FRENCH_BODIES = frozenset(["forces armees", "forces de securite", "forces de defense et de securite",
                                   "forces de defense"])
# Capitalised bodies that name no one without the country or town the text leaves out ("Mali's Armed Forces").
GENERIC_BODIES = frozenset(["armed forces", "security forces", "defence forces", "defense forces", "federal university",
                            "court of justice", "internally displaced persons", "internally displaced people",
                            "federal government"])
# Places of two or more capitalised words that the news names often and that read like a person's name.
PLACES = frozenset([
    "addis ababa", "port harcourt", "dar es salaam", "cape town", "abu dhabi", "tel aviv", "los angeles",
    "san francisco", "hong kong", "new york", "el fasher", "el geneina", "port sudan", "bobo dioulasso",
    "grand bassam", "san pedro", "nioro du sahel", "in amenas", "tin zaouatine", "tin zaouaten", "ansongo menaka",
    "kaya", "la haye", "the hague", "el obeid", "wad madani", "ad damazin", "bir moghrein", "nouadhibou",
    "sao tome", "porto novo", "ain salah", "abu ghraib", "monte carlo", "djibo", "bandiagara", "boulkessi",
])
PLACE_WORDS = frozenset(["tillaberi", "tillabery", "menaka", "kidal", "gao", "timbuktu", "tombouctou", "mopti",
                         "segou", "kayes", "sikasso", "koulikoro", "diffa", "tahoua", "agadez", "zinder", "maradi",
                         "dosso", "djibo", "dori", "fada", "kaya", "ouahigouya", "arbinda", "maiduguri", "borno",
                         "yobe", "adamawa", "sokoto", "zamfara", "katsina", "kano", "darfur", "khartoum", "omdurman",
                         "hodh", "birnin", "sabon"])  # Mauritania's two Hodh regions; Hausa "city of", "new": "Birnin Kebbi", "Sabon Birni", "Sabon Gari"
SENTENCE_WORDS = frozenset([
    "the", "a", "an", "in", "on", "at", "for", "but", "and", "yet", "this", "that", "these", "those", "it", "its",
    "their", "his", "her", "after", "before", "when", "while", "since", "as", "according", "meanwhile", "however",
    "last", "next", "some", "many", "most", "several", "both", "each", "other", "such", "despite", "during", "under",
    "with", "without", "from", "by", "to", "of", "through", "across", "although", "though", "if", "whether", "what",
    "who", "why", "how", "where", "there", "here", "critics", "others", "reports", "footage", "officials",
    "analysts", "residents", "witnesses", "sources", "regional", "observers", "supporters", "we", "they", "he",
    "she", "i", "our", "one", "two", "three", "four", "five", "new", "more", "also", "then", "now", "still", "even",
    "only", "neighbouring", "neighboring", "former", "ex", "late", "then-president", "dear", "mister", "madam",
    "unlike", "like", "including", "among", "between", "against", "toward", "towards", "via", "per", "all", "any",
    "no", "not", "so", "because", "once", "until", "within", "about", "around", "over", "into", "upon", "my",
    "your", "you", "them", "him", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would",
    "said", "says", "told", "thanks", "welcome", "dozens", "hundreds", "thousands", "millions", "tens", "said",
    "unless", "another",
    # French words that open a sentence without being part of a name
    "selon", "depuis", "dans", "pour", "avec", "sans", "apres", "avant", "lors", "malgre", "entre", "sous", "sur",
    "vers", "chez", "contre", "par", "parmi", "pendant", "durant", "ainsi", "alors", "puis", "enfin", "cependant",
    "pourtant", "toutefois", "neanmoins", "desormais", "hier", "aujourd", "outre", "afin", "notamment",
    "egalement", "plusieurs", "certains", "certaines", "quelques", "chaque", "aucun", "aucune", "lorsque", "quand",
    "quant", "comme", "mais", "donc", "car", "ce", "cet", "cette", "ces", "il", "elle", "ils", "elles", "nous",
    "leur", "leurs", "son", "sa", "ses", "deux", "trois", "quatre", "cinq", "dix", "tous", "toutes", "tout",
    "toute", "face", "si", "ou", "en", "est", "sont", "ont", "etait", "sera", "avait", "fait", "doit", "peut",
    "va", "ne", "se", "y", "qui", "que", "qu", "dont", "pas",
])
# Verbs that report speech, each form spelled out: a sentence holding none of their first words is not searched.
REPORTING_VERBS = (
    "says", "said", "say", "argue", "argues", "argued", "warn", "warns", "warned", "claim", "claims", "claimed",
    "accuse", "accuses", "accused", "insist", "insists", "insisted", "told", "stated", "declared", "denied",
    "announced", "urged", "condemned", "note", "notes", "noted", "suggest", "suggests", "suggested", "contend",
    "contends", "contended", "maintain", "maintains", "maintained", "allege", "alleges", "alleged", "believe",
    "believes", "believed", "fear", "fears", "feared", "estimate", "estimates", "estimated", "reported", "see",
    "sees", "describe", "describes", "described", "called for", "calls for",
)
REPORTING = re.compile(r"\b(" + "|".join(REPORTING_VERBS) + r")\b")
REPORTING_WORDS = frozenset(verb.split()[0] for verb in REPORTING_VERBS)
# Each word reads one way only ("repeatedly" is just \w+ly): with two, a run of them backtracks exponentially.
_AUX = re.compile(r"(?:\s+(?:have|has|had|also|will|would|may|might|could|did|do|does|have long|\w+ly))+$")
_LEAD = re.compile(r"^(?:however|but|meanwhile|still|yet|and|in turn|for their part|for its part)\W+",
                   re.IGNORECASE)
PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "this", "that", "some", "many", "others", "there"])
_ACCORDING = re.compile(r"\baccording to ([^,.;]{3,80})")
_GIVEN_ACRONYM = re.compile(r"(?: \(|,? (?:also )?known (?:as|by (?:its |the )?(?:\w+ )?(?:initials|acronym|abbreviation)) )"
                            r"([A-Z][A-Z0-9]{1,7})\b")
# The place a wire story was filed from, opening its first paragraph: "ABUJA, Nigeria (AP) — ", "DAKAR/NOUAKCHOTT,
# April 22 - ", "NIAMEY — ".
_DATELINE = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý'’. -]+[A-ZÀ-Ý](?:/[A-ZÀ-Ý][A-ZÀ-Ý'’. -]+[A-ZÀ-Ý])*(?:,[^—–\n]{1,40}?)?(?: \([^)]{1,40}\))? [—–-] ")
_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?")
UNITS = frozenset(["division", "brigade", "battalion", "regiment", "squadron"])  # military units named by number
_PASSIVE = re.compile(r"\s+(?:as|by)\b")  # "described as", "reported by": the subject is not the speaker
# Tried only where a run of stops begins: a run that ends no sentence ("!!!…") is read once, not once per stop.
# The stop comes first and the look back after it, so the search skips to the next stop instead of trying
# the look back at every character.
_SENTENCE_END = re.compile(r"[.!?](?<![.!?][.!?])[.!?]*(?:\s?»)?[\"”’')\]]*\s+(?=(?:«\s?|[\"“‘'(\[])?[A-Z0-9À-Ý])")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Capt|Maj|Sgt|St|No|Jr|Sr|vs|Gov|Sen|Rep|Prof|Barr|Hon|Rt|Engr|Adm|Mgr|Pr)"
                           r"|\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z])\.$")


CueHit = tuple[str, int, str]  # theme, weight, term
# The cues a word is on its own and the trie below it for longer ones; () when no cue starts with the word.
CueStart = tuple[tuple[CueHit, ...], dict[str, Any] | None] | tuple[()]
Name = tuple[int, int, str | None, str]  # first word, last word, entity id (None: an excluded phrase), how
Known = tuple[int, int, str, str]  # a name that is not an excluded phrase


@dataclass(frozen=True, slots=True)
class Target:
    entity: str | None  # None for an excluded phrase: it matches and yields nothing
    how: str
    exact: tuple[str, ...] | None  # the words as written, when case matters (acronyms)
    initial: bool = False  # the form starts with a capital: "The Washington Post" is not "the Washington Post"
    titled: bool = False  # every word must be capitalised: "Nigerien Armed Forces", not "Nigerien armed forces"
    lowercase: bool = False  # written in lowercase ("malienne", "russe"): French adjectives match in any case


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
    openers: frozenset[str]  # the first words of the names, and the surnames
    cue_starts: dict[str, CueStart]  # word -> the cues it begins; filled as words are met


@dataclass(frozen=True, slots=True)
class Word:
    """A word of the vocabulary, one object for all its occurrences: reading a text makes none."""

    raw: str  # as written
    key: str  # folded
    text: str  # accents stripped, case kept
    upper: bool  # begins with a capital
    lower: bool  # begins with a lowercase letter (a digit is neither)


@dataclass(slots=True)  # not frozen: a frozen class's fields are set by a slow call
class Tokens:
    """A text's words and what lies between them, as lists made in C: no object is made per word
    of the text, and none for the garbage collector to walk."""

    text: str
    words: list[Word]
    gaps: list[str]  # gaps[k]: the text before words[k]; gaps[-1]: the text after the last word
    starts: list[int]
    ends: list[int]

    def span(self, first: int, last: int) -> str:
        """The text from word ``first`` to word ``last``, both included."""
        return self.text[self.starts[first] : self.ends[last]]



def surface_forms(entity: Entity) -> list[tuple[str, str]]:
    """Every (form, how) to look for, name first; demonyms in -n also in the plural."""
    forms = [(entity.name, "name")] + [(a, "alias") for a in entity.aliases]
    forms += [(d, "demonym") for d in entity.demonyms]
    forms += [(d + "s", "demonym") for d in entity.demonyms if d.endswith("n")]
    if entity.capital:
        forms.append((entity.capital, "capital"))
    forms += [(m, "metonym") for m in entity.metonyms]
    return forms


_last: tuple[KnowledgeBase, Matcher] | None = None


def compile_matcher(kb: KnowledgeBase) -> Matcher:
    """The matcher of ``kb``; the last one is kept, since the builds of a running server share
    their knowledge base until its files change."""
    global _last
    if _last is None or _last[0] is not kb:
        _last = (kb, _compiled(kb))
    return _last[1]


def _compiled(kb: KnowledgeBase) -> Matcher:
    names: dict[str, Any] = {}
    surnames: dict[str, list[str]] = {}
    demonyms = {fold(d) for e in kb.entities.values() for d in e.demonyms}
    for entity in kb.entities.values():
        excluded = {fold_phrase(form) for form in entity.exclude}
        for form, how in surface_forms(entity):
            if fold_phrase(form) not in excluded:  # Belgium's capital, but in the news Brussels is the EU
                _insert(names, form, Target(entity.id, how, _exact(form), form[:1].isupper(), _titled(form, demonyms),
                                            form.islower()))
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
    return Matcher(names, {k: tuple(v) for k, v in surnames.items()}, cues, dict(kb.entities),
                   frozenset(names) | frozenset(surnames), {})


def _titled(form: str, demonyms: set[str]) -> bool:
    """A demonym and common nouns, all capitalised, name an institution only as written:
    "the Malian Armed Forces" is one, "Nigerien armed forces" a description (EXTRACTION.md)."""
    words = WORD.findall(form)
    return len(words) > 1 and fold(words[0]) in demonyms and all(w[:1].isupper() for w in words)


def _exact(form: str) -> tuple[str, ...] | None:
    """Acronyms and forms like 'FAMa' only match as written."""
    words = WORD.findall(strip_accents(form))
    if len(words) == 1 and any(c.isupper() for c in words[0][1:]):
        return tuple(words)
    if all(len(w) == 1 and w.isupper() for w in words):  # U.S., U.N.
        return tuple(words)
    return None


def _insert(trie: dict[str, Any], form: str, target: Any) -> None:
    words = _comma_keys(form)
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


def _comma_keys(form: str) -> list[str]:
    """The folded words of a name, with COMMA where a comma parts two of them."""
    keys: list[str] = []
    end = 0
    for m in WORD.finditer(form):
        if keys and "," in form[end : m.start()]:
            keys.append(COMMA)
        keys.append(fold(m[0]))
        end = m.end()
    return keys


def tokens_of(text: str) -> Tokens:
    # The text before the first word, the word, the text up to the next, …
    parts = (_ASCII_SPLIT if text.isascii() else _SPLIT).split(text)
    offsets = list(accumulate(map(len, parts)))  # where each part ends
    words = list(map(_VOCABULARY.__getitem__, parts[1::2]))
    return Tokens(text, words, parts[0::2], offsets[0:-1:2], offsets[1::2])


class _Vocabulary(dict[str, Word]):
    """Each word as written -> its Word: a newsroom's vocabulary is small, each word is folded once."""

    def __missing__(self, raw: str) -> Word:
        text = strip_accents(raw)
        word = self[raw] = Word(raw, fold(raw), text, text[:1].isupper(), text[:1].islower())
        return word


_VOCABULARY = _Vocabulary()
_SPLIT = re.compile(f"({WORD.pattern})")  # split by it, a text gives the words and what parts them in turn
_ASCII_SPLIT = re.compile("([A-Za-z0-9]+)")  # the same on ASCII text, read without asking each character's class
_TEXT = attrgetter("text")  # attributes read in C, not in a loop of bytecode per word


def joined(gap: str) -> bool:
    """Whether two words parted by ``gap`` are close enough to belong to one name."""
    if gap == " ":  # most gaps
        return True
    if not gap or len(gap) > 3 or gap.strip(" -'’.&\u00a0\u2011"):  # "Standard & Poor's"
        return False
    return not ("." in gap and " " in gap)


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        # An abbreviation ends the sentence so far and is at most 8 characters long ("U.N.S.C."):
        # only its tail is searched, in place.
        if _ABBREVIATION.search(text, max(start, m.start() - 9), m.start() + 1):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    trimmed = []  # a plain loop: most blocks are one sentence, and two generators cost more than the work
    for s, e in spans:
        e = s + len(text[s:e].rstrip())
        if e > s:
            trimmed.append((s, e))
    return trimmed


def extract(article: ArticleText, matcher: Matcher) -> Extraction:
    # Reading an article makes thousands of objects and leaves none in a reference cycle: a collection
    # on the way would only walk them, and the knowledge base. Those freed are freed by their counts.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _extract(article, matcher)
    finally:
        if enabled:
            gc.enable()


def _extract(article: ArticleText, matcher: Matcher) -> Extraction:
    scans = _scan_blocks(article, matcher)
    sentences = [Sentence(scan.block.index, s, e, scan.block.text[s:e]) for scan in scans for s, e in scan.spans]
    candidates, absorbed = find_candidates(scans, sentences, matcher)
    mentions = []
    for scan in scans:
        states = "states" in scan.block.text or "States" in scan.block.text  # most blocks list no states
        tokens = scan.tokens
        dateline = _DATELINE.match(scan.block.text) if scan is scans[0] else None
        for i, j, entity, how in scan.names:
            if entity is None or (scan.block.index, i) in absorbed:
                continue
            if dateline and tokens.starts[i] < dateline.end() and matcher.entities[entity].kind == "state":
                continue  # "DAKAR, Senegal (AP) —": where the story was filed, not what it is about
            if _named_facility(tokens, j, matcher.entities[entity]):
                continue
            if states and matcher.entities[entity].kind == "state" and _listed_state(tokens, j):
                continue
            if tokens.gaps[j + 1][:1] == "$":  # "US$430 million" is an amount
                continue
            start, end = tokens.starts[i], tokens.ends[j]
            # Interned: an archive's tens of thousands of mentions write a few hundred names, and the
            # copies sent back from a worker, or kept in the cache, then share them.
            surface = sys.intern(scan.block.text[start:end])
            mentions.append(Mention(entity, surface, how, scan.block.index, start, end, scan.sentence_of(i)))
    mentions = _own_acronyms(mentions, {scan.block.index: scan.block.text for scan in scans}, matcher)
    sentence_words = [(scan.tokens, a, b) for scan in scans for a, b in scan.bounds]
    title = tokens_of(article.article.title)
    return Extraction(
        article=article.article.slug,
        sentences=tuple(sentences),
        mentions=tuple(mentions),
        themes=score_themes(sentence_words, matcher, _sentence_cues(title, 0, len(title.words), matcher)),
        statements=find_statements(sentences, [t.words[a:b] for t, a, b in sentence_words], mentions, matcher),
        candidates=candidates,
    )


def _named_facility(tokens: Tokens, j: int, entity: Entity) -> bool:
    """'the Saudi Maternity Hospital': a state's name opening the name of a building is no mention of the state."""
    words = tokens.words
    k = j
    while (entity.kind == "state" and k + 1 < len(words) and k < j + 3 and words[k + 1].text[:1].isupper()
           and joined(tokens.gaps[k + 1])):
        k += 1
        if words[k].key in FACILITIES:
            return True
    return False


def _listed_state(tokens: Tokens, j: int) -> bool:
    """'Niger and Kogi states', 'Niger, Kogi and Kwara states': a name in a list that ends in 'states' is one of
    Nigeria's states, as in 'Niger states' (an excluded phrase)."""
    words, listed = tokens.words, False
    for k in range(j + 1, min(j + 12, len(words))):
        word, gap = words[k], tokens.gaps[k]
        if word.key == "states" and gap == " ":
            return listed
        if word.key == "and" and gap in (" ", ", ") or gap == ", " and word.text[:1].isupper():
            listed = True
        elif gap != " " or not word.text[:1].isupper():
            return False
    return False


def _own_acronyms(mentions: list[Mention], texts: dict[int, str], matcher: Matcher) -> list[Mention]:
    """'Reporters Without Borders (RSF)', '…, known by its French initials RSF': an acronym the article
    gives a body names that body throughout, unless the body the knowledge base gives it to (the
    Rapid Support Forces) is named in full there too."""
    defined: dict[str, str] = {}
    given_at: dict[tuple[int, int], str] = {}  # (block, offset) of each acronym given -> its body
    for m in mentions:
        if not m.surface.isupper() and matcher.entities[m.entity].kind == "actor":
            given = _GIVEN_ACRONYM.match(texts[m.block], m.end)
            if given:
                defined.setdefault(given[1], m.entity)
                given_at[m.block, given.start(1)] = m.entity
    if not defined:
        return mentions
    full = {m.entity for m in mentions if not m.surface.isupper()}
    owner = {m.surface: defined[m.surface] for m in mentions if m.surface in defined and m.entity not in full}
    return [replace(m, entity=given_at.get((m.block, m.start)) or owner.get(m.surface) or m.entity)
            if m.surface in defined else m for m in mentions]


def _scan_blocks(article: ArticleText, matcher: Matcher) -> list[Scan]:
    """Each block's words, sentences and names, in reading order (a surname needs the full name before it)."""
    scans = []
    seen_people: set[str] = set()
    first = 0
    for block in article.blocks:
        tokens = tokens_of(block.text)
        names = list(find_names(tokens, matcher, seen_people))
        spans = split_sentences(block.text)
        scans.append(Scan(block, tokens, spans, _word_bounds(tokens, spans), names, first))
        first += len(spans)
    return scans


def find_names(tokens: Tokens, matcher: Matcher, seen_people: set[str]) -> Iterator[Name]:
    """(first word, last word, entity id, how) of each name in ``tokens``, longest first.

    An excluded phrase ("Niger River") comes with entity None: it names nothing, but its
    words are taken.
    """
    names, surnames, openers = matcher.names, matcher.surnames, matcher.openers
    after = 0  # the first word after the latest name
    for i, word in enumerate(tokens.words):
        key = word.key
        if key not in openers or i < after:  # most words open no name
            continue
        found = _longest(tokens, i, names) if key in names else None  # most words start no name
        if found and key in TITLES and found[0] == i and _rank(tokens, i):
            found = None  # "CSP Nafiu Abubakar": a police rank, not the CSP
        if found:
            j, target = found
            after = j + 1
            if target.entity and matcher.entities[target.entity].type == "person":
                if _in_facility_name(tokens, i, j):
                    continue  # its words are left to the place's name, or to a body's: "Ahmadu Bello University"
                seen_people.add(target.entity)
            yield i, j, target.entity, target.how
            continue
        person = _surname(tokens, i, matcher, seen_people) if key in surnames else None
        if person and not _in_facility_name(tokens, i, i):
            yield i, i, person, "surname"
            seen_people.add(person)


def _rank(tokens: Tokens, i: int) -> bool:
    """Whether the acronym at word ``i`` is a rank before a capitalised personal name: 'CSP Nafiu Abubakar'."""
    words = tokens.words
    after = words[i + 1] if i + 1 < len(words) else None
    return (_is_acronym(words[i]) and after is not None and tokens.gaps[i + 1] == " "
            and after.text[:1].isupper() and _name_word(after) and after.key not in STOP_NAMES
            and after.key not in PLACE_WORDS)


def _longest(tokens: Tokens, i: int, trie: dict[str, Any]) -> tuple[int, Target] | None:
    words, gaps = tokens.words, tokens.gaps
    ends: list[tuple[int, list[Target]]] = []
    node = trie.get(words[i].key)
    j = i
    while node:
        if END in node:
            ends.append((j, node[END]))
        if j + 1 >= len(words):
            break
        # The next word is looked up before the gap is read: most names stop after their first word.
        key = words[j + 1].key
        if key in node and (joined(gaps[j + 1]) or _initial(words[j], gaps[j + 1], words[j + 1])):
            node = node[key]
        elif COMMA in node and key in node[COMMA] and gaps[j + 1] == ", ":
            node = node[COMMA][key]  # a name written with a comma, as the knowledge base writes it
        else:
            break
        j += 1
    for j, targets in reversed(ends):
        for target in targets:
            if _case_fits(words[i : j + 1], target):
                return j, target
    return None


def _initial(word: Word, gap: str, after: Word) -> bool:
    """Whether a name goes on after the capital letter and full stop closing 'U.S.' in 'U.S. Africa Command':
    only to a capitalised word, a proper name's ('U.N. human rights office' stays the U.N. there)."""
    return gap == ". " and len(word.text) == 1 and word.upper and after.upper


def _case_fits(words: list[Word], target: Target) -> bool:
    if target.exact is not None:
        return tuple(w.text for w in words) == target.exact
    if target.initial and len(words) > 1 and words[0].lower:
        return False
    if target.titled and not all(w.upper for w in words):
        return False
    return target.lowercase or any(w.upper for w in words)  # "al-Qaeda in the Islamic Maghreb" too


def _surname(tokens: Tokens, i: int, matcher: Matcher, seen: set[str]) -> str | None:
    """A surname alone names a person already named in full, or one given a title."""
    words, gaps = tokens.words, tokens.gaps
    word = words[i]
    ids = matcher.surnames.get(word.key)
    if not ids or not word.text[:1].isupper():
        return None
    before = _before(tokens, i)
    if before is not None and before.key in PARTICLES:  # "Ould Ghazouani", "President Ould Ghazouani"
        first = words[i - 2] if i > 1 and joined(gaps[i - 1]) else None
        if first is None or not first.text[:1].isupper() or first.key in TITLES:
            before = first if first is not None and first.key in TITLES else None
    after = words[i + 1] if i + 1 < len(words) and joined(gaps[i + 1]) else None
    titled = before is not None and before.key in TITLES
    if (before and not titled and before.text[:1].isupper()) or (after and after.text[:1].isupper()):
        return None  # part of another name
    known = [p for p in ids if p in seen]
    if len(known) == 1:
        return known[0]
    return ids[0] if titled and len(ids) == 1 else None


def _before(tokens: Tokens, i: int) -> Word | None:
    """The word joined to word ``i`` before it, or the abbreviated title before it: 'M. Sall', 'Gen. Tiani'."""
    if not i:
        return None
    previous = tokens.words[i - 1]
    if joined(tokens.gaps[i]):
        return previous
    if previous.key in SHORT_TITLES and previous.text[:1].isupper() and tokens.gaps[i] == ". ":
        return previous
    return None


def _word_bounds(tokens: Tokens, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each sentence's first and past-the-last word: sentence bounds always fall between words."""
    starts = tokens.starts
    return [(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)) for s, e in spans]


# Words that open a background phrase: "after the July 2023 coup", "since the withdrawal of French troops",
# "depuis le coup d'État de 2020" (folded).
BACKGROUND = frozenset(["after", "since", "before", "following", "until", "amid", "apres", "depuis", "avant"])
BACKGROUND_REACH = 4  # words between the opener and the cue
SENTENCE_CAP = 4  # one sentence, however dense, is one sentence of evidence


def score_themes(sentences: list[tuple[Tokens, int, int]], matcher: Matcher, lead: dict[str, int]) -> tuple[ThemeScore, ...]:
    """A theme needs two sentences that carry it clearly (weight 2 or more each, 5 in all),
    or the main point (``lead``: its weight in the title) and one more clear sentence, or one clear
    sentence among five or more that name it (8 in all): a junta named in every paragraph.

    ``sentences`` holds each sentence's block and its first and past-the-last word there.
    A passing mention is one sentence, or cues that say little: generic words weigh 1, and
    so does a cue inside a background phrase ("after the 2023 coup").
    """
    per_theme: dict[str, list[tuple[int, int]]] = {}  # theme -> (weight, sentence)
    for index, (tokens, first, end) in enumerate(sentences):
        for theme, weight in _sentence_cues(tokens, first, end, matcher).items():
            per_theme.setdefault(theme, []).append((weight, index))
    scores = []
    for theme, carried in per_theme.items():
        strong = [(w, i) for w, i in carried if w >= 2]
        total = sum(w for w, _ in carried)
        if (len(strong) >= 2 and total >= 5 or strong and lead.get(theme, 0) >= 2
                or strong and len(carried) >= 5 and total >= 8):
            ranked = sorted(strong, key=lambda t: (-t[0], t[1]))
            scores.append(ThemeScore(theme, float(total), tuple(i for _, i in ranked)))
    return tuple(sorted(scores, key=lambda t: (-t.score, t.theme)))


def _sentence_cues(tokens: Tokens, first: int, end: int, matcher: Matcher) -> dict[str, int]:
    """Each theme's weight in one sentence, words ``first`` up to ``end`` of ``tokens``: its cues, a
    cue inside a longer one of the same theme not counted again (the longer one's weight counts:
    "military training school" is no training), background ones weak, the sum capped."""
    spans: dict[str, list[tuple[int, int, int]]] = {}  # theme -> (first word, last word, weight)
    headline: bool | None = None  # computed when a cue is first met in capitals
    starts, words = matcher.cue_starts, tokens.words
    for i, word in enumerate(words[first:end], first):
        start = starts.get(word.key)
        if start is None:
            start = starts[word.key] = _cue_start(word.key, matcher.cues)
        if not start:
            continue  # most words start no cue: skip the walk
        hits, node = start
        if not hits and (i + 1 == end or PREFIX not in node and COMMA not in node
                         and words[i + 1].key not in node):
            continue  # most of the rest only begin longer cues, and the next word goes on none of them
        for theme, weight, term, last in _cue_matches(tokens, i, end, start):
            if weight > 1 and i > first and word.upper and term.islower() and all(
                    w.upper for w in words[i + 1 : last + 1]):
                headline = _headline(tokens.text, words[first:end]) if headline is None else headline
                if not headline:  # "the Centre for Research and Opinion Polls": a common cue inside a name
                    weight = 1
            found = spans.setdefault(theme, [])
            if found and found[-1][0] <= i <= found[-1][1]:
                if last > found[-1][1]:  # a longer cue from the same word says what it means: "drone base"
                    found[-1] = (found[-1][0], last, weight if i == found[-1][0] else max(weight, found[-1][2]))
                continue
            found.append((i, last, weight))
    weights = {}
    for theme, found in spans.items():
        total = sum(1 if _background(tokens, first, i) else w for i, _, w in found)
        weights[theme] = min(total, SENTENCE_CAP)
    return weights


def _cue_start(key: str, cues: dict[str, Any]) -> CueStart:
    """What _cue_matches needs of a first word, read once per word: the cues it matches alone
    (prefixes first, as the walk would find them) and its node for longer cues."""
    prefixes = cues.get(PREFIX)
    node = cues.get(key)
    hits = (prefixes.match(key) if prefixes else ()) + tuple(node.get(END, ()) if node else ())
    return (hits, node) if hits or node else ()


def _background(tokens: Tokens, first: int, i: int) -> bool:
    """'after the July 2023 coup', 'since Burkina Faso's coup', 'a 2022 coup': history, not the story; but
    not 'Planned for December 2024, the transition was extended', where a comma closes the year's clause.
    The sentence begins at word ``first``."""
    words, text, start = tokens.words, tokens.text, tokens.starts[i]
    for k in range(i - 1, max(first - 1, i - 3), -1):
        if words[k].key.isdigit() and _year(words[k].key):
            return not _PAUSE.search(text, tokens.ends[k], start)
    for k in range(i - 1, max(first - 1, i - 2 - BACKGROUND_REACH), -1):
        if words[k].key in BACKGROUND:  # the nearest opener, unless a pause parts it from the cue
            return not _PAUSE.search(text, tokens.ends[k], start)
    return False


_PAUSE = re.compile(r"[,;:()]")


def _year(key: str) -> bool:
    return len(key) == 4 and key.isdigit() and key[:2] in ("19", "20")


def _cue_matches(tokens: Tokens, i: int, end: int, start: CueStart) -> Iterator[tuple[str, int, str, int]]:
    """(theme, weight, term, last word) of each cue that starts at word ``i`` (``start``: its
    cues alone and its trie node) and ends before word ``end``, shortest first."""
    hits, node = start
    for theme, weight, term in hits:
        yield theme, weight, term, i
    words, j = tokens.words, i + 1
    while node is not None and j < end:
        if COMMA in node and tokens.gaps[j] == ", ":
            node = node[COMMA]  # a cue written with a comma: "disarmament, demobilization"
        elif PREFIX not in node and words[j].key not in node or not joined(tokens.gaps[j]):
            return  # the cue ends here, or the gap parts the words
        prefixes = node.get(PREFIX)
        if prefixes:
            for theme, weight, term in prefixes.match(words[j].key):
                yield theme, weight, term, j
        node = node.get(words[j].key)
        if node and END in node:
            for theme, weight, term in node[END]:
                yield theme, weight, term, j
        j += 1


def find_statements(sentences: list[Sentence], words: list[list[Word]], mentions: list[Mention],
                    matcher: Matcher) -> tuple[Statement, ...]:
    """Who is quoted or paraphrased in each sentence; ``words`` holds each sentence's words."""
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    found = []
    for index, sentence in enumerate(sentences):
        statement = _statement(sentence, words[index], index, by_sentence.get(index, []), matcher)
        if statement:
            found.append(statement)
    return tuple(found)


def _statement(sentence: Sentence, words: list[Word], index: int, mentions: list[Mention],
               matcher: Matcher) -> Statement | None:
    text = sentence.text
    # Substring and word tests first: most sentences quote no one, and the patterns cost more.
    according = _ACCORDING.search(text) if "according to" in text else None
    verb = None if according or REPORTING_WORDS.isdisjoint(map(_TEXT, words)) else REPORTING.search(text)
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
    names = speaker.split()
    if not names or len(names) > 12 or names[0].lower().strip(",") in PRONOUNS or not speaker[:1].isupper():
        return None
    entity = next((m.entity for m in mentions
                   if span[0] <= m.start - sentence.start < span[1]
                   and matcher.entities[m.entity].kind == "actor"), None)
    return Statement(speaker=speaker, verb=sys.intern(verb_text), entity=entity, sentence=index)


@dataclass(slots=True)
class Scan:
    """One block read: its words, sentence spans and the names the trie found there."""

    block: Block
    tokens: Tokens
    spans: list[tuple[int, int]]
    bounds: list[tuple[int, int]]  # each sentence's first and past-the-last word
    names: list[Name]
    first_sentence: int

    def sentence_of(self, word: int) -> int:
        """The article's index of the sentence that holds word ``word``."""
        return self.first_sentence + max(0, bisect.bisect_right(self.spans, self.tokens.starts[word], key=itemgetter(0)) - 1)


@dataclass(slots=True)
class Found:
    """A candidate while the article is read; becomes a Candidate at the end."""

    name: str
    type: str
    sentence: int
    aliases: list[str]
    actor: bool


def find_candidates(scans: list[Scan], sentences: list[Sentence], matcher: Matcher) -> tuple[tuple[Candidate, ...], set[tuple[int, int]]]:
    """Names the knowledge base does not know, guessed person, organisation or group.

    Returns the candidates and the (block, first word) of known names that a longer
    unknown name took in ("UN" in "UN Human Rights Council"): longest match wins.
    """
    lower = {w.key for scan in scans for w in scan.tokens.words if w.lower}
    places = {name for scan in scans for name in _place_names(scan.tokens)}
    found: dict[str, Found] = {}
    short: dict[str, str] = {}  # a surname or an acronym -> key of the candidate it stands for
    absorbed: set[tuple[int, int]] = set()
    acronyms: dict[str, str] = {}  # an acronym the article gives a known body -> that body's id
    for scan in scans:
        tokens, words = scan.tokens, scan.tokens.words
        if _headline(tokens.text, words):
            continue
        starts = {first for first, _ in scan.bounds}  # each sentence's first word
        latest: tuple[int, str] = (-1, "")  # last word and key of the block's latest candidate
        for first, last, kind, sure, took in _block_candidates(tokens, scan.names, starts, lower, matcher):
            if took is not None:
                absorbed.add((scan.block.index, took))
            name = tokens.span(first, last)
            if fold_phrase(name) in places:  # "Sabongarin Damri village" elsewhere: a place
                continue
            if first == last and kind != "person":
                entity = acronyms.get(name) or _acronym_of_known(tokens, first, scan.names, matcher)
                if entity:  # "la Cour pénale internationale (CPI)": the known body, named so throughout
                    acronyms[name] = entity
                    bisect.insort(scan.names, (first, first, entity, "alias"))
                    continue
            if _another_name(words, first):
                known = [last for _, last, entity, _ in scan.names if entity]  # ascending: names do not overlap
                before = bisect.bisect_left(known, first)  # the known name that ends last before it
                if latest[0] > (known[before - 1] if before else -1):
                    found[latest[1]].aliases.append(name)
                continue
            acronym = _defined_acronym(tokens, last)
            latest = (last, _remember(found, short, name, kind, sure, scan.sentence_of(first), acronym))
    return tuple(Candidate(f.name, f.type, f.sentence, tuple(f.aliases), f.actor)  # type: ignore[arg-type]
                 for f in found.values()), absorbed


def _acronym_of_known(tokens: Tokens, k: int, names: list[Name], matcher: Matcher) -> str | None:
    """The known body whose name ends right before the acronym in brackets at word ``k``, if any."""
    gaps = tokens.gaps
    if gaps[k] != " (" or gaps[k + 1][:1] != ")" or not _is_acronym(tokens.words[k]):
        return None
    before = bisect.bisect_left(names, (k,)) - 1  # the last name starting before the acronym
    if before < 0:
        return None
    _, last, entity, _ = names[before]
    known = matcher.entities[entity] if entity and last == k - 1 else None
    return entity if known is not None and known.kind == "actor" and known.type != "person" else None


_BYLINE = re.compile(r"^\W*(?:By|Par) [A-Z]|, (?:[A-Z]\w+ )?(?:Researcher|Analyst|Fellow|Director|Editor|Professor|"
                     r"Correspondent|Reporter|Journalist|Chercheur|Chercheuse|Analyste|Journaliste)\b")


def _headline(text: str, words: list[Word]) -> bool:
    """'Jihadist Attack Hits Mali's Bamako Amid Ongoing Conflict': in a title-case line every
    word is capitalised, so capitals tell no name from a common word there."""
    if text.rstrip().endswith("."):  # most blocks: no need to count their capitals
        return False
    if _BYLINE.search(text):  # "Remadji Hoinathy, Senior Researcher, ISS": an author's line names people
        return False
    content = [w for w in words if w.key not in HEADLINE_SMALL and not w.key.isdigit()]
    capitals = sum(w.upper for w in content)
    return len(content) >= 4 and capitals >= 0.9 * len(content)


def _place_names(tokens: Tokens) -> Iterator[str]:
    """Names the text itself calls places: 'Sabongarin Damri village', 'the villages of Mutunji,
    Kwanar-Dutse and Unguwar Kawo' (folded)."""
    words, gaps = tokens.words, tokens.gaps
    for i, word in enumerate(words):
        if word.key not in PLACE_NOUNS or not word.lower:
            continue
        k = i
        while k and words[k - 1].upper and joined(gaps[k]):
            k -= 1
        if k < i:
            yield fold_phrase(tokens.span(k, i - 1))
        if i + 2 < len(words) and words[i + 1].key == "of" and gaps[i + 1] == " ":
            yield from _listed(tokens, i + 2)


def _listed(tokens: Tokens, k: int) -> Iterator[str]:
    """The capitalised names of a list starting at word ``k``: 'Mutunji, Kwanar-Dutse and Unguwar Kawo'."""
    words, gaps = tokens.words, tokens.gaps
    while k < len(words) and words[k].text[:1].isupper():
        first = k
        while k + 1 < len(words) and words[k + 1].text[:1].isupper() and joined(gaps[k + 1]):
            k += 1
        yield fold_phrase(tokens.span(first, k))
        if k + 1 >= len(words) or gaps[k + 1] not in (", ", " "):
            return
        k += 1
        if words[k].key == "and":
            k += 1
        elif gaps[k] == " ":
            return


def _remember(found: dict[str, Found], short: dict[str, str], name: str, kind: str, sure: bool, sentence: int,
              acronym: str | None) -> str:
    """Add a candidate, or a form of one already found (a surname alone, an acronym given in brackets or
    named before its body: 'Le MSA, le Mouvement pour le salut de l'Azawad'); its key."""
    folded = fold(name)
    key = short.get(folded, folded)
    initials = _initials(folded) if kind != "person" else ""
    if key not in found and kind != "person":
        key = _named_before(found, key)
        if key not in found and initials in found and found[initials].type != "person":
            key = initials
    elif key not in found and " " in name:
        key = _part_of_name(found, key)
    lone = fold(name.split()[-1]) if kind == "person" and " " in name else ""
    if key not in found and lone in found and found[lone].type == "person" and lone not in short:
        key = short[folded] = lone  # 'Kachalla Turji' (the title dropped) before 'Bello Turji': one person
        found[key].name = name
    if key in found:
        entry = found[key]
        if name not in entry.aliases:
            entry.aliases.append(name)
        entry.actor = entry.actor or sure
    else:
        found[key] = Found(name, kind, sentence, [name], sure)
    if found[key].type == "person" and " " in name:
        short.setdefault(fold(name.split()[-1]), key)
    if acronym:
        short[fold(acronym)] = key
    if initials:
        short.setdefault(initials, key)
    return key


def _initials(folded: str) -> str:
    """'msa' for 'mouvement pour le salut de l'azawad', 'nec' for 'national electoral commission' (names
    folded); '' for a name of fewer than two such words."""
    letters = [w[0] for w in WORD.findall(folded) if w not in LINK_WORDS and w not in INITIAL_SKIP]
    return "".join(letters) if len(letters) > 1 else ""


INITIAL_SKIP = frozenset(["and", "et", "pour", "a", "aux", "au", "les", "en", "on", "in"])  # words an acronym leaves out


def _named_before(found: dict[str, Found], key: str) -> str:
    """'Conseil de Médiation et de Sécurité' after 'Conseil ministériel de Médiation et de Sécurité': a body
    named again by fewer of its words, the first kept, is the body named before (its key); so is one named
    by the same words in another order ('Russian Ministry of Defense' after 'Russian Defense Ministry')."""
    words = WORD.findall(key)
    if len(words) < 2:
        return key
    content = set(words) - LINK_WORDS
    for other, entry in found.items():
        longer = WORD.findall(other)
        if entry.type == "person":
            continue
        if longer[0] == words[0] and len(longer) > len(words) and _within(words, longer):
            return other
        if set(longer) - LINK_WORDS == content:
            return other
    return key


def _part_of_name(found: dict[str, Found], key: str) -> str:
    """'Omane Boamah' after 'Edward Omane Boamah', 'Issa Tchiroma' after 'Issa Tchiroma Bakary': a person named
    again by the first or the last words of a longer name named before is that person (its key)."""
    words = WORD.findall(key)
    n = len(words)
    for other, entry in found.items():
        if entry.type == "person":
            longer = WORD.findall(other)
            if len(longer) > n and (longer[:n] == words or longer[-n:] == words):
                return other
    return key


LINK_WORDS = frozenset(["of", "the", "for", "de", "du", "des", "d", "la", "le", "l"])


def _within(short: list[str], long: list[str]) -> bool:
    """Whether the words of ``short`` appear in ``long`` in the same order."""
    rest = iter(long)
    return all(word in rest for word in short)


def _another_name(words: list[Word], first: int) -> bool:
    """'Oumar Sylla, known as Foniké Menguè', 'known by its French acronym CSP': a second name, not a second actor."""
    keys = [w.key for w in words[max(0, first - 2) : first]]
    return keys[-1:] in (["acronym"], ["abbreviation"]) or keys in (["known", "as"], ["dubbed", "as"], ["nicknamed"],
                                                                     ["alias"], ["aka"])


def _defined_acronym(tokens: Tokens, last: int) -> str | None:
    """'Energie du Mali (EDM)': the acronym a name is given in brackets right after it."""
    if last + 1 < len(tokens.words):
        after, gaps = tokens.words[last + 1], tokens.gaps
        if gaps[last + 1] == " (" and gaps[last + 2][:1] == ")" and _is_acronym(after):
            return after.text
    return None


def _to_acronym(tokens: Tokens, first: int, last: int) -> int:
    """The last word of a body's name that runs on, past a word that ended the run, to the acronym in brackets
    its initials spell: 'Mouvement des générations capables (MGC)', "Civic Academy for Africa's Future (CiAAF)"."""
    words, gaps = tokens.words, tokens.gaps
    for k in range(last + 1, min(last + 4, len(words) - 1)):
        if not joined(gaps[k]):
            return last
        acronym = words[k + 1].text  # "CiAAF": capitals spell it, small letters may stand between them
        if gaps[k + 1] == " (" and gaps[k + 2][:1] == ")" and acronym[:1].isupper() and acronym.isalpha():
            spelt = "".join(c for c in acronym if c.isupper()).lower()
            initials = _initials(" ".join(w.key for w in words[first : k + 1] if w.key != "s"))
            return k if initials == spelt else last
    return last


def _block_candidates(tokens: Tokens, names: list[Name], starts: set[int],
                      lower: set[str], matcher: Matcher) -> Iterator[tuple[int, int, str, bool, int | None]]:
    """(first word, last word, type, sure enough to be an actor, first word of a known name taken in)."""
    used: set[int] = set()
    demonyms: set[int] = set()  # a state's demonym may stand inside a French body's name
    by_first: dict[int, Known] = {}
    by_last: dict[int, Known] = {}
    for name in names:  # one loop: most blocks hold a name or two, many none
        first, last, entity, how = name
        used.update(range(first, last + 1))
        if entity:
            by_first[first] = by_last[last] = name  # type: ignore[assignment]
        if how == "demonym" and first == last:
            demonyms.add(first)
    words = tokens.words
    runs = _name_runs(tokens, used, demonyms, starts, lower)
    for run in (part for whole in runs for part in _split(words, whole)):
        before = _before(tokens, run[0])
        first, last, took = _extend(tokens, by_first, by_last, run[0], run[-1], matcher)
        guess = _guess(tokens, list(range(first, last + 1)), before) if took or (first, last) != (run[0], run[-1]) else None
        if guess is None or guess[2] == "person":  # only a body's name takes in a state or a known body
            guess, took = _guess(tokens, run, before), None
        if guess and guess[2] == "organization":
            guess = (guess[0], _portfolios(tokens, guess[0], guess[1]), *guess[2:])
        if guess and guess[2] != "person":
            guess = (guess[0], _to_acronym(tokens, guess[0], guess[1]), *guess[2:])
        if (guess is None or guess[2] == "person") and (_news_agency(tokens, run[-1]) or _named_by_noun(tokens, run)):
            guess = (run[0], run[-1], "organization", True)
        if guess is None or _known_under_another_form(tokens, guess, matcher):
            continue
        if not (guess[0] == guess[1] and guess[2] == "person" and words[guess[0]].key in matcher.surnames):
            yield *guess, took  # a known surname alone ("General Déby" with two Débys known) is no new person


_NICKNAME = re.compile(r" [“\"‘']([^”\"’']{1,30})[”\"’'] (\w+)")


def _known_under_another_form(tokens: Tokens, guess: tuple[int, int, str, bool], matcher: Matcher) -> bool:
    """'Mohamed Hamdan “Hemedti” Dagalo': the words before a quoted nickname open a known person's name;
    'the Rapid Support Service (RSF)': a body given a known body's acronym, and named by the same first
    word, is that body misnamed."""
    first, last, kind, _ = guess
    if kind == "person":
        nick = _NICKNAME.match(tokens.text, tokens.ends[last])  # most names have none: fold nothing
        if not nick:
            return False
        name = fold_phrase(tokens.span(first, last)) + " "
        return any(fold_phrase(form).startswith(name) for person in matcher.surnames.get(fold(nick[2]), ())
                   for form in (matcher.entities[person].name, *matcher.entities[person].aliases))
    acronym = _defined_acronym(tokens, last)
    known = matcher.names.get(acronym.lower(), {}).get(END, ()) if acronym else ()
    return any(t.entity and t.exact == (acronym,) and fold_phrase(matcher.entities[t.entity].name).split()[0]
               == tokens.words[first].key for t in known)


def _news_agency(tokens: Tokens, k: int) -> bool:
    """'Xinhua news agency reported', 'the state-run L'Essor website': a name before the common noun of a
    news outlet is the outlet."""
    return tokens.text.startswith((" news agency", " news service", " newspaper", " website", " daily"), tokens.ends[k])


# Common nouns of a body that the body's own name may follow: "the daily Yoor-Yoor", "the union SYNTRAPEGN".
BODY_NOUNS = frozenset(["quotidien", "journal", "hebdomadaire", "daily", "weekly", "newspaper", "union", "syndicat",
                        "operator", "company"])


def _named_by_noun(tokens: Tokens, run: list[int]) -> bool:
    """'Le quotidien Yoor-Yoor', 'the oil workers' union SYNTRAPEGN', 'le journal Le Pays': a lone name or
    acronym right after the common noun of a body, a French article before it, is that body."""
    k = run[0]
    before = tokens.words[k - 1] if k else None
    name = run[1] if len(run) > 1 and tokens.words[k].key in ("le", "la", "les") else k
    return (before is not None and before.key in BODY_NOUNS and before.text[:1].islower()
            and tokens.gaps[k] == " " and " " not in tokens.span(name, run[-1]))


def _portfolios(tokens: Tokens, first: int, last: int) -> int:
    """The last word of 'Ministry of Communication, Culture, Arts and Tourism': a ministry's name
    lists its portfolios with commas, up to the one after 'and'; so does another body's name when its
    acronym follows the list ('National Commission for Reception, Reintegration and Returnees (CNARR)')."""
    keys = [w.key for w in tokens.words[first : last + 1]]
    if not any(k in ORG_HEADS for k in keys) or not any(k in ("of", "de", "for", "pour") for k in keys):
        return last
    end = _listed_portfolios(tokens, last)
    ministry = any(k in ("ministry", "ministere") for k in keys) and ("of" in keys or "de" in keys)
    return end if ministry or _defined_acronym(tokens, end) else last


def _listed_portfolios(tokens: Tokens, last: int) -> int:
    words, k = tokens.words, last
    while k + 2 < len(words) and tokens.gaps[k + 1] == ", " and words[k + 1].text[:1].isupper():
        k = _portfolio_end(tokens, k + 1)
        after = words[k + 1] if k + 1 < len(words) else None
        if after is not None and after.key in ("and", "et") and k + 2 < len(words) and words[k + 2].text[:1].isupper():
            return _portfolio_end(tokens, k + 2)
    return last


def _portfolio_end(tokens: Tokens, k: int) -> int:
    """The last word of one portfolio starting at word ``k``: 'Modernisation of the Administration'."""
    words, gaps = tokens.words, tokens.gaps
    while k + 1 < len(words) and joined(gaps[k + 1]):
        nxt = k + 1
        while nxt < len(words) and words[nxt].key in OF_WORDS | {"the", "la", "le", "l"} and words[nxt].text[:1].islower():
            nxt += 1
        if nxt >= len(words) or not words[nxt].text[:1].isupper() or not all(
                joined(gaps[a + 1]) for a in range(k, nxt)):
            return k
        k = nxt
    return k


def _split(words: list[Word], run: list[int]) -> list[list[int]]:
    """'Guezouma Sanogo and Boukari Ouoba' are two people and 'FIM FM and Espace TV' two bodies,
    but 'Ministry of Defence and Veterans Affairs' is one: only its first side names a body; 'QRX and
    Kosmos Energy' are two again, an acronym alone on the left."""
    ands = [n for n, k in enumerate(run) if words[k].key == "and"]
    if not ands:
        return _person_of_body(words, run)
    if words[run[0]].key in TITLES and words[run[1]].key in OF_WORDS and all(
            words[k].key in ROLE_WORDS or words[k].key in CONNECTORS for k in run[2 : ands[0]]):
        return [run]  # "Minister of Humanitarian Affairs and Poverty Reduction": an office lists its portfolios
    parts = [run[a + 1 : b] for a, b in zip([-1, *ands], [*ands, len(run)], strict=True)]
    org = [any(words[k].key in ORG_WORDS or words[k].key in GROUP_WORDS for k in part) for part in parts]
    lone = len(parts[0]) == 1 and _is_acronym(words[parts[0][0]])  # "QRX and Kosmos Energy": two bodies
    if any(org) and not all(org) and not lone:
        return [run]
    parts = [list(dropwhile(lambda k: words[k].text[:1].islower(), part)) for part in parts]  # "and the Kayes …"
    return [piece for part in parts if part for piece in _person_of_body(words, part)]


def _person_of_body(words: list[Word], run: list[int]) -> list[list[int]]:
    """'Amadou Sy of the Union of Farmers' names a person and a body: a name of two or more words
    before the first 'of', none of them a body's or an office's word, and a body's name after it,
    or a body's common noun ('Hamadi Sidi El Mokhtar of the Islamist party Tawassoul')."""
    if len(run) < 3:  # most runs: no room for a name of two words and 'of'
        return [run]
    of = next((n for n, k in enumerate(run) if words[k].key == "of"), None)
    if of is None or of < 2:
        return [run]
    head, tail = run[:of], list(dropwhile(lambda k: words[k].text[:1].islower(), run[of + 1 :]))
    office = ORG_WORDS | GROUP_WORDS | TITLES | ROLE_WORDS
    if words[head[0]].key in TITLES and len(head) > 2 and not any(words[k].key in office for k in head[1:]):
        if any(words[k].key in ORG_WORDS or words[k].key in GROUP_WORDS for k in tail):
            return [head, tail]  # "General Moussa Diallo of the Ministry of Defence"
        if 0 < len(tail) < 4 and not any(words[k].key in TITLES for k in tail):
            return [head]  # "Governor Babagana Zulum of Borno", "Emir Muhammadu Sanusi of Kano State": a place
    if any(words[k].key in office or not words[k].text[:1].isupper() for k in head):
        return [run]
    after = run[-1] + 1  # "party" in "of the Islamist party": lowercase, out of the run
    body = [*tail, after] if after < len(words) and words[after].text[:1].islower() else tail
    return [head, tail] if any(words[k].key in ORG_WORDS or words[k].key in GROUP_WORDS for k in body) else [run]


def _extend(tokens: Tokens, by_first: dict[int, Known], by_last: dict[int, Known], first: int, last: int,
            matcher: Matcher) -> tuple[int, int, int | None]:
    """An institution's name may begin with a state or a body the knowledge base knows
    ("Nigerian Customs Service", "ECOWAS Court of Justice") or end with a state ("Bank of Ghana").

    The state keeps its mention; a known body inside a longer name loses it. The block's known
    names come by first and by last word: a long block costs no more per run than a short one.
    """
    words, gaps, took = tokens.words, tokens.gaps, None
    before = by_last.get(first - 1)
    if before and joined(gaps[first]):
        f, _, entity, how = before
        known = matcher.entities[entity]
        if (known.kind == "state" and how != "metonym" and words[f].upper  # not "l'australienne West African Resources"
                or known.type == "organization" and not _possessive(gaps[first])):
            first, took = f, (None if known.kind == "state" else f)
    while after := by_first.get(last + 2):
        _, l, entity, how = after
        if not (matcher.entities[entity].kind == "state" and how in ("name", "alias")
                and words[last + 1].key in OF_WORDS and joined(gaps[last + 1]) and joined(gaps[last + 2])):
            break
        last = l
    return first, last, took


def _possessive(gap: str) -> bool:
    """'the Burkinabè Armed Forces’ Military Justice Battalion': the body before ``gap`` owns the next name."""
    return gap[:1] in ("'", "’")


def _name_runs(tokens: Tokens, used: set[int], demonyms: set[int], starts: set[int],
               lower: set[str]) -> Iterator[list[int]]:
    words, gaps = tokens.words, tokens.gaps
    run: list[int] = []
    for k, word in enumerate(words):
        if not run:  # most words: lowercase, outside any run
            if word.upper and k not in used:
                run.append(k)
            continue
        capital = (word.upper or word.text[0].isdigit()) and k not in used
        link = word.key in CONNECTORS or word.key == "on" and words[run[-1]].key in ORG_HEADS and (
            k + 1 == len(words) or words[k + 1].key not in DATE_WORDS)  # "Commission on Human Rights", not "on Monday"
        if (capital or link and word.lower or _glued(tokens, k)
                or word.lower and k not in used and _french(tokens, run, k)
                or k in demonyms and _demonym_inside(tokens, run, k)) and joined(gaps[k]):
            run.append(k)
            continue
        yield from _trim(run, words, starts, lower)
        run = [k] if capital else []
    yield from _trim(run, words, starts, lower)


def _french(tokens: Tokens, run: list[int], k: int) -> bool:
    """Whether lowercase word ``k`` goes on the French body's name the run opens: 'Conseil constitutionnel',
    'Service d'information du gouvernement', 'Conseil de Médiation et de Sécurité', 'Force en Attente'."""
    words = tokens.words
    if not _french_head(words, run):
        return False
    word, last = words[k], words[run[-1]]
    if word.key in FRENCH_LINKS or word.raw == "à":
        return True
    if word.key == "sur" and (any(words[i].key in RESEARCH_HEADS for i in run[:2])  # "Centre d'analyse sur la …"
                              or any(words[i].key in RESEARCH_WORDS for i in run)):  # "Groupe de recherche … sur"
        return True
    if word.key in ("et", "en"):  # "et de Sécurité", "et aux musulmans", "en Attente"; not "et le gouvernement"
        after = words[k + 1] if k + 1 < len(words) and joined(tokens.gaps[k + 1]) else None
        return after is not None and (after.text[:1].isupper() if word.key == "en" else
                                      after.key in FRENCH_LINKS or after.raw == "à")
    if word.key in DATE_WORDS or word.key in SENTENCE_WORDS:
        return False
    if last.text[:1].islower() and (last.key in FRENCH_LINKS or last.raw == "à"):
        return True  # the noun after a link: "des ministres", "pour la protection"
    if k + 1 < len(words) and words[k + 1].key in FRENCH_OBJECTS and joined(tokens.gaps[k + 1]):
        return False  # "revendique l'attaque", "présidée par"; not "l'Assemblée nationale. Le texte …"
    return word.key in FRENCH_ADJECTIVES or word.raw.endswith(FRENCH_ENDINGS)


def _french_head(words: list[Word], run: list[int]) -> bool:
    for k in run[:3]:  # "The Haute Autorité …", "Selon l'Agence …": the head after what the run will lose
        head = words[k].key
        if head not in SENTENCE_WORDS and head not in CONNECTORS and head not in FRENCH_LINKS:
            return head in FRENCH_HEADS
    return False


def _demonym_inside(tokens: Tokens, run: list[int], k: int) -> bool:
    """Whether the demonym at word ``k`` stands inside the French body's name the run opens, more of the name
    after it: 'Société Mauritanienne des Hydrocarbures', 'Compagnie malienne pour le développement du textile'
    (the state keeps its mention), 'Radiodiffusion Télévision Ivoirienne' written all in capitals; not
    'l'Assemblée nationale malienne', which ends there."""
    words = tokens.words
    if not _french_head(words, run):
        return False
    after = words[k + 1] if k + 1 < len(words) and joined(tokens.gaps[k + 1]) else None
    if after is None:
        return words[k].upper and all(words[i].upper for i in run)
    return after.upper or after.key in FRENCH_LINKS or after.raw == "à"


def _glued(tokens: Tokens, k: int) -> bool:
    """The lowercase rest of one word after an apostrophe: 'al-Ta’ayshi', and the possessive in
    "Sudan People’s Liberation Movement" (but not in "Diallo’s Union of Democratic Forces")."""
    words = tokens.words
    if not k or tokens.gaps[k] not in ("'", "’") or not words[k].text[:1].islower():
        return False
    if words[k - 1].key in ELISIONS:  # "Centre d'études sahéliennes": French elision, the name goes on in lowercase
        return False
    return words[k].key != "s" or words[k - 1].key in POSSESSIVE_IN_NAMES


def _trim(run: list[int], words: list[Word], starts: set[int], lower: set[str]) -> Iterator[list[int]]:
    end = len(run)  # indices, not shorter copies: a run may be a whole paragraph ("The The The …")
    while end and (words[run[end - 1]].key in CONNECTORS or words[run[end - 1]].key in FRENCH_TAIL
                   and words[run[end - 1]].text[:1].islower()):
        end -= 1
    begin = 0
    while begin < end and (_leading_small(words[run[begin]], run[begin] in starts)
                           or run[begin] in starts and (words[run[begin]].key in lower
                                                       or _members_of(words, run, begin, end))):
        if words[run[begin]].key == "new" and any(words[k].key in ORG_WORDS for k in run[begin + 1 : end]):
            break  # "New Telegraph gathered …", "New Patriotic Party said …" open a sentence with a body's name
        begin += 1
    if begin + 1 < end and words[run[begin]].key in ("le", "la", "les", "l") and (
            words[run[begin + 1]].key in FRENCH_HEADS or words[run[begin + 1]].key in FRENCH_FACILITIES):
        begin += 1  # "NIAMEY — Le Conseil supérieur …", "L'Hôpital Gabriel Touré": a French name leaves its article out
    run = run[begin:end]
    if run and not all(words[k].key in STOP_NAMES for k in run):
        yield run


def _members_of(words: list[Word], run: list[int], begin: int, end: int) -> bool:
    """'Students of the Université …' opening a sentence: people of a body, not part of its name."""
    return words[run[begin]].key in MEMBERS and begin + 1 < end and words[run[begin + 1]].key == "of"


def _leading_small(word: Word, starts: bool) -> bool:
    """A word that opens a run without being part of the name: 'The', 'In', 'of'; but 'Bin Diska'
    and, inside a sentence, 'New Patriotic Party' keep their first word."""
    if word.key in CONNECTORS:
        return word.key in OF_WORDS or word.key in SENTENCE_WORDS or not word.text[:1].isupper()
    return word.key in SENTENCE_WORDS and (starts or word.key != "new")


def _guess(tokens: Tokens, run: list[int], before: Word | None) -> tuple[int, int, str, bool] | None:
    """The type of a run of capitalised words, and the words that name the actor."""
    words = tokens.words
    if len(run) == 1 and not _is_acronym(words[run[0]]) and (before is None or before.key not in TITLES):
        return None  # the most common run, a capitalised word: alone it names an actor only as an acronym or after a title
    keys = [words[k].key for k in run]
    last = run[-1]
    if keys[-1] in SHORT_TITLES and last + 1 < len(words) and tokens.gaps[last + 1] == ". " and words[last + 1].upper:
        return None  # "Kwara Gov. AbdulRahman AbdulRazaq", "His Excellency Barr. Caleb Mutfwang": the title before a name
    first = run[0]
    if before is not None and before.key == "on" and first > 1 and joined(tokens.gaps[first - 1]) and (
            words[first - 2].key in TITLES):
        return None  # "Special Adviser on Media and Publicity": the adviser's portfolio
    joined_keys = " ".join(keys)  # keys are folded
    if _dateline(tokens, run) or joined_keys in PLACES or joined_keys in GENERIC_BODIES or joined_keys in GENERIC_FRENCH_BODIES:
        return None
    if keys[-1] == "school" and len(keys) > 1 and keys[-2] in SCHOOL_LEVELS:  # where pupils are, not a body
        return None
    if keys[-1] in NOT_ACTORS and (
            not any(k in ORG_HEADS for k in keys[:-1])  # "Ministry of Mines" is a body
            and not (keys[-2] in LINK_WORDS and any(k in GROUP_WORDS for k in keys[:-2]))  # "Front for the Defence of the Constitution"
            or keys[-1] in FACILITY_NOUNS and keys[-2] not in CONNECTORS):  # "Usmanu Danfodiyo University Teaching Hospital"
        return None
    kind = _body_kind(keys)
    if kind == "office":  # "Minister of Energy Sergei Tsivilev": the person after the office, named in full
        person = _person(tokens, run, before)
        if person and len(person) > 1:
            return person[0], person[-1], "person", True
        body = _office_of(words, run)  # "The Speaker of the Plateau State House of Assembly": the body it serves
        return (body[0], body[-1], "organization", True) if body else None
    body = _office_of(words, run) if kind else None  # "Media Information Officer of Operation Safe Haven"
    if body:
        return body[0], body[-1], _body_kind([words[k].key for k in body]) or kind, True
    end = len(run)
    # "ECOWAS Commission President" is the commission; "the Office of the Special Adviser" ends with its title
    while kind and end > 1 and keys[end - 1] in TITLES and keys[:2] != ["office", "of"]:
        end -= 1
    run, keys = run[:end], keys[:end]
    if kind:  # "Operation Mirador", "New Patriotic Party", "West African Economic and Monetary Union"
        first = run[0]
        if keys[-1] in UNITS and first and tokens.gaps[first] == " " and _NUMBER.fullmatch(words[first - 1].key):
            first -= 1  # a unit's number is part of its name: "the 22nd Infantry Division", "153 Task Force Battalion"
        return (first, run[-1], kind, True) if len(run) > 1 else None
    if keys[0] in NOT_FIRST:
        return None
    if keys[0] in STOP_NAMES and keys[0] in TITLES and len(run) > 2:  # "Dr Aïssata Diallo": no full stop after it
        before, run = words[run[0]], run[1:]
    elif keys[0] in STOP_NAMES:
        return None
    if len(run) == 1 and _is_acronym(words[run[0]]):
        common = (keys[0] in SENTENCE_WORDS or keys[0] in TITLES  # "the NSA": an office, not a body
                  or keys[0].rstrip("0123456789") in NOT_ACRONYMS)  # "CFA144" is an amount
        return None if common else (run[0], run[0], "organization", True)
    if before is not None and before.lower and before.key == "operation":  # "l'opération Hadin Kai": no one's name
        return None
    person = _person(tokens, run, before)
    if (person is None or _place_after(tokens, run[-1]) or person == run and _locative(tokens, run, before)
            or _in_facility_name(tokens, person[0], person[-1])):
        return None
    kind = "organization" if words[person[0]].key == "les" else "person"  # "Les Echos": no one's name opens so
    return person[0], person[-1], kind, True


OFFICE_COMMON = ORG_WORDS | GROUP_WORDS | ROLE_WORDS | CONNECTORS | {"presidential"}  # "Vice President of the Presidential Council"


def _office_of(words: list[Word], run: list[int]) -> list[int] | None:
    """The body's name after an office and 'of': 'Media Information Officer of Operation Safe Haven', 'Speaker of
    the House of Assembly'; None when a portfolio follows ('Minister of Defence') or only an office's common words."""
    of = next((n for n in range(len(run)) if words[run[n]].key == "of"), None)
    if of is None or not of or words[run[of - 1]].key not in TITLES:
        return None
    body = list(dropwhile(lambda k: words[k].text[:1].islower(), run[of + 1 :]))
    keys = [words[k].key for k in body]
    if len(body) < 2 or any(k in TITLES or k.removesuffix("s") in TITLES for k in keys):
        return None
    if all(k in OFFICE_COMMON for k in keys):  # "President of the Council of Ministers", "Director of Defence Media
        return None  # Operations", "Chief of Army Staff": offices, not bodies
    return body if any(k in ORG_WORDS or k in GROUP_WORDS for k in keys) or "house of " in " ".join(keys) else None


def _body_kind(keys: list[str]) -> str | None:
    """'group' or 'organization' when the words name a body, None when they name a person,
    "office" when they name an office: "Oil Minister Mahamane Barke" is a minister and
    "Vice President of the Presidential Council" a title."""
    joined_keys = " ".join(keys)
    kind = "group" if any(k in GROUP_WORDS for k in keys) else "organization" if any(k in ORG_WORDS for k in keys) or (
        "state government" in joined_keys or "house of " in joined_keys) else None  # "Zamfara State Government",
    # "House of Representatives", "National House of Chiefs"; a "State House" is a building
    title = next((n for n in range(len(keys) - 1, -1, -1) if keys[n] in TITLES), None)
    if kind is None or title is None:
        return kind
    bodies = [k in ORG_WORDS or k in GROUP_WORDS for k in keys]
    first = next(n for n in range(len(keys)) if keys[n] in TITLES)  # "Chief of General Staff of the Armed Forces"
    if any(not any(bodies[:t]) and keys[t + 1 : t + 2] and keys[t + 1] in OF_WORDS for t in (first, title)):
        return "office"
    return None if any(bodies[:title]) and title < len(keys) - 1 and not any(bodies[title + 1 :]) else kind


def _person(tokens: Tokens, run: list[int], before: Word | None) -> list[int] | None:
    """The name in 'Education Minister Amadou Sy Savane', 'General Moussa Diallo', 'Ulf Laessing'."""
    words = tokens.words
    k = len(run)
    while k and (_name_word(words[run[k - 1]]) or _glued(tokens, run[k - 1])):
        k -= 1
    begin = k
    while begin < len(run) and words[run[begin]].text[:1].islower():
        begin += 1
    name = run[begin:]
    role = [words[i].key for i in run[:k]]
    if role[1:2] == ["state"] and len(role) > 2:  # "Benue State Governor Hyacinth Alia": a Nigerian state's office
        role = role[2:]
    if role and role[-1] in CONNECTORS:  # "Minister of Humanitarian Affairs and Poverty Reduction": a portfolio
        return None
    titled = any(r in TITLES for r in role) if role else before is not None and before.key in TITLES
    if role and not titled:  # "le ministre de l'Intérieur Mohamed Ahmed Ould Mohamed Lemine": the portfolio's title
        titled = _office_before(tokens, run[0])
    if not name or role and not (titled and all(r in TITLES or r in ROLE_WORDS or r in CONNECTORS or r in ORG_WORDS
                                                for r in role)):
        return None
    if any(words[i].key in STOP_NAMES or words[i].key in PLACE_WORDS or words[i].key[:1].isdigit() for i in name):
        return None
    if words[name[0]].key in NOT_ACTORS or words[name[0]].key in NOT_FIRST:  # "Park W", "Camp Geille"
        return None
    if _transliteration(tokens, run[-1]):
        return None
    if len(name) == 1:
        return name if titled else None
    spaced = any(" " in tokens.gaps[k] for k in name[1:])  # the gaps inside the name
    size = sum(words[i].text[:1].isupper() and words[i].key not in PARTICLES for i in name)  # "Hamadi Ould Sidi El Mokhtar"
    return name if spaced and size <= 5 else None  # "Idriss Mahmat Ali Abdallah Nassouri"


def _office_before(tokens: Tokens, k: int) -> bool:
    """Whether a lowercase title and its links come right before word ``k``: 'ministre de l'', 'ministre des'."""
    words, gaps = tokens.words, tokens.gaps
    j = k - 1
    while j >= 0 and words[j].key in LINK_WORDS and joined(gaps[j + 1]):
        j -= 1
    return j < k - 1 and j >= 0 and words[j].lower and words[j].key in TITLES and joined(gaps[j + 1])


def _transliteration(tokens: Tokens, last: int) -> bool:
    """'Jama’a Nusrat ul-Islam wa al-Muslimin': capitals before Arabic link words name a group, not a person."""
    words, gaps = tokens.words, tokens.gaps
    after = words[last + 1] if last + 1 < len(words) else None
    return (after is not None and after.key in ARABIC_LINKS and gaps[last + 1] == " "
            and (after.key in ("ul", "wa", "lid") or gaps[last + 2][:1] == "-"))


def _locative(tokens: Tokens, name: list[int], before: Word | None) -> bool:
    """'relatives in Birnin Kebbi', 'la base libyenne de Maaten al-Sarra': two capitalised words right after
    'in' or 'à', with no title, name a place; after 'de' only when a place noun comes just before it, as
    'de' mostly owns: 'le groupe de Youssou Ndour'."""
    words = tokens.words
    if before is None or tokens.gaps[name[0]] != " ":  # ``before`` is the word just before the name
        return False
    if sum(words[k].text[:1].isupper() for k in name) != 2:
        return False
    link = before.raw.lower()  # "In Birnin Kebbi, …" too
    k = name[0] - 1  # the index of ``before``
    return link in ("in", "à") or link == "de" and any(w.key in PLACE_NOUNS or w.key in FRENCH_PLACE_NOUNS
                                                      for w in words[max(0, k - 2) : k])


def _place_after(tokens: Tokens, last: int) -> bool:
    """'Modibo Keita Senou airport', 'the Loulo Gounkoto mine': the name of a place, not of an actor."""
    after = tokens.words[last + 1] if last + 1 < len(tokens.words) else None
    return (after is not None and after.text[:1].islower() and after.key in NOT_ACTORS
            and tokens.gaps[last + 1] == " ")


def _in_facility_name(tokens: Tokens, first: int, last: int) -> bool:
    """Whether the person's name from word ``first`` to ``last`` is part of the name of a place or building:
    'Stade Amadou Gon Coulibaly', 'le boulevard Thomas Sankara', 'l'aéroport international Modibo Keïta',
    'Amadou Gon Coulibaly Stadium', 'the Thomas Sankara boulevard', 'Aminu Kano Teaching Hospital'."""
    words, gaps = tokens.words, tokens.gaps
    k = first - 1
    while k >= 0 and joined(gaps[k + 1]):
        word = words[k]
        if word.key in FRENCH_FACILITIES:
            article = words[k - 1] if k and joined(gaps[k]) else None
            if word.upper or article is not None and article.key in FRENCH_ARTICLES:
                return True
            break
        if word.key not in FACILITY_ADJECTIVES:
            break
        k -= 1
    k = last + 1
    while k < len(words) and joined(gaps[k]):
        word = words[k]
        if word.key in (FACILITY_NAMES if word.upper else FACILITY_NOUNS):
            return True
        if word.key not in FACILITY_ADJECTIVES:
            break
        k += 1
    return False


def _name_word(word: Word) -> bool:
    if word.text[:1].islower():
        return word.key in PARTICLES
    return word.key not in TITLES and word.key not in ROLE_WORDS and not _is_acronym(word)


def _is_acronym(word: Word) -> bool:
    """'ORTM', 'M23', 'G5': two to eight capitals or digits, at least two of them capitals."""
    text = word.text
    if not 2 <= len(text) <= 8 or not text.isupper():  # most words: no need to read them character by character
        return False
    return sum(c.isupper() for c in text) >= 2 and all(c.isupper() or c.isdigit() for c in text)


def _dateline(tokens: Tokens, run: list[int]) -> bool:
    """'MAIGATARI, Jigawa State —': a place in capitals opening a wire story."""
    return (run[0] == 0 and all(tokens.words[k].text.isupper() for k in run)
            and tokens.text[tokens.ends[run[-1]] :].lstrip()[:1] in ",(—–-")
