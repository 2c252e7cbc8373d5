"""Catalogue entries: participation indicators of brief §5.2 (resident survey) and §5.3 (registrations, events).

Written for a coordinator: the German description says what the number tells, the formula says in
words how it is computed, including who is counted and who is not.
"""

from __future__ import annotations

from etl.indicators.catalogue import CHANGE_RULE_DE, CHANGE_RULE_EN, Indicator

_WEIGHTING_DE = (
    " Gezählt werden vollständige Antworten ab dem Mindestalter der Befragung; die Antworten sind nach Alter "
    "und Geschlecht auf die Einwohnerschaft ab 14 Jahren gewichtet (ohne Bevölkerungsdaten ungewichtet)."
)
_WEIGHTING_EN = (
    " Complete responses from the survey's minimum age are counted, weighted by age and gender to the "
    "population aged 14+ (unweighted without population data)."
)
_SURVEY_DE = (
    _WEIGHTING_DE + " Das 95-%-Konfidenzintervall (Wilson, effektive Fallzahl nach Kish) zeigt, wie sicher der "
    "Wert ist." + CHANGE_RULE_DE
)
_SURVEY_EN = (
    _WEIGHTING_EN
    + " The 95 % confidence interval (Wilson, Kish effective sample size) shows how certain the value is."
    + CHANGE_RULE_EN
)
_AGREE_DE = "Anteil der Antworten 4 oder 5 („stimme eher zu“, „stimme voll zu“) an allen Antworten 1–5, gewichtet."
_AGREE_EN = "Share of answers 4 or 5 (agree, fully agree) among all answers 1–5, weighted."
_ACTIVE_DE = (
    "Eine Registrierung ist im Jahr J aktiv, wenn sie spätestens am 31.12. des Jahres J begann und nicht vor "
    "dem 1.1. des Jahres J endete."
)
_ACTIVE_EN = "A registration is active in year Y if it started by 31 Dec of Y and did not end before 1 Jan of Y."


def _survey_rate(
    id: str,
    name_de: str,
    name_en: str,
    what_de: str,
    what_en: str,
    formula_de: str,
    formula_en: str,
    principle: str,
    breakdowns: tuple[str, ...],
) -> Indicator:
    return Indicator(
        id=id,
        family="participation",
        name_de=name_de,
        name_en=name_en,
        description_de=what_de + _SURVEY_DE,
        description_en=what_en + _SURVEY_EN,
        formula_de=formula_de,
        formula_en=formula_en,
        unit="share",
        principle=principle,
        source_kind="resident_survey",
        breakdowns=breakdowns,
        higher_is_better=True,
    )


PARTICIPATION: tuple[Indicator, ...] = (
    _survey_rate(
        "engagement_rate",
        "Engagementquote",
        "Engagement rate",
        "Wie viele Einwohnerinnen und Einwohner sich in den letzten 12 Monaten freiwillig engagiert haben.",
        "How many residents volunteered in the last 12 months.",
        "Anteil mit ENG1 = Ja an allen, die ENG1 mit Ja oder Nein beantwortet haben, gewichtet.",
        "Share with ENG1 = yes among all who answered ENG1 yes or no, weighted.",
        "P2, P3",
        ("age_band", "gender", "district", "edu", "mig"),
    ),
    _survey_rate(
        "willingness_rate",
        "Engagementbereitschaft",
        "Willingness to volunteer",
        "Wie viele der derzeit nicht Engagierten sich künftig sicher oder vielleicht engagieren würden: das "
        "Potenzial, das die Stadt noch gewinnen kann.",
        "How many of those not volunteering now would certainly or maybe volunteer in future: the potential "
        "the town can still win.",
        "Anteil mit WILL = 1 (sicher) oder 2 (vielleicht) an allen Nicht-Engagierten (ENG1 = Nein), die WILL "
        "beantwortet haben, gewichtet.",
        "Share with WILL = 1 (certainly) or 2 (maybe) among the non-engaged (ENG1 = no) who answered WILL, weighted.",
        "P2, W1",
        ("age_band", "gender"),
    ),
    Indicator(
        id="hours_per_month",
        family="participation",
        name_de="Engagementstunden pro Monat",
        name_en="Volunteering hours per month",
        description_de="Wie viele Stunden im Monat sich Engagierte typischerweise engagieren (gewichteter Median: "
        "die Hälfte engagiert sich höchstens so viele Stunden)." + _WEIGHTING_DE,
        description_en="How many hours a month volunteers typically give (weighted median: half give at most "
        "this many hours)." + _WEIGHTING_EN,
        formula_de="Gewichteter Median von ENG2 unter den Engagierten (ENG1 = Ja): der kleinste Wert, bei dem "
        "die aufsteigend sortierten Gewichte die Hälfte des Gesamtgewichts erreichen.",
        formula_en="Weighted median of ENG2 among the engaged (ENG1 = yes): the smallest value whose cumulative "
        "weight, values sorted ascending, reaches half the total weight.",
        unit="hours",
        principle="P2",
        source_kind="resident_survey",
        breakdowns=(),
        higher_is_better=True,
    ),
    _survey_rate(
        "participation_rate",
        "Beteiligungsquote",
        "Participation rate",
        "Wie viele in den letzten 12 Monaten an einem Beteiligungsformat (z. B. Bürgerdialog) teilgenommen haben.",
        "How many took part in a participation format (e.g. a citizens' dialogue) in the last 12 months.",
        "Anteil mit PART = Ja an allen, die PART mit Ja oder Nein beantwortet haben, gewichtet.",
        "Share with PART = yes among all who answered PART yes or no, weighted.",
        "P2, W1",
        ("age_band", "gender", "district"),
    ),
    _survey_rate(
        "ease_agree",
        "Engagement ist einfach",
        "Volunteering is easy",
        "Wie viele der Aussage „Es ist in unserer Stadt einfach, sich zu engagieren.“ zustimmen.",
        "How many agree that it is easy to volunteer in the town.",
        "EASE: " + _AGREE_DE,
        "EASE: " + _AGREE_EN,
        "W1",
        ("age_band", "gender", "district"),
    ),
    _survey_rate(
        "info_agree",
        "Informiert über Engagement",
        "Informed about volunteering",
        "Wie viele der Aussage „Ich weiß, wo ich mich über Engagementmöglichkeiten informieren kann.“ zustimmen.",
        "How many agree that they know where to find information on volunteering opportunities.",
        "INFO: " + _AGREE_DE,
        "INFO: " + _AGREE_EN,
        "W3",
        ("age_band", "gender"),
    ),
    _survey_rate(
        "recognition_agree",
        "Anerkennung des Engagements",
        "Recognition of volunteering",
        "Wie viele der Aussage „Freiwilliges Engagement wird in unserer Stadt anerkannt.“ zustimmen.",
        "How many agree that volunteering is recognised in the town.",
        "RECOG: " + _AGREE_DE,
        "RECOG: " + _AGREE_EN,
        "W3",
        (),
    ),
    _survey_rate(
        "office_awareness",
        "Bekanntheit der Koordinierungsstelle",
        "Awareness of the coordination office",
        "Wie viele die Koordinierungsstelle für Engagement kennen.",
        "How many know the coordination office for civic engagement.",
        "Anteil mit KNOW = Ja an allen, die KNOW mit Ja oder Nein beantwortet haben, gewichtet.",
        "Share with KNOW = yes among all who answered KNOW yes or no, weighted.",
        "W4",
        ("age_band",),
    ),
    Indicator(
        id="engagement_area_share",
        family="participation",
        name_de="Engagementbereiche",
        name_en="Areas of engagement",
        description_de="In welchen Bereichen (SQ001–SQ014 des Fragebogens, z. B. Sport, Soziales, Kultur) sich die "
        "Engagierten engagieren; Mehrfachnennungen möglich, die Anteile ergeben daher zusammen mehr als 100 %."
        + _SURVEY_DE,
        description_en="In which areas (SQ001–SQ014 of the questionnaire, e.g. sport, social, culture) volunteers "
        "are engaged; several answers allowed, so the shares add up to more than 100 %." + _SURVEY_EN,
        formula_de="Je Bereich: Anteil der Engagierten (ENG1 = Ja), die den Bereich in ENG3 genannt haben, an "
        "allen Engagierten, gewichtet.",
        formula_en="Per area: share of the engaged (ENG1 = yes) who named the area in ENG3, among all engaged, "
        "weighted.",
        unit="share",
        principle="P2, P3",
        source_kind="resident_survey",
        breakdowns=("area",),
        higher_is_better=None,
    ),
    Indicator(
        id="registered_volunteers",
        family="participation",
        name_de="Registrierte Freiwillige",
        name_en="Registered volunteers",
        description_de="Wie viele verschiedene Personen im Jahr über die Freiwilligenplattform aktiv engagiert "
        "waren. Alter, Geschlecht, Bereich und Stadtteil stammen aus der letzten im Jahr aktiven Registrierung "
        "der Person; wer eine Angabe nicht gemacht hat, zählt in der Summe, aber in dieser Aufschlüsselung nicht.",
        description_en="How many different persons were actively registered on the volunteer platform in the "
        "year. Age, gender, area and district come from the person's latest registration active in the year; "
        "someone without that detail counts in the total but not in that breakdown.",
        formula_de="Anzahl verschiedener Personen mit mindestens einer aktiven Registrierung im Jahr J. "
        + _ACTIVE_DE
        + " Alter = J − Geburtsjahr.",
        formula_en="Number of distinct persons with at least one active registration in year Y. "
        + _ACTIVE_EN
        + " Age = Y − birth year.",
        unit="count",
        principle="P2",
        source_kind="registrations",
        breakdowns=("age_band", "gender", "area", "district"),
        higher_is_better=True,
    ),
    Indicator(
        id="registered_per_1000",
        family="participation",
        name_de="Registrierte Freiwillige je 1.000 Einwohner",
        name_en="Registered volunteers per 1,000 inhabitants",
        description_de="Registrierte Freiwillige im Verhältnis zur Einwohnerzahl ab 14 Jahren, damit Städte "
        "unterschiedlicher Größe vergleichbar sind.",
        description_en="Registered volunteers relative to the population aged 14+, so that towns of different "
        "size can be compared.",
        formula_de="Registrierte Freiwillige im Jahr J / Einwohner ab 14 Jahren im Jahr J (sonst im letzten "
        "früheren Jahr mit Bevölkerungsdaten) × 1.000. Je Stadtteil: die Freiwilligen mit diesem Stadtteil / "
        "die Einwohner ab 14 Jahren des Stadtteils × 1.000; n = Freiwillige des Stadtteils.",
        formula_en="Registered volunteers in year Y / population aged 14+ in year Y (else the latest earlier year "
        "with population data) × 1,000. Per district: the volunteers with that district / the district's "
        "population aged 14+ × 1,000; n = the district's volunteers.",
        unit="per_1000",
        principle="P2",
        source_kind="registrations, population",
        breakdowns=("district",),
        higher_is_better=True,
    ),
    Indicator(
        id="new_volunteers",
        family="participation",
        name_de="Neue Freiwillige",
        name_en="New volunteers",
        description_de="Wie viele Personen sich im Jahr zum ersten Mal registriert haben.",
        description_en="How many persons registered for the first time in the year.",
        formula_de="Anzahl verschiedener Personen, deren erste Registrierung (in dieser Stadt) im Jahr J liegt.",
        formula_en="Number of distinct persons whose first registration (in this town) falls in year Y.",
        unit="count",
        principle="P2",
        source_kind="registrations",
        breakdowns=(),
        higher_is_better=True,
    ),
    Indicator(
        id="retention_rate",
        family="participation",
        name_de="Bindungsquote",
        name_en="Retention rate",
        description_de="Wie viele der im Vorjahr aktiven Freiwilligen auch in diesem Jahr aktiv sind.",
        description_en="How many of the volunteers active in the previous year are still active this year.",
        formula_de="Anteil der im Jahr J−1 aktiven Personen, die auch im Jahr J aktiv sind; n = im Jahr J−1 aktive "
        "Personen. " + _ACTIVE_DE,
        formula_en="Share of the persons active in year Y−1 who are also active in year Y; n = persons active in "
        "Y−1. " + _ACTIVE_EN,
        unit="share",
        principle="P2",
        source_kind="registrations",
        breakdowns=(),
        higher_is_better=True,
    ),
    Indicator(
        id="representation_index",
        family="participation",
        name_de="Repräsentationsindex",
        name_en="Representation index",
        description_de="Ob eine Gruppe (Altersgruppe, Geschlecht, Stadtteil) unter den registrierten Freiwilligen "
        "so stark vertreten ist wie in der Einwohnerschaft: 1 = entsprechend ihrem Anteil, unter 1 = "
        "unterrepräsentiert (diese Gruppe erreichen wir noch zu wenig), über 1 = überrepräsentiert.",
        description_en="Whether a group (age band, gender, district) is as present among registered volunteers "
        "as in the population: 1 = in proportion, below 1 = under-represented (a group we do not reach well "
        "yet), above 1 = over-represented.",
        formula_de="(Anteil der Gruppe an den registrierten Freiwilligen ab 14 Jahren, deren Merkmal bekannt ist) / "
        "(Anteil der Gruppe an den Einwohnern ab 14 Jahren im Jahr J, sonst im letzten früheren Jahr); nur für "
        "Gruppen, die in der Bevölkerungsstatistik vorkommen; n = Freiwillige der Gruppe.",
        formula_en="(Group's share among registered volunteers aged 14+ whose value is known) / (group's share of "
        "the population aged 14+ in year Y, else the latest earlier year); only groups present in the population "
        "statistics; n = volunteers of the group.",
        unit="index",
        principle="W1",
        source_kind="registrations, population",
        breakdowns=("age_band", "gender", "district"),
        higher_is_better=None,
    ),
    Indicator(
        id="events",
        family="participation",
        name_de="Veranstaltungen",
        name_en="Events",
        description_de="Wie viele Beteiligungsformate und Netzwerktreffen im Jahr stattfanden.",
        description_en="How many participation formats and network meetings took place in the year.",
        formula_de="Anzahl der Veranstaltungen mit Datum im Jahr J.",
        formula_en="Number of events dated in year Y.",
        unit="count",
        principle="P3",
        source_kind="events",
        breakdowns=("format",),
        higher_is_better=True,
        suppress=False,
    ),
    Indicator(
        id="event_participants",
        family="participation",
        name_de="Teilnehmende an Veranstaltungen",
        name_en="Event participants",
        description_de="Wie viele Teilnahmen die Veranstaltungen des Jahres zusammen hatten (eine Person, die zu "
        "zwei Veranstaltungen kommt, zählt zweimal).",
        description_en="How many attendances the year's events had in total (a person attending two events "
        "counts twice).",
        formula_de="Summe der Teilnehmendenzahlen aller Veranstaltungen im Jahr J, soweit angegeben; n = Anzahl "
        "der Veranstaltungen.",
        formula_en="Sum of the participant counts of all events in year Y, where given; n = number of events.",
        unit="count",
        principle="P3",
        source_kind="events",
        breakdowns=("format",),
        higher_is_better=True,
        suppress=False,
    ),
    Indicator(
        id="multi_sector_event_share",
        family="participation",
        name_de="Sektorübergreifende Veranstaltungen",
        name_en="Cross-sector events",
        description_de="Wie viele Veranstaltungen Teilnehmende aus mindestens drei der vier Bereiche "
        "Zivilgesellschaft, Politik, Verwaltung und Wirtschaft zusammenbrachten.",
        description_en="How many events brought together participants from at least three of the four sectors "
        "civil society, politics, administration and business.",
        formula_de="Anteil der Veranstaltungen im Jahr J mit Teilnehmenden aus ≥ 3 der 4 Sektoren an allen "
        "Veranstaltungen des Jahres; eine leere Anzahl zählt als 0.",
        formula_en="Share of the events in year Y with participants from ≥ 3 of the 4 sectors among all events "
        "of the year; an empty count counts as 0.",
        unit="share",
        principle="P1, W2",
        source_kind="events",
        breakdowns=(),
        higher_is_better=True,
        suppress=False,
    ),
)
