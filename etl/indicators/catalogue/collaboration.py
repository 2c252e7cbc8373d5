"""Catalogue entries: collaboration (partner survey, brief §5.4) and measures of the goal plan (§5.5).

The texts are what a coordinator reads next to a number in the dashboard and the council report, so they
say what the number means for the town, not how it is stored. Network figures count organisations: an
aggregate over fewer than ``min_cell`` organisations is suppressed like any other (§6). The two measure
figures count measures, not persons, and are never suppressed.
"""

from __future__ import annotations

from etl.indicators.catalogue import CHANGE_RULE_DE, CHANGE_RULE_EN, Indicator

_PARTNER = "partner_survey"
_NETWORK = "P1, W2"
_SHARE_CI_DE = (
    " Das 95-%-Intervall (Wilson) beruht auf der Zahl der antwortenden Organisationen; jede zählt einmal."
    + CHANGE_RULE_DE
)
_SHARE_CI_EN = (
    " The 95 % interval (Wilson) rests on the number of responding organisations; each counts once." + CHANGE_RULE_EN
)
_PAST_MEASURES_DE = (
    " Für frühere Jahre (Stand 31.12.) ist der Wert aus dem heutigen Maßnahmenplan erschlossen: Eine heute "
    "umgesetzte Maßnahme gilt ab ihrem Fälligkeitsdatum als erledigt, eine heute offene war auch vorher offen, "
    "abgebrochene zählen nie. Früh erledigte Maßnahmen erscheinen daher bis zur Fälligkeit als offen."
)
_PAST_MEASURES_EN = (
    " For past years (as of 31 Dec) the value is inferred from today's action plan: a measure done today counts "
    "as done from its due date, one open today was open before, cancelled ones never count. Measures finished "
    "early therefore show as open until their due date."
)

COLLABORATION: tuple[Indicator, ...] = (
    Indicator(
        id="network_density",
        family="collaboration",
        name_de="Netzwerkdichte",
        name_en="Network density",
        description_de=(
            "Wie eng das lokale Netzwerk geknüpft ist: Anteil aller möglichen Paare von Organisationen der "
            "Organisationsliste, die mindestens vierteljährlich Kontakt haben. 1 hieße: jede arbeitet mit jeder."
        ),
        description_en=(
            "How closely knit the local network is: share of all possible pairs of listed organisations that "
            "are in contact at least quarterly. 1 would mean every organisation works with every other."
        ),
        formula_de=(
            "2 × Zahl der Verbindungen / (n × (n − 1)), n = Organisationen der Liste; eine Verbindung besteht, "
            "wenn eine der beiden Seiten Kontakt mindestens vierteljährlich (FREQ ≥ 2) angibt"
        ),
        formula_en=(
            "2 × number of ties / (n × (n − 1)), n = listed organisations; a tie exists when either side "
            "reports contact at least quarterly (FREQ ≥ 2)"
        ),
        unit="share",
        principle=_NETWORK,
        source_kind=_PARTNER,
    ),
    Indicator(
        id="cross_sector_tie_share",
        family="collaboration",
        name_de="Anteil sektorübergreifender Verbindungen",
        name_en="Cross-sector tie share",
        description_de=(
            "Wie viele der Arbeitskontakte Grenzen überschreiten: Anteil der Verbindungen zwischen "
            "Organisationen verschiedener Sektoren (Zivilgesellschaft, Politik, Verwaltung, Wirtschaft)."
        ),
        description_en=(
            "How many working contacts cross sector lines: share of ties between organisations of different "
            "sectors (civil society, politics, administration, business)."
        ),
        formula_de="Verbindungen zwischen verschiedenen Sektoren / alle Verbindungen",
        formula_en="ties between different sectors / all ties",
        unit="share",
        principle=_NETWORK,
        source_kind=_PARTNER,
    ),
    Indicator(
        id="degree_centralization",
        family="collaboration",
        name_de="Zentralisierung des Netzwerks",
        name_en="Degree centralization",
        description_de=(
            "Ob das Netzwerk an einer einzigen Stelle hängt: 1 heißt, alle Kontakte laufen über eine "
            "Organisation (Stern), 0 heißt, alle haben gleich viele Kontakte. Weder hoch noch niedrig ist an "
            "sich gut; ein hoher Wert zeigt, wie sehr das Netzwerk von einer Stelle abhängt."
        ),
        description_en=(
            "Whether the network hinges on one place: 1 means all contacts run through one organisation (a star), "
            "0 means all have equally many contacts. Neither is good in itself; a high value shows how much the "
            "network depends on one organisation."
        ),
        formula_de=("Freeman: Σ (größte Zahl der Verbindungen − Verbindungen der Organisation i) / ((n − 1)(n − 2))"),
        formula_en="Freeman: Σ (highest degree − degree of organisation i) / ((n − 1)(n − 2))",
        unit="index",
        principle=_NETWORK,
        source_kind=_PARTNER,
        higher_is_better=None,
    ),
    Indicator(
        id="sector_balance",
        family="collaboration",
        name_de="Ausgewogenheit der Sektoren",
        name_en="Sector balance",
        description_de=(
            "Ob alle vier Sektoren im Netzwerk mitarbeiten: 1 heißt, Zivilgesellschaft, Politik, Verwaltung und "
            "Wirtschaft stellen gleich viele der vernetzten Organisationen; 0 heißt, nur ein Sektor ist vernetzt."
        ),
        description_en=(
            "Whether all four sectors take part in the network: 1 means civil society, politics, administration "
            "and business make up equal shares of the connected organisations; 0 means only one sector is."
        ),
        formula_de=(
            "Shannon-Entropie der Sektoranteile unter den Organisationen mit mindestens einer Verbindung, "
            "geteilt durch ln 4"
        ),
        formula_en="Shannon entropy of the sector shares of organisations with at least one tie, divided by ln 4",
        unit="index",
        principle=_NETWORK,
        source_kind=_PARTNER,
    ),
    Indicator(
        id="trust_mean",
        family="collaboration",
        name_de="Vertrauen zwischen den Partnern",
        name_en="Trust between partners",
        description_de=(
            "Wie sehr die Organisationen einander vertrauen, nach ihrer eigenen Einschätzung (1 = gar nicht, "
            "4 = voll). Nach Sektor: das Vertrauen, das Organisationen dieses Sektors entgegengebracht wird."
        ),
        description_en=(
            "How much the organisations trust each other, in their own judgement (1 = not at all, 4 = fully). "
            "By sector: the trust placed in organisations of that sector."
        ),
        formula_de=(
            "Mittelwert aller abgegebenen Vertrauensbewertungen (TRUST, 1–4); nach Sektor der bewerteten "
            "Organisation; n = Organisationen, die eine Bewertung abgegeben haben"
        ),
        formula_en=(
            "mean of all trust ratings given (TRUST, 1–4); by sector of the rated organisation; n = organisations "
            "that gave a rating"
        ),
        unit="score",
        principle="P4",
        source_kind=_PARTNER,
        breakdowns=("sector",),
    ),
    Indicator(
        id="value_mean",
        family="collaboration",
        name_de="Nutzen der Zusammenarbeit",
        name_en="Value of cooperation",
        description_de=(
            "Wie wertvoll die Organisationen die Zusammenarbeit miteinander einschätzen (1 = gering, 4 = hoch). "
            "Nach Sektor: der Nutzen, der der Zusammenarbeit mit Organisationen dieses Sektors zugeschrieben wird."
        ),
        description_en=(
            "How valuable the organisations rate their cooperation with each other (1 = low, 4 = high). By "
            "sector: the value attributed to working with organisations of that sector."
        ),
        formula_de=(
            "Mittelwert aller abgegebenen Nutzenbewertungen (VALUE, 1–4); nach Sektor der bewerteten "
            "Organisation; n = Organisationen, die eine Bewertung abgegeben haben"
        ),
        formula_en=(
            "mean of all value ratings given (VALUE, 1–4); by sector of the rated organisation; n = organisations "
            "that gave a rating"
        ),
        unit="score",
        principle="P4",
        source_kind=_PARTNER,
        breakdowns=("sector",),
    ),
    Indicator(
        id="equal_footing_agree",
        family="collaboration",
        name_de="Zusammenarbeit auf Augenhöhe",
        name_en="Working on equal footing",
        description_de=(
            "Anteil der antwortenden Organisationen, die der Aussage „Wir arbeiten auf Augenhöhe“ zustimmen."
            + _SHARE_CI_DE
        ),
        description_en="Share of responding organisations that agree with “We work on equal footing”." + _SHARE_CI_EN,
        formula_de="Organisationen mit EYE 4 oder 5 / Organisationen mit einer Antwort 1–5 auf EYE",
        formula_en="organisations answering EYE 4 or 5 / organisations answering EYE 1–5",
        unit="share",
        principle="W2",
        source_kind=_PARTNER,
        breakdowns=("sector",),
    ),
    Indicator(
        id="equal_footing_gap",
        family="collaboration",
        name_de="Unterschied der Sektoren bei der Augenhöhe",
        name_en="Equal-footing gap between sectors",
        description_de=(
            "Wie verschieden die Sektoren die Augenhöhe erleben: Abstand zwischen dem Sektor mit der höchsten "
            "und dem mit der niedrigsten mittleren Zustimmung (Skala 1–5). Je kleiner, desto gleicher das "
            "Erleben. Nur Sektoren mit genügend Antworten zählen."
        ),
        description_en=(
            "How differently the sectors experience equal footing: distance between the sector with the highest "
            "and the one with the lowest mean agreement (scale 1–5). Smaller is more even. Only sectors with "
            "enough answers count."
        ),
        formula_de=(
            "höchster minus niedrigster Sektor-Mittelwert von EYE über Sektoren mit mindestens min_cell "
            "Antworten; kein Wert bei weniger als zwei solchen Sektoren"
        ),
        formula_en=(
            "highest minus lowest sector mean of EYE over sectors with at least min_cell answers; no value when "
            "fewer than two sectors qualify"
        ),
        unit="difference",
        principle="W2",
        source_kind=_PARTNER,
        higher_is_better=False,
    ),
    Indicator(
        id="paid_volunteer_cooperation_agree",
        family="collaboration",
        name_de="Wertschätzende Zusammenarbeit von Haupt- und Ehrenamt",
        name_en="Appreciative cooperation of paid staff and volunteers",
        description_de=(
            "Anteil der antwortenden Organisationen, die zustimmen: „Haupt- und Ehrenamtliche arbeiten "
            "wertschätzend zusammen“." + _SHARE_CI_DE
        ),
        description_en=(
            "Share of responding organisations that agree: “Paid staff and volunteers work together appreciatively”."
            + _SHARE_CI_EN
        ),
        formula_de="Organisationen mit HE 4 oder 5 / Organisationen mit einer Antwort 1–5 auf HE",
        formula_en="organisations answering HE 4 or 5 / organisations answering HE 1–5",
        unit="share",
        principle="W5",
        source_kind=_PARTNER,
    ),
    Indicator(
        id="measures_done_share",
        family="goals",
        name_de="Anteil umgesetzter Maßnahmen",
        name_en="Share of measures completed",
        description_de=(
            "Wie viel vom Maßnahmenplan der Steuerungsgruppe erledigt ist, zum Stichtag; abgebrochene "
            "Maßnahmen zählen nicht mit." + _PAST_MEASURES_DE
        ),
        description_en=(
            "How much of the steering group's action plan is done, as of the reference date; cancelled measures "
            "do not count." + _PAST_MEASURES_EN
        ),
        formula_de="Maßnahmen „umgesetzt“ / (alle Maßnahmen − „abgebrochen“); n = dieser Nenner",
        formula_en="measures “umgesetzt” (done) / (all measures − “abgebrochen” (cancelled)); n = that denominator",
        unit="share",
        principle="W2",
        source_kind="goals",
        suppress=False,
    ),
    Indicator(
        id="measures_overdue",
        family="goals",
        name_de="Überfällige Maßnahmen",
        name_en="Overdue measures",
        description_de=(
            "Zahl der Maßnahmen, deren Fälligkeitsdatum vor dem Stichtag liegt und die weder umgesetzt noch "
            "abgebrochen sind." + _PAST_MEASURES_DE
        ),
        description_en=(
            "Number of measures due before the reference date that are neither done nor cancelled." + _PAST_MEASURES_EN
        ),
        formula_de=(
            "Zahl der Maßnahmen mit Fälligkeit vor dem Stichtag und Status weder „umgesetzt“ noch "
            "„abgebrochen“; n = alle Maßnahmen"
        ),
        formula_en=(
            "number of measures due before the reference date whose status is neither “umgesetzt” (done) nor "
            "“abgebrochen” (cancelled); n = all measures"
        ),
        unit="count",
        principle="W2",
        source_kind="goals",
        higher_is_better=False,
        suppress=False,
    ),
)
