"""Fictional names for the demo source folder: towns, districts, persons, organisations, activities.

Everything here is invented so that a demo warehouse can be shown in public without anyone mistaking
it for real data; e-mail addresses use the reserved ``example.*`` domains and IP addresses the
documentation ranges of RFC 5737, so nothing in the demo can reach or name a real person.
"""

from __future__ import annotations

import unicodedata

# The first three are fixed so that a default demo (three towns) always looks the same.
FIXED_TOWNS = ("Musterstadt", "Beispielhausen", "Fiktivingen")
TOWN_PREFIXES = (
    "Muster",
    "Beispiel",
    "Fiktiv",
    "Erfunden",
    "Proben",
    "Modell",
    "Schein",
    "Traum",
    "Platzhalter",
    "Exempel",
    "Vorlagen",
    "Entwurf",
)
TOWN_SUFFIXES = (
    "stadt",
    "hausen",
    "ingen",
    "feld",
    "au",
    "burg",
    "heim",
    "dorf",
    "berg",
    "hagen",
    "tal",
    "brück",
)

DISTRICT_NAMES = (
    "Altstadt",
    "Nordviertel",
    "Südstadt",
    "Oststadt",
    "Weststadt",
    "Am Bahnhof",
    "Neubaugebiet Lindenhof",
    "Hafenviertel",
)

FIRST_NAMES = (
    "Maria",
    "Anna",
    "Lena",
    "Sophie",
    "Leonie",
    "Petra",
    "Sabine",
    "Ursula",
    "Fatma",
    "Ayşe",
    "Jana",
    "Katharina",
    "Monika",
    "Emine",
    "Olga",
    "Hannah",
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Jonas",
    "Lukas",
    "Mehmet",
    "Klaus",
    "Jürgen",
    "Dieter",
    "Paul",
    "Felix",
    "Ali",
    "Dmitri",
    "Tobias",
    "Karl",
)
LAST_NAMES = (
    "Mustermann",
    "Beispiel",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Yılmaz",
    "Kaya",
    "Nowak",
    "Krüger",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Köhler",
)
MAIL_DOMAINS = ("example.org", "example.net", "example.com", "mail.example", "post.example")

# Freiwilligensurvey engagement areas, in the order of ENG3[SQ001]…ENG3[SQ014].
ENGAGEMENT_AREAS = (
    "Sport und Bewegung",
    "Kultur und Musik",
    "Freizeit und Geselligkeit",
    "Sozialer Bereich",
    "Gesundheitsbereich",
    "Schule oder Kindergarten",
    "Außerschulische Jugendarbeit oder Bildungsarbeit für Erwachsene",
    "Umwelt, Naturschutz oder Tierschutz",
    "Politik und politische Interessenvertretung",
    "Berufliche Interessenvertretung außerhalb des Betriebs",
    "Kirchlicher oder religiöser Bereich",
    "Justiz und Kriminalitätsprobleme",
    "Unfall- oder Rettungsdienst oder freiwillige Feuerwehr",
    "Sonstiger bürgerschaftlicher Bereich",
)

# The same areas in the English texts of the questionnaire (same order: SQ001 … SQ014).
ENGAGEMENT_AREAS_EN = (
    "Sport and exercise",
    "Culture and music",
    "Leisure and social life",
    "Social services",
    "Health",
    "School or kindergarten",
    "Youth work outside school or adult education",
    "Environment, nature conservation or animal welfare",
    "Politics and political advocacy",
    "Professional advocacy outside the workplace",
    "Church or religion",
    "Justice and crime",
    "Accident or rescue services or volunteer fire brigade",
    "Other civic area",
)

ACTIVITIES = (
    "Hausaufgabenhilfe",
    "Übungsleitung",
    "Fahrdienst",
    "Vorlesepatenschaft",
    "Integrationslotse",
    "Besuchsdienst",
    "Kassenführung",
    "Ausgabe Lebensmittel",
    "Veranstaltungshelfer",
    "Sprachcafé",
    "Gartenpflege",
    "Digitalpatenschaft",
    "Begleitung Arztbesuche",
    "Einsatzdienst",
)

# Organisation name templates per sector; "{town}" is replaced by the town's name.
ORGANISATIONS = {
    "civil_society": (
        "Freiwilligenagentur {town} e.V.",
        "TSV {town} 1896 e.V.",
        "Freiwillige Feuerwehr {town}",
        "Tafel {town} e.V.",
        "Bürgerstiftung {town}",
        "Kulturverein Alte Mühle e.V.",
        "Mehrgenerationenhaus {town}",
        "Nachbarschaftshilfe {town} e.V.",
        "Förderverein Grundschule Nord",
        "Heimat- und Geschichtsverein {town}",
        "NABU-Gruppe {town}",
        "Evangelische Kirchengemeinde {town}",
        "Katholische Pfarrei St. Martin",
        "Jugendzentrum Funkhaus e.V.",
        "Seniorenbeirat {town}",
        "Deutsch-Türkischer Kulturverein {town}",
        "Repair-Café {town}",
        "Musikverein Harmonie {town}",
        "Elterninitiative Kita Sonnenschein",
        "Sozialverband Ortsgruppe {town}",
    ),
    "administration": (
        "Stadtverwaltung {town} – Büro Bürgermeister/in",
        "Amt für Soziales und Integration",
        "Jugendamt {town}",
        "Kulturamt {town}",
        "Volkshochschule {town}",
        "Quartiersmanagement Südstadt",
        "Stabsstelle Bürgerbeteiligung",
    ),
    "politics": (
        "Ausschuss für Soziales und Ehrenamt",
        "Ratsfraktion Bürgerliste",
        "Ratsfraktion Zukunft {town}",
        "Ortsbeirat Altstadt",
    ),
    "business": (
        "Sparkasse {town}-Land (fiktiv)",
        "Stadtwerke {town} GmbH",
        "Wohnungsbaugenossenschaft {town} eG",
        "Bäckerei Mustermann",
        "Gewerbeverein {town} e.V.",
        "Autohaus Beispiel GmbH",
    ),
}

EVENT_FORMATS = (
    "Bürgerdialog",
    "Netzwerktreffen",
    "Engagementmesse",
    "Workshop",
    "Ehrenamtsempfang",
    "Zukunftswerkstatt",
    "Quartiersspaziergang",
    "Fortbildung",
)
EVENT_TITLE_PARTS = (
    "Süd",
    "Nord",
    "Altstadt",
    "Frühjahr",
    "Herbst",
    "Jugend",
    "Ältere Menschen",
    "Klimaschutz",
    "Nachbarschaft",
    "Grünflächen",
    "Öffentlicher Raum",
    "Zusammenhalt",
)

COMMENT_TEMPLATES = (
    "Ich heiße {first} {last} und würde gern beim Sprachcafé helfen, schreiben Sie mir: {mail}",
    "Bitte melden Sie sich bei mir ({first} {last}, Tel. {phone}), ich habe Fragen zum Ehrenamt.",
    "Mehr Infos zu Veranstaltungen bitte an {mail}. Viele Grüße, {first}",
    "Die Stadt sollte Vereine besser unterstützen. {first} {last}",
    "Ich pflege meine Mutter und habe keine Zeit mehr für den Verein, leider.",
    "In unserer Straße macht {first} {last} so viel für alle, das sollte die Stadt würdigen!",
    'Das "Fest der Vereine" war toll.\nBitte öfter so etwas! Gruß {first} {last}, {phone}',
)


def town_names(count: int) -> list[str]:
    """``count`` distinct fictional town names: the three fixed ones first, then prefix-suffix pairs."""
    names = list(FIXED_TOWNS)
    for suffix in TOWN_SUFFIXES:
        for prefix in TOWN_PREFIXES:
            candidate = prefix + suffix
            if candidate not in names:
                names.append(candidate)
    if count > len(names):
        base = list(names)
        names.extend(f"{name} an der Demo" for name in base)
        # a network four times today's (issue 13): appended, so smaller demos keep their names
        names.extend(f"{name} am Demosee" for name in base)
    if count > len(names):
        raise ValueError(f"Höchstens {len(names)} Demo-Orte möglich, verlangt: {count}")
    return names[:count]


def slug(name: str) -> str:
    """An ASCII file-name part for a town: umlauts transliterated, spaces and dashes as ``_``."""
    text = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "_" for c in text).strip("_")
