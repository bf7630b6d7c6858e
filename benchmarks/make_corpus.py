"""Write a deterministic synthetic corpus of news-analysis articles.

    python benchmarks/make_corpus.py N DIR

writes N articles into ``DIR/content/articles/`` (sahel-site), the same
articles into ``DIR/hugo/`` (a Hugo site) and ``DIR/pelican/`` (a Pelican
site), and copies the repository's ``content/site.yml`` and
``content/knowledge/`` into ``DIR/content/``. Article *i* depends only on *i*,
so a corpus of 100 is the first 100 articles of a corpus of 1000, and the same
N always gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIRST_DATE = dt.date(2020, 1, 6)
DATE_SPAN_DAYS = 2300  # keeps every date in the past, so Hugo builds them all


@dataclass(frozen=True, slots=True)
class State:
    name: str
    demonym: str
    capital: str
    leader: str
    title: str


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    title: str
    date: dt.date
    summary: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    body: str


SAHEL = (
    State("Mali", "Malian", "Bamako", "Assimi Goïta", "Colonel"),
    State("Burkina Faso", "Burkinabe", "Ouagadougou", "Ibrahim Traoré", "Captain"),
    State("Niger", "Nigerien", "Niamey", "Abdourahamane Tiani", "General"),
)
COASTAL = (
    State("Nigeria", "Nigerian", "Abuja", "Bola Tinubu", "President"),
    State("Chad", "Chadian", "N'Djamena", "Mahamat Idriss Déby", "President"),
    State("Senegal", "Senegalese", "Dakar", "Bassirou Diomaye Faye", "President"),
    State("Côte d'Ivoire", "Ivorian", "Abidjan", "Alassane Ouattara", "President"),
    State("Ghana", "Ghanaian", "Accra", "John Mahama", "President"),
    State("Togo", "Togolese", "Lomé", "Faure Gnassingbé", "President"),
    State("Benin", "Beninese", "Porto-Novo", "Patrice Talon", "President"),
    State("Guinea", "Guinean", "Conakry", "Mamadi Doumbouya", "General"),
    State("Mauritania", "Mauritanian", "Nouakchott", "Mohamed Ould Ghazouani", "President"),
)
POWERS = (
    State("Russia", "Russian", "Moscow", "Vladimir Putin", "President"),
    State("France", "French", "Paris", "Emmanuel Macron", "President"),
    State("United States", "American", "Washington", "the Secretary of State", "US"),
    State("China", "Chinese", "Beijing", "Xi Jinping", "President"),
    State("Türkiye", "Turkish", "Ankara", "Recep Tayyip Erdoğan", "President"),
)
PROSE_NAMES = {"United States": "the United States"}
BLOCS = (
    "ECOWAS",
    "the CEDEAO",
    "the African Union",
    "the UN",
    "the EU",
    "the UN Security Council",
)
ARMED_GROUPS = ("JNIM", "Islamic State Sahel")
PMCS = ("the Wagner Group", "Africa Corps", "Russia's Africa Corps")
FORMER_MISSIONS = ("MINUSMA", "the EU training mission", "Operation Barkhane")
PLACES = {
    "Mali": ("Kidal", "Gao", "Timbuktu", "Ménaka", "Mopti", "Ségou", "Kayes", "Nioro du Sahel"),
    "Burkina Faso": ("Djibo", "Dori", "Fada N'Gourma", "Kaya", "Ouahigouya", "Arbinda"),
    "Niger": ("Tillabéri", "Agadez", "Diffa", "Tahoua", "Arlit", "Ouallam"),
}
SHARED_PLACES = ("the Liptako-Gourma", "the tri-border area")
TOPICS = (
    "security cooperation",
    "gold mining royalties",
    "uranium exports",
    "food prices",
    "displacement",
    "drone strikes",
    "the transition timetable",
    "press freedom",
    "a fuel blockade",
    "border closures",
    "grain deliveries",
    "debt talks",
    "electricity supply",
    "military recruitment",
    "customs revenue",
    "cotton exports",
)
ANALYSTS = (
    "Aïssata Diallo",
    "Moussa Konaté",
    "Hélène Dubois",
    "Kwame Mensah",
    "Fatimata Ouédraogo",
    "Ibrahim Maïga",
    "Chloé Martin",
    "Oumar Sy",
    "Ngozi Adeyemi",
    "Séverine Lefèvre",
    "Adama Coulibaly",
    "Mariam Touré",
)
INSTITUTES = (
    "the Sahel Policy Centre",
    "the Dakar Institute for Security Studies",
    "the Abuja Governance Lab",
    "the Centre d'études sahéliennes",
    "the West Africa Conflict Observatory",
)
HEDGES = (
    "critics argue",
    "officials insist",
    "diplomats say privately",
    "local observers note",
    "several analysts warn",
    "government supporters counter",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

TITLES = (
    "{dem} junta tightens grip on {topic} as {power} courts {capital}",
    "{leader} and {power_cap}: what the {capital} talks mean for {topic}",
    "{group_cap} pressure grows around {place} despite {dem} offensive",
    "{bloc_cap} and the AES: a widening rift over {topic}",
    "Why {state} is rethinking {topic} after the {month} summit",
    "{power_dem} influence in {state}: beyond the headlines on {topic}",
    "From {place} to {capital}: the human cost of {topic}",
    "{leader}'s gamble on {topic} meets resistance in {place}",
)
LEADS = (
    (
        "**{leader}** has spent the past {num} weeks trying to convince {dem} citizens "
        "and foreign partners alike that the situation around {topic} is under control."
    ),
    (
        "**The meeting in {capital}** was meant to reassure {bloc}, but it left more "
        "questions than answers about {topic}."
    ),
    (
        "**Few issues divide the region as sharply as {topic}**, and the latest "
        "decisions in {capital} have only sharpened that divide."
    ),
    (
        "**When {group} fighters reached the outskirts of {place} in {month}**, the "
        "{dem} authorities responded with a mix of force and silence."
    ),
)
SENTENCES = (
    (
        "{title} {leader} told state television that {state} would not accept "
        "lessons from {power}, a line that has become familiar since {year}."
    ),
    (
        "In {capital}, officials describe the agreement with {power} as a matter of "
        "sovereignty, while {hedge} that it deepens dependence on {power_dem} goodwill."
    ),
    (
        "The {dem} army says it has retaken positions near {place}, but independent "
        "sources report that {group} still controls the roads after dark."
    ),
    (
        "{bloc_cap} has repeatedly called for a return to constitutional order, and "
        "its envoys met {title} {leader} in {month} without any public result."
    ),
    (
        "Since the departure of {mission}, humanitarian agencies estimate that about "
        "{num},000 people have fled the area around {place}."
    ),
    (
        "{power_cap} has offered help with {topic} on terms that {other_dem} diplomats "
        "call *generous but opaque*, and the details remain unpublished."
    ),
    (
        "Traders in {other_capital} say that the dispute over {topic} has already "
        "moved prices on the markets, with staples up by roughly {num} per cent."
    ),
    (
        "{analyst}, a researcher at {institute}, argues that the real contest is not "
        "military but fiscal, and that the fight over {topic} will decide who can pay soldiers."
    ),
    (
        "{group_cap} claimed an attack on a convoy between {place} and {other_place}, "
        "a claim that the {dem} ministry of defence has neither confirmed nor denied."
    ),
    (
        "Relations between {state} and {other_state} have cooled since the {month} "
        "border incident, even though trade across the frontier never fully stopped."
    ),
    (
        "The deployment of {pmc} instructors was presented in {capital} as a "
        "training mission, yet residents of {place} describe armed patrols and arrests."
    ),
    (
        "{other_leader} has positioned {other_state} as a mediator, hosting quiet "
        "talks that included envoys from {capital} and from {bloc}."
    ),
    (
        "According to figures cited by {institute}, spending linked to {topic} took "
        "nearly {num} per cent of the {dem} budget last year."
    ),
    (
        "{hedge_cap} that the rhetoric of {title} {leader} hides a narrower goal: "
        "keeping the transition in place well beyond the promised elections."
    ),
    (
        "Students in {other_capital} staged a small protest over {topic}, a rare "
        "sight since the authorities suspended the activities of political parties."
    ),
    (
        "{power_dem} and {other_power_dem} officials both visited {capital} within "
        "a fortnight, a sign that {state} is keeping more than one door open."
    ),
    (
        "In {power_capital}, {power_leader} received a {dem} delegation and promised "
        "help with {topic}, without saying who would pay for it."
    ),
    (
        "The {other_dem} press has followed the debate over {topic} closely, because "
        "{other_state} depends on the same roads and the same ports as {state}."
    ),
    (
        "A convoy of fuel trucks bound for {capital} was stopped near {place} for "
        "{num} hours, and drivers say {group} fighters checked their papers."
    ),
    (
        "ECOWAS insists that its door remains open, but the {dem} authorities "
        "have answered that the Alliance of Sahel States (AES) is now their first forum."
    ),
    (
        "Local officials in {place} complain that decisions on {topic} are taken in "
        "{capital} without consultation, and that their budgets arrived {num} weeks late."
    ),
    (
        "The withdrawal of French troops in {year} left a gap that {pmc} was quick "
        "to fill, at least in the garrison towns of {place} and {other_place}."
    ),
    (
        "{analyst} of {institute} points out that the {other_dem} government has "
        "kept its ambassador in {capital} throughout the crisis."
    ),
    (
        "{power_dem} contractors are said to be studying projects near {other_place}, "
        "though no contract has been published in the official gazette."
    ),
    (
        "Radio stations in {place} were ordered off the air for {num} days after "
        "broadcasting an interview with a spokesman for {group}."
    ),
    (
        "Observers from the UN and the African Union have asked for access to "
        "{place}, so far without a reply from {capital}."
    ),
    (
        "{title} {leader} presented the plan as a step for the AES confederation, "
        "whose leaders in Bamako, Ouagadougou and Niamey now coordinate on {topic}."
    ),
)
BULLETS = (
    "{bloc_cap} meets again in {month} to review sanctions and {topic}.",
    "{group_cap} remains active around {place} and {other_place}.",
    "{power_cap} and {state} signed a memorandum on {topic}.",
    "Aid convoys to {place} are delayed by {num} days on average.",
    "{other_state} reopened its border post with {state} for goods only.",
    "A {dem} delegation is expected in {power_capital} before the rainy season.",
)
QUOTES = (
    (
        "> “We will not trade our sovereignty for aid,” {title} {leader} said in "
        "{capital}, to applause from the assembled officers."
    ),
    (
        "> “The question is not whether {power} stays, but on what terms,” said "
        "{analyst} of {institute}."
    ),
    (
        "> “Every week without a road to {place} costs lives,” a humanitarian "
        "coordinator in {other_capital} told reporters."
    ),
)
OUTLOOK = (
    "What happens next depends on {topic} as much as on the battlefield.",
    "*Whatever the outcome*, the balance between {capital} and {bloc} has shifted.",
    "For the people of {place}, the debate in {power_capital} feels very distant.",
    "The next test will come when {bloc} meets in {month}.",
)
PARAGRAPH_SENTENCES = (3, 4, 4, 3, 4, 3)
AUTHORS = ANALYSTS[:8] + ("Jane Doe", "Amadou Ba", "Léa Fournier", "Yaw Boateng")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def slugify(text: str) -> str:
    """ASCII kebab-case: accents dropped, everything else not alphanumeric is a dash."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c.lower() if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words)


def draw_slots(rng: random.Random, home: State, topic: str) -> dict[str, str]:
    """Slot values around the article's `home` state and `topic`: a neighbour, two powers, …"""
    other = rng.choice(COASTAL + tuple(s for s in SAHEL if s != home))
    power, other_power = rng.sample(POWERS, 2)
    power_name = PROSE_NAMES.get(power.name, power.name)
    place, other_place = rng.sample(PLACES[home.name] + SHARED_PLACES, 2)
    bloc, group = rng.choice(BLOCS), rng.choice(ARMED_GROUPS)
    hedge = rng.choice(HEDGES)
    return {
        "state": home.name,
        "dem": home.demonym,
        "capital": home.capital,
        "leader": home.leader,
        "title": home.title,
        "other_state": other.name,
        "other_dem": other.demonym,
        "other_capital": other.capital,
        "other_leader": other.leader,
        "power": power_name,
        "power_cap": _cap(power_name),
        "power_dem": power.demonym,
        "power_capital": power.capital,
        "power_leader": power.leader,
        "other_power_dem": other_power.demonym,
        "bloc": bloc,
        "bloc_cap": _cap(bloc),
        "group": group,
        "group_cap": _cap(group),
        "pmc": rng.choice(PMCS),
        "mission": rng.choice(FORMER_MISSIONS),
        "place": place,
        "other_place": other_place,
        "topic": topic,
        "analyst": rng.choice(ANALYSTS),
        "institute": rng.choice(INSTITUTES),
        "hedge": hedge,
        "hedge_cap": _cap(hedge),
        "month": rng.choice(MONTHS),
        "year": str(rng.randint(2020, 2024)),
        "num": str(rng.randint(3, 60)),
    }


def paragraph(rng: random.Random, templates: list[str], home: State, topic: str) -> str:
    """Sentences on the article's state and topic, other slots drawn afresh per sentence."""
    return " ".join(t.format(**draw_slots(rng, home, topic)) for t in templates)


def make_table(rng: random.Random) -> str:
    states = rng.sample(SAHEL + COASTAL, 4)
    rows = [
        f"| {s.name} | {s.capital} | {rng.randint(2, 95)} | {rng.choice(('↑', '↓', '='))} |"
        for s in states
    ]
    return "\n".join(("| State | Capital | Score | Trend |", "| --- | --- | ---: | :---: |", *rows))


def make_body(rng: random.Random, home: State, topic: str) -> str:
    """About 700 words of Markdown: lead, three sections, a list, a table, a quote."""
    slots = draw_slots(rng, home, topic)
    # Each template at most once per article, dealt out over six paragraphs.
    deck = rng.sample(SENTENCES, sum(PARAGRAPH_SENTENCES))
    cuts = [sum(PARAGRAPH_SENTENCES[:n]) for n in range(len(PARAGRAPH_SENTENCES) + 1)]
    lead, back1, back2, change1, change2, outlook = (
        paragraph(rng, deck[a:b], home, topic) for a, b in itertools.pairwise(cuts)
    )
    link = f"https://example.org/reports/{slugify(topic)}"
    bullets = "\n".join(f"- {b.format(**slots)}" for b in rng.sample(BULLETS, 4))
    steps = "\n".join(f"{n}. {o.format(**slots)}" for n, o in enumerate(rng.sample(OUTLOOK, 3), 1))
    blocks = (
        rng.choice(LEADS).format(**slots) + " " + lead,
        "## Background",
        back1,
        back2,
        "Key points so far:",
        bullets,
        "## What changed",
        change1 + f" A [recent report on {topic}]({link}) sets out the figures in detail.",
        f"Exposure to {topic}, scored from 0 to 100 by {slots['institute']}:",
        make_table(rng),
        rng.choice(QUOTES).format(**slots),
        change2,
        "## Outlook",
        outlook,
        steps,
    )
    return "\n\n".join(blocks) + "\n"


def make_article(index: int) -> Article:
    """Article number `index`, the same on every run and for every N."""
    rng = random.Random(f"sahel-site corpus article {index}")
    home, topic = rng.choice(SAHEL), rng.choice(TOPICS)
    slots = draw_slots(rng, home, topic)
    title = rng.choice(TITLES).format(**slots)
    tags = sorted({slots["state"], slots["other_state"], slots["power"], _cap(topic)})
    return Article(
        slug=f"{slugify(title)}-{index:05d}",
        title=title,
        date=FIRST_DATE + dt.timedelta(days=rng.randrange(DATE_SPAN_DAYS)),
        summary=rng.choice(SENTENCES).format(**slots),
        tags=tuple(tags),
        authors=tuple(rng.sample(AUTHORS, rng.randint(1, 2))),
        body=make_body(rng, home, topic),
    )


def _list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"


def yaml_front_matter(a: Article) -> str:
    """Front-matter read by sahel-site and Hugo alike (JSON strings are valid YAML)."""
    return (
        "---\n"
        f"title: {json.dumps(a.title, ensure_ascii=False)}\n"
        f"date: {a.date.isoformat()}\n"
        f"slug: {a.slug}\n"
        f"summary: {json.dumps(a.summary, ensure_ascii=False)}\n"
        f"tags: {_list(a.tags)}\n"
        f"authors: {_list(a.authors)}\n"
        "---\n\n"
    )


def pelican_header(a: Article) -> str:
    return (
        f"Title: {a.title}\nDate: {a.date.isoformat()}\nSlug: {a.slug}\n"
        f"Summary: {a.summary}\nTags: {', '.join(a.tags)}\n"
        f"Authors: {', '.join(a.authors)}\n\n"
    )


HUGO_CONFIG = """\
baseURL = "/"
title = "Corpus"
languageCode = "en"
relativeURLs = true

[taxonomies]
tag = "tags"

[permalinks]
posts = "/articles/:slug/"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>{{ .Title }} · {{ site.Title }}</title></head>\n<body>\n"
        '<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>\n'
        '{{ block "main" . }}{{ end }}\n</body>\n</html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<main data-pagefind-body><article>\n<h1>{{ .Title }}</h1>\n'
        '<p>{{ .Date.Format "2 January 2006" }} · {{ delimit .Params.authors ", " }}</p>\n'
        '{{ .Content }}\n<ul>{{ range .GetTerms "tags" }}'
        '<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>\n'
        "</article></main>{{ end }}\n"
    ),
    "_default/list.html": (
        '{{ define "main" }}<main>\n<h1>{{ .Title }}</h1>\n<ul>{{ range .Pages }}\n'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>'
        "{{ end }}\n</ul>\n</main>{{ end }}\n"
    ),
}
PELICAN_CONFIG = """\
SITENAME = "Corpus"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
"""


def write_files(files: dict[Path, str]) -> None:
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


def article_files(root: Path, a: Article) -> dict[Path, str]:
    """The article as a sahel-site, a Hugo and a Pelican source file."""
    return {
        root / "content" / "articles" / f"{a.slug}.md": yaml_front_matter(a) + a.body,
        root / "hugo" / "content" / "posts" / f"{a.slug}.md": yaml_front_matter(a) + a.body,
        root / "pelican" / "content" / f"{a.slug}.md": pelican_header(a) + a.body,
    }


def site_files(root: Path) -> dict[Path, str]:
    files = {
        root / "hugo" / "hugo.toml": HUGO_CONFIG,
        root / "pelican" / "pelicanconf.py": PELICAN_CONFIG,
    }
    for name, text in HUGO_LAYOUTS.items():
        files[root / "hugo" / "layouts" / name] = text
    return files


def copy_site_config(root: Path) -> None:
    """The repository's site.yml and knowledge base, or a minimal stand-in."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    site_yml = REPO / "content" / "site.yml"
    if site_yml.is_file():
        shutil.copyfile(site_yml, content / "site.yml")
    else:
        (content / "site.yml").write_text("title: Corpus\nbase_url: /\n", encoding="utf-8")
    knowledge = REPO / "content" / "knowledge"
    shutil.rmtree(content / "knowledge", ignore_errors=True)
    if knowledge.is_dir():
        shutil.copytree(knowledge, content / "knowledge")
    else:
        print(f"warning: {knowledge} is missing; corpus has no knowledge base", file=sys.stderr)


def make_corpus(count: int, root: Path) -> None:
    """Write `count` articles and the three site configurations under `root`."""
    for folder in ("content/articles", "hugo/content/posts", "pelican/content"):
        shutil.rmtree(root / folder, ignore_errors=True)
    copy_site_config(root)
    write_files(site_files(root))
    for index in range(count):
        write_files(article_files(root, make_article(index)))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: make_corpus.py N DIR", file=sys.stderr)
        return 2
    make_corpus(int(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
