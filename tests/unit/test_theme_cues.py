"""Theme cues of the real knowledge base on short texts: what a story is about, and what a passing word is not."""

from pathlib import Path

import pytest

from sahel_site.content import parse_article
from sahel_site.extract import compile_matcher, extract
from sahel_site.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def matcher():
    kb, problems = load_knowledge(ROOT)
    assert [p for p in problems if not p.warning] == []
    return compile_matcher(kb)


def themes(title, body, matcher):
    article, problems = parse_article(f"---\ntitle: \"{title}\"\ndate: 2026-01-01\n---\n{body}\n", "a.md", "a")
    assert not problems
    return {t.theme for t in extract(article, matcher).themes}


@pytest.mark.parametrize("title, body, present, absent", [
    ("Fishing boat capsizes off Nouadhibou",
     ("Forty migrants died at sea when their pirogue capsized on Sunday. The survivors included three unaccompanied "
     "children, the International Organization for Migration said. More migrants take the Atlantic route each year."),
     {"humanitarian_crisis"}, set()),
    ("A colonel seeks a mandate",
     ("The junta leader filed his candidacy for the presidential election on Monday. He had pledged not to run when "
     "he seized power, and the ruling military council had promised a civilian vote."),
     {"coups_and_military_rule"}, set()),
    ("Ouagadougou hardens its tone",
     ("The captain accused France of interfering in the country's internal affairs. He called Paris the former "
     "colonial power and vowed to defend the nation's sovereignty."),
     {"sovereignty_and_anticolonial_rhetoric"}, set()),
    ("Rebels ambush an army convoy near Kidal",
     ("Tuareg rebels ambushed a convoy of soldiers on Tuesday. The rebel alliance said the ambush left twenty dead, "
     "and the army said it would retake the rebel-held wells."),
     {"separatist_rebellion"}, {"jihadist_insurgency_and_counterterrorism"}),
    ("Gunmen kill villagers in Borno",
     ("Gunmen slaughtered eleven villagers at dawn. Residents said the attackers summarily executed the men of the "
     "village and burnt the granaries."),
     {"human_rights_and_civilian_harm"}, set()),
    ("New drones for the army",
     ("The government received armed drones to strengthen the fight against terrorism. Officers said the drones "
     "would track terrorist groups across the north. Ministers praised Ankara as a reliable partner. The two "
     "armies signed a military cooperation accord."),
     {"arms_transfers", "jihadist_insurgency_and_counterterrorism", "defense_cooperation"}, set()),
    ("Two dead in election protests",
     ("A student died in the protests, a relative told RFI. Police fired on the crowd, the victim's brother told RFI, "
      "and civil society groups called a strike. The postponed presidential election was the cause of the unrest."),
     {"elections_and_democratic_governance"}, {"press_freedom_and_civic_space"}),
    ("Ankara and Bamako",
     ("The minister praised cooperation in the field of defence and security. He called Türkiye one of Mali's "
      "strategic partners."),
     {"defense_cooperation"}, set()),
    ("N'Djamena ends the pact",
     ("The government ended the accord, and Paris will pull its troops out by January. The last French troops gave "
      "logistical support to the army, and officials called the accord a relic of France's colonial role. The "
      "minister said the country would assert its sovereignty."),
     {"foreign_force_withdrawal", "sovereignty_and_anticolonial_rhetoric"}, set()),
    ("The blue helmets leave Kidal",
     ("The junta demanded the withdrawal of the United Nations mission last year. The UN peacekeeping forces handed "
      "their camp to the army on Tuesday."),
     {"foreign_force_withdrawal"}, set()),
    # French copy carries the same themes through French cue words.
    ("La junte prolonge la transition",
     ("Le chef de la junte a annoncé la prolongation de la transition de cinq ans. Les militaires au pouvoir avaient "
      "promis un retour à l'ordre constitutionnel et des élections en février."),
     {"coups_and_military_rule"}, set()),
    ("Embuscade djihadiste près de Djibo",
     ("Des djihadistes ont tendu une embuscade à un convoi de l'armée. Le bilan fait état de douze soldats tués, et "
      "le groupe a revendiqué l'attaque contre une base militaire voisine."),
     {"jihadist_insurgency_and_counterterrorism"}, set()),
    ("Des milliers de déplacés à Dori",
     ("Les déplacés internes affluent vers la ville, où l'insécurité alimentaire s'aggrave. Les organisations "
      "humanitaires réclament un accès humanitaire aux villages assiégés."),
     {"humanitarian_crisis"}, set()),
    ("La radio suspendue",
     ("Le gouvernement a ordonné la suspension de la diffusion de la radio. Les journalistes dénoncent une atteinte "
      "à la liberté de la presse et à la liberté d'informer."),
     {"press_freedom_and_civic_space"}, set()),
    ("Les casques bleus s'en vont",
     ("Le Conseil de sécurité a voté la fin de la mission. Le retrait des casques bleus devra être achevé en "
      "décembre, après le départ des troupes françaises."),
     {"foreign_force_withdrawal"}, set()),
    ("Niamey dénonce l'ancienne puissance coloniale",
     ("Le général accuse la France d'ingérence dans les affaires intérieures du pays. Il promet de défendre la "
      "souveraineté nationale face à l'ancienne puissance coloniale."),
     {"sovereignty_and_anticolonial_rhetoric"}, set()),
    ("Pénurie de carburant à Bamako",
     ("Les camions-citernes n'arrivent plus et le prix de l'essence a doublé. Le blocus économique frappe les "
      "routes d'approvisionnement du pays."),
     {"economy_and_resources"}, set()),
    ("Conakry prolonge",
     ("Arrivé au pouvoir par un coup d'État, le colonel s'était engagé à rendre le pouvoir aux civils. Prévue pour "
      "décembre 2024, la transition a été prolongée."),
     {"coups_and_military_rule"}, set()),
    ("Niamey ferme les vannes",
     "La brouille entre les deux voisins s'accentue. Niamey refuse de rouvrir sa frontière avec le Bénin.",
     {"regional_blocs_and_diplomacy"}, set()),
    # Jets and equipment leaving are no arms transfer; "armés" (armed) is not "armes" (weapons).
    ("Les Mirage quittent N'Djamena",
     ("Deux avions de chasse ont quitté la base mardi. Le retour des équipements militaires a commencé, loin des "
      "groupes armés."),
     set(), {"arms_transfers"}),
    ("Refugees pour into Chad",
     ("Thousands fleeing the war are spilling into Chad. Aid agencies say neighbouring countries cannot cope as the "
      "fighting spread to the border towns."),
     {"regional_spillover"}, set()),
    ("Bandits raid farming villages",
     ("Gunmen killed five farmers and were burning homes in the village. The raid was a reprisal for the killing of "
      "two gang members."),
     {"human_rights_and_civilian_harm"}, set()),
    ("Moscow's new foothold",
     ("Russia is expanding its influence in the Sahel. Bamako and Niamey have ended their alliances with Paris and "
      "strengthened their ties with Moscow."),
     {"great_power_competition"}, set()),
    ("Junta delays the vote",
     "The junta extended the transition period to 2029. The move delays the country's return to democratic governance.",
     {"coups_and_military_rule"}, set()),
    ("Raid on a displaced camp",
     ("Gunmen killed one person while about forty tents in the camp were burnt down. Nine people were killed in a "
      "nearby village, where houses were burned down."),
     {"human_rights_and_civilian_harm"}, set()),
    # A common cue word capitalised inside a body's name is that body's name, not the theme
    ("Oil exports halted at the border",
     ("The junta promised a return to democratic governance. Jean Dossou, director of the Centre for Research and "
      "Opinion Polls, puts the daily losses at two million dollars."),
     set(), {"elections_and_democratic_governance"}),
    # One clear sentence among many that name the theme: the junta in every paragraph
    ("A critic taken from his office",
     ("The junta summoned the doctor on Monday. The junta's agents took him from the hospital. Critics of the junta "
      "say he was conscripted. The junta leader did not comment. Lawyers wrote to the junta twice. The junta has "
      "not answered. Rights groups say the junta silences dissent."),
     {"coups_and_military_rule"}, set()),
    # French cues that fold onto English words ("scrutin", "départ", "exécuté") say nothing in English copy
    ("Under scrutiny",
     ("The State Department said the deal faces international scrutiny. In essence, the chief executive will decide "
      "before his departure, and the department of mines is under scrutiny too."),
     set(), {"elections_and_democratic_governance", "foreign_force_withdrawal", "human_rights_and_civilian_harm"}),
    # A French cue spelt like an English word weighs little in English copy: "inciting insurrection" is no jihadism.
    ("The minister warns separatists",
     ("The minister warned that anyone inciting insurrection would be prosecuted. Separatists in the west attacked "
      "a school."),
     set(), {"jihadist_insurgency_and_counterterrorism"}),
    # Weapons sent or flown to a side in a war, and a war of words between two governments
    ("Khartoum accuses its neighbour",
     ("Khartoum accused its neighbour of arming the paramilitaries. Officials said foreign backers send weapons "
      "across the desert, and a panel of experts found evidence of weapons flights to a remote airstrip."),
     {"arms_transfers"}, set()),
    ("A row between two capitals",
     ("The two governments are locked in a war of words. The foreign minister called the general's remarks a "
      "declaration of war and summoned his ambassador."),
     {"regional_blocs_and_diplomacy"}, set()),
    ("Women attacked on the road",
     ("Women said they were raped by fighters on the road. Witnesses said the gunmen raped villagers who resisted."),
     {"human_rights_and_civilian_harm"}, set()),
    ("Internet cut after the vote",
     ("Mobile internet was cut across the country on Tuesday. The authorities cut the internet to stop protesters "
      "sharing videos, an official said."),
     {"press_freedom_and_civic_space"}, set()),
    # An outlet quoted as a source says nothing of press freedom
    ("The president's last hours",
     ("The president told Jeune Afrique he had been arrested in his office. Officials told TV5Monde the borders were "
      "closed and the army was in control."),
     set(), {"press_freedom_and_civic_space"}),
    # French: fighters crossing the border at will
    ("Les jihadistes passent la frontière",
     ("Les combattants traversent la frontière à leur guise. Ils ont franchi la frontière et se replient dans la "
      "zone frontalière."),
     {"regional_spillover"}, set()),
    # A diplomat quoted as a source, the top of the state and public diplomacy are no regional diplomacy
    ("Debt talks drag on",
     ("A Western diplomat said the figures were alarming. Diplomats in Dakar expect a deal by March. Another "
      "diplomat called the audit courageous."),
     set(), {"regional_blocs_and_diplomacy"}),
    ("Le tandem se divise",
     ("La crise met à l'épreuve le tandem au sommet de l'État. Un diplomate européen résume l'équation. La "
      "diplomatie publique du Kremlin inonde les réseaux sociaux."),
     set(), {"regional_blocs_and_diplomacy"}),
    # Deaths in protests are civilian harm; a closed political space and banned gatherings are civic space
    ("Protests over the delayed vote turn deadly",
     "A student died during protests on Friday, the ministry said. Police fired tear gas at the crowd.",
     {"human_rights_and_civilian_harm"}, set()),
    ("L'opposant condamné",
     ("Le verdict parachève la fermeture de l'espace politique. Les rassemblements sont interdits depuis le mois "
      "de mai."),
     {"press_freedom_and_civic_space"}, set()),
    # Migrants expelled are no foreign force leaving
    ("Les expulsés s'entassent à Assamaka",
     "Des milliers de migrants expulsés d'Algérie arrivent chaque mois. Les expulsés dorment dehors, sous des bâches.",
     set(), {"foreign_force_withdrawal"}),
    ("Migrants expelled into the desert",
     "Algeria expelled thousands of migrants to the border. The expulsion left many stranded without water.",
     set(), {"foreign_force_withdrawal"}),
    ("La junte chasse Barkhane",
     "La junte a exigé l'expulsion des troupes de l'opération. Le gouvernement a expulsé les forces spéciales en décembre.",
     {"foreign_force_withdrawal"}, set()),
    # A drone shot down is no arms transfer; drones supplied by a named country are
    ("Sahel alliance recalls envoys after drone downing",
     ("The alliance blamed Algeria for the downing of a Malian drone. Algiers said the drone had violated its "
      "airspace, and Bamako said the drone was shot down inside its territory."),
     set(), {"arms_transfers"}),
    ("Destruction d'un drone malien",
     "Le drone a été abattu près de la frontière. L'Algérie affirme avoir intercepté un drone de reconnaissance.",
     set(), {"arms_transfers"}),
    ("Les drones turcs prennent le relais",
     "L'armée dispose désormais de drones turcs. La Turquie a également livré des drones au Niger.",
     {"arms_transfers"}, set()),
    # People and fighters crossing into a neighbour carry the spillover; a border crossing (the place) does not
    ("Refugees pour across border",
     ("About 18,000 people crossed into Chad in the first week of November. Officials expect thousands more to "
      "cross into the eastern provinces before the rains end."),
     {"regional_spillover"}, set()),
    ("Trucks wait at the border",
     "The crossing into Niger is officially open but closed in practice. Traders wait for days at the crossing.",
     set(), {"regional_spillover"}),
    # Diplomats expelled are a diplomatic row; blaming France is sovereignty talk; a base overrun is no cooperation
    ("Paris expulse deux diplomates",
     ("La France a expulsé en représailles deux diplomates maliens. L'arrestation violait la convention de Vienne "
      "sur les relations diplomatiques. Les relations entre Bamako et Paris sont rompues."),
     {"regional_blocs_and_diplomacy"}, set()),
    ("Bamako accuse un Français",
     ("Pour le chercheur, accuser la France est devenu un réflexe. Cela permet de ressouder l'opinion autour de "
      "la souveraineté nationale."),
     {"sovereignty_and_anticolonial_rhetoric"}, set()),
    ("Insurgents overrun an army base",
     ("Fighters overran a military base in Marte on Monday. It was the seventh attack on a military base in Borno "
      "since March. The army said it would retake the town with the Multinational Joint Task Force."),
     set(), {"defense_cooperation"}),
    # Internet cut, parties' activities suspended, licences withdrawn; a post without term limits
    ("Internet perturbé à Lomé",
     ("L'accès à Internet a été fortement perturbé, selon l'observatoire NetBlocks. Deux partis ont vu leurs "
      "activités suspendues."),
     {"press_freedom_and_civic_space"}, set()),
    ("Parties suspended before the vote",
     ("Two opposition parties had their activities suspended in August. Several radio stations had their licences "
      "withdrawn last year."),
     {"press_freedom_and_civic_space"}, set()),
    ("Un poste taillé sur mesure",
     ("Le président occupe désormais un poste sans limitation de mandat. La réforme constitutionnelle a fait "
      "basculer le pays dans un régime parlementaire."),
     {"elections_and_democratic_governance"}, set()),
    # Weapons spreading and smuggled across a region are arms transfers
    ("Weapons flow into Bawku",
     ("The spread of automatic weapons has made the feud deadlier. Soldiers recovered rifles and ammunition, among "
      "them smuggled weapons from across the border."),
     {"arms_transfers"}, set()),
    # A cue written with a comma matches the same words with their comma
    ("Disarming the north",
     ("The accord provides for the disarmament, demobilization and reintegration of rebel fighters. The rebels "
      "have yet to hand in their rifles."),
     {"separatist_rebellion"}, set()),
    # A state's territorial integrity defended against a foreign power is a sovereignty claim
    ("Abuja answers Washington",
     ("The government welcomed help against terrorism as long as it recognised Nigeria's territorial integrity. "
      "Beijing said it opposed any interference in the country's internal affairs."),
     {"sovereignty_and_anticolonial_rhetoric"}, set()),
    ("Niamey répond à Paris",
     ("Le gouvernement a dénoncé une atteinte à l'intégrité territoriale du pays. Il rejette toute ingérence dans "
      "ses affaires intérieures."),
     {"sovereignty_and_anticolonial_rhetoric"}, set()),
    # An ambassador at a ceremony is no dispute; ambassadors recalled, in the plural, are
    ("A lithium mine opens",
     ("The president inaugurated the mine, flanked by China's ambassador. The Chinese ambassador praised the "
      "project. The ambassador of Australia also attended."),
     set(), {"regional_blocs_and_diplomacy"}),
    ("Sahel states recall envoys",
     ("Mali, Burkina Faso and Niger recalled their ambassadors from Algiers. Algeria then recalled its ambassadors "
      "from the three capitals. Ambassadors of the region met."),
     {"regional_blocs_and_diplomacy"}, set()),
    # Every party dissolved at once
    ("A decree read on state television",
     ("The junta announced the dissolution of all political parties. Niger's rulers had dissolved all political "
      "parties in March."),
     {"press_freedom_and_civic_space"}, set()),
    # Kidnappings for ransom are no insurgency: a story of bandits' kidnappings citing Chibok once is not about jihadists
    ("Gunmen abduct pupils",
     ("Gunmen kidnapped 300 pupils from a school on Friday. Kidnapping gangs, known as bandits, raid villages for "
      "ransom. The kidnappers have not called. More kidnappings followed in Kebbi. Parents begged the kidnappers "
      "to free the children. School kidnappings began in 2014, when Boko Haram militants abducted girls in Chibok."),
     {"human_rights_and_civilian_harm"}, {"jihadist_insurgency_and_counterterrorism"}),
    # Refusing to police Europe's borders, and foreign powers blamed, are sovereignty claims
    ("Le Niger abroge la loi sur les migrants",
     ("La loi avait été votée sous l'influence de puissances étrangères, selon la junte. « Le Niger n'est le "
      "gendarme de personne. Nous gérons les flux selon nos propres intérêts », a dit le ministre."),
     {"sovereignty_and_anticolonial_rhetoric"}, set()),
    # A group pushing south into the coastal states, and Benin's northern departments, carry the spillover
    ("JNIM claims an attack",
     ("The group has increasingly pushed south into Benin and Togo. Soldiers died in the Alibori and Atacora "
      "departments this year."),
     {"regional_spillover"}, set()),
    # Taking back 'our riches' is a sovereignty claim in French, as 'our resources' is in English
    ("Mines d'or : l'État reprend deux mines",
     ("« Nous posons un acte de souveraineté », a dit le Premier ministre. Le chef de l'État veut « reprendre le "
      "contrôle de nos richesses »."),
     {"sovereignty_and_anticolonial_rhetoric"}, set()),
])
def test_themes(title, body, present, absent, matcher):
    found = themes(title, body, matcher)
    assert present <= found
    assert not absent & found
