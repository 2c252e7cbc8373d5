"""Every user-facing string of the dashboard in German (default) and English.

Kept in one table so a page never hard-codes text and the language switch covers everything; keys name
the place a string is used. :func:`t` falls back to German, then to the key, so a missing translation
shows up as readable German rather than as an error.
"""

from __future__ import annotations

LANGS = ("de", "en")

TEXT: dict[str, tuple[str, str]] = {
    # shell
    "app.title": ("Engagement-Monitor", "Engagement Monitor"),
    "shell.skip": ("Zum Inhalt springen", "Skip to content"),
    "shell.town": ("Stadt", "Town"),
    "shell.year": ("Jahr", "Year"),
    "shell.network": ("Gesamtes Netzwerk", "Whole network"),
    "shell.data_date": ("Datenstand", "Data as of"),
    "shell.methods": ("Methodik", "Methods"),
    "shell.report": ("Bericht (PDF)", "Report (PDF)"),
    "shell.language": ("Sprache", "Language"),
    "shell.nav": ("Hauptnavigation", "Main navigation"),
    "shell.menu": ("Menü", "Menu"),
    "page.overview": ("Übersicht", "Overview"),
    "page.participation": ("Engagement & Beteiligung", "Engagement & participation"),
    "page.collaboration": ("Zusammenarbeit", "Collaboration"),
    "page.goals": ("Ziele & Maßnahmen", "Goals & measures"),
    "page.comparison": ("Städtevergleich", "Town comparison"),
    "page.methods": ("Daten & Methodik", "Data & methods"),
    "page.meeting": ("Sitzungsmodus", "Meeting mode"),
    # state messages
    "msg.unknown_town": (
        "Die Stadt „{town}“ aus dem Link gibt es im Warehouse nicht. Gezeigt wird das gesamte Netzwerk; "
        "bitte wählen Sie eine Stadt aus der Liste.",
        "The town '{town}' in the link is not in the warehouse. Showing the whole network; "
        "please choose a town from the list.",
    ),
    "msg.unknown_year": (
        "Für das Jahr „{year}“ aus dem Link liegen keine Daten vor (vorhanden: {years}). Gezeigt wird {shown}.",
        "There is no data for the year '{year}' in the link (available: {years}). Showing {shown}.",
    ),
    "msg.no_data": ("Für diese Auswahl liegen keine Daten vor.", "There is no data for this selection."),
    "msg.no_year_data": (
        "Für {town} liegen im Jahr {year} keine Werte vor.",
        "There are no values for {town} in {year}.",
    ),
    "msg.town_only": (
        "Diese Darstellung gibt es nur für eine einzelne Stadt. Bitte oben eine Stadt wählen.",
        "This view exists per town only. Please choose a town above.",
    ),
    "msg.network_median": (
        "Gesamtes Netzwerk: Median über {n} Städte, Band = mittlere Hälfte der Städte (1. bis 3. Quartil).",
        "Whole network: median over {n} towns, band = middle half of the towns (1st to 3rd quartile).",
    ),
    # unweighted (brief §5.1): the warehouse stores why per town-year (``unweighted_reason``, dashboard.weighting
    # words it); {years}: '' or " (2023, 2024)" where only some of the years shown are unweighted
    "msg.unweighted": (
        "Ungewichtet{years}: Für die Umfrage dieser Stadt ließen sich keine Gewichte nach Alter und Geschlecht "
        "bilden ({reason}); die Quoten sind nicht gewichtet.",
        "Unweighted{years}: no age and gender weights could be formed for this town's survey ({reason}); the "
        "rates are not weighted.",
    ),
    "msg.unweighted_several": (
        "Ungewichtet: Für die Umfrage dieser Stadt ließen sich nicht in jedem Jahr Gewichte nach Alter und "
        "Geschlecht bilden – {items}; diese Quoten sind nicht gewichtet.",
        "Unweighted: age and gender weights could not be formed for this town's survey in every year – {items}; "
        "these rates are not weighted.",
    ),
    "msg.unweighted_item": ("{years}: {reason}", "{years}: {reason}"),
    # the network view: the medians include the unweighted rates of these towns; {items}: "reason: towns; …"
    "msg.unweighted_network": (
        "Ungewichtet {year} in {n} von {total} Städten, ihre Quoten gehen ungewichtet in die Mediane ein – {items}.",
        "Unweighted {year} in {n} of {total} towns, whose rates enter the medians unweighted – {items}.",
    ),
    "msg.unweighted_towns": ("{reason}: {towns}", "{reason}: {towns}"),
    "msg.and_more": (" und {n} weitere", " and {n} more"),
    # the stored reasons (etl.indicators.survey.UNWEIGHTED_REASONS); unknown: a run written before they were stored
    "weighting.no_population": (
        "keine vollständigen Bevölkerungsdaten der Stadt für das Jahr der Umfrage oder ein früheres",
        "no complete population data of the town for the survey's year or an earlier one",
    ),
    "weighting.population_zero": (
        "die Bevölkerungsdaten zählen niemanden ab 14 Jahren",
        "the population data count nobody aged 14 or over",
    ),
    "weighting.no_raking_respondents": (
        "keine befragte Person ab 14 Jahren mit Geschlecht weiblich oder männlich",
        "no respondent aged 14 or over with gender female or male",
    ),
    "weighting.no_finite_weights": (
        "Bevölkerungsanteile nach Alter und Geschlecht, die die Befragten nicht abbilden können",
        "population shares by age and gender the respondents cannot represent",
    ),
    "weighting.unknown": (
        "keine Bevölkerungsdaten, oder Bevölkerungsanteile, die die Befragten nicht abbilden können",
        "no population data, or population shares the respondents cannot represent",
    ),
    "msg.suppressed": ("weniger als {min_cell} Antworten", "fewer than {min_cell} responses"),
    "msg.suppressed_note": (
        "„–“: nicht gezeigt, weniger als {min_cell} Antworten (Datenschutz).",
        "'–': not shown, fewer than {min_cell} responses (privacy).",
    ),
    "msg.wave": (
        "Akteursbefragung: Welle {wave} (die letzte bis {year}).",
        "Partner survey: wave {wave} (the latest up to {year}).",
    ),
    "msg.no_wave": (
        "Für {town} gibt es bis {year} keine Akteursbefragung.",
        "There is no partner survey for {town} up to {year}.",
    ),
    "msg.files_limited": (
        "Gezeigt werden {shown} von {total} Dateien, die {problems} mit Fehlern zuerst; die CSV enthält alle.",
        "Showing {shown} of {total} files, the {problems} with problems first; the CSV holds all of them.",
    ),
    "msg.rejects_limited": (
        "Gezeigt werden die ersten {shown} von {total} abgewiesenen Zeilen; die CSV enthält alle.",
        "Showing the first {shown} of {total} rejected rows; the CSV holds all of them.",
    ),
    # chart card
    "chart.table": ("Tabelle zu {title} anzeigen", "Show table for {title}"),
    "chart.rows_of": ("{shown} von {rows}", "{shown} of {rows}"),
    "chart.csv": ("CSV herunterladen", "Download CSV"),
    "chart.image_label": ("Diagramm herunterladen – {title}", "download the chart – {title}"),
    "chart.others": ("weitere", "others"),
    "word.row": ("Zeile", "row"),
    "word.rows": ("Zeilen", "rows"),
    # overview
    "overview.lead": (
        "Die wichtigsten Kennzahlen der drei Bereiche mit Veränderung zum Vorwert, Verlauf und Ziel; darunter die "
        "Ziele auf einen Blick.",
        "The headline figures of the three families with change against the previous value, trend and target; below "
        "them the goals at a glance.",
    ),
    "overview.no_target": ("kein verknüpftes Ziel", "no linked goal"),
    "overview.details": ("n und Intervall zu {name}", "n and interval for {name}"),
    "overview.details_goals": ("Einzelheiten zu {name}", "Details on {name}"),
    "overview.table_title": ("Kennzahlen im Verlauf", "Headline figures over time"),
    # participation
    "part.lead": (
        "Umfrage-Quoten mit 95-%-Intervallen, Gruppen, Registrierungen, Repräsentation und Veranstaltungen.",
        "Survey rates with 95% intervals, groups, registrations, representation and events.",
    ),
    "part.rates": ("Quoten im Zeitverlauf", "Rates over time"),
    "part.breakdown": ("Quote nach Gruppen", "Rate by group"),
    "part.indicator": ("Kennzahl", "Indicator"),
    "part.by": ("Gruppe", "Group"),
    "part.attitudes": ("Bereitschaft, Zugang und Anerkennung", "Willingness, access and recognition"),
    "part.registrations": ("Registrierte und neue Freiwillige", "Registered and new volunteers"),
    "part.areas": ("Registrierte Freiwillige nach Bereich", "Registered volunteers by area"),
    "part.representation": ("Wen erreichen wir? Repräsentationsindex", "Who do we reach? Representation index"),
    "part.representation_note": (
        "1 = Anteil unter den Freiwilligen wie in der Bevölkerung; unter 1 = unterrepräsentiert.",
        "1 = share among volunteers as in the population; below 1 = under-represented.",
    ),
    "part.events": ("Veranstaltungen nach Format", "Events by format"),
    "part.multi_sector": ("Anteil sektorübergreifender Veranstaltungen", "Share of multi-sector events"),
    # collaboration
    "collab.lead": (
        "Das Netzwerk der Organisationen, seine Kennzahlen je Befragungswelle und die Bewertungen nach Sektor.",
        "The organisations' network, its figures per survey wave and the ratings by sector.",
    ),
    "collab.map": ("Netzwerkkarte", "Network map"),
    "collab.figures": ("Netzwerkkennzahlen je Welle", "Network figures per wave"),
    "collab.ratings": ("Vertrauen und Nutzen nach Sektor (1–4)", "Trust and value by sector (1–4)"),
    "collab.equal": ("Augenhöhe nach Sektor", "Equal footing by sector"),
    "collab.gap": ("Abstand zwischen den Sektoren (Augenhöhe): {gap}", "Gap between sectors (equal footing): {gap}"),
    # goals
    "goals.lead": (
        "Jedes Ziel mit Fortschritt gegenüber dem erwarteten Fortschritt, Verlauf und Maßnahmen.",
        "Each goal with progress against expected progress, its trend and its measures.",
    ),
    "goals.progress": ("Fortschritt der Ziele", "Progress of the goals"),
    "goals.expected": ("erwartet", "expected"),
    "goals.trend": ("Verlauf eines Ziels", "Trend of a goal"),
    "goals.choose": ("Ziel", "Goal"),
    "goals.measures": ("Maßnahmen", "Measures"),
    "goals.status_counts": ("Ziele nach Status", "Goals by status"),
    "goals.baseline": ("Ausgangswert", "Baseline"),
    "goals.target": ("Zielwert", "Target"),
    "goals.as_of": ("Stand: {date}", "As of {date}"),
    # comparison
    "cmp.lead": (
        "Eine Kennzahl für alle Städte: die gewählte Stadt hervorgehoben, Median und mittlere Hälfte des Netzwerks.",
        "One indicator for all towns: the chosen town highlighted, network median and middle half.",
    ),
    "cmp.chart": ("Städte im Vergleich", "Towns compared"),
    "cmp.peer": ("Vergleichsgruppe", "Peer group"),
    "cmp.peer_all": ("Alle Städte", "All towns"),
    "cmp.peer_own": ("Größenklasse der gewählten Stadt", "Size class of the chosen town"),
    "cmp.no_own_peer": (
        "{town} hat für {year} keine Größenklasse (keine Einwohnerzahl aller Altersgruppen für {year} oder früher): "
        "gezeigt werden alle Städte.",
        "{town} has no size class for {year} (no population of all ages for {year} or earlier): all towns are shown.",
    ),
    "cmp.no_peer": (
        "Diese Größenklasse hat für {year} keine Stadt mit einem Wert: gezeigt werden alle Städte.",
        "No town of this size class has a value for {year}: all towns are shown.",
    ),
    "cmp.median": ("Median", "Median"),
    "cmp.quartiles": ("1.–3. Quartil", "1st–3rd quartile"),
    "cmp.rank": ("Rang {rank} von {towns}", "Rank {rank} of {towns}"),
    # methods
    "methods.lead": (
        "Woher die Zahlen kommen: die Quellen des letzten ETL-Laufs, abgewiesene Zeilen und jede Definition.",
        "Where the numbers come from: the latest ETL run's sources, rejected rows and every definition.",
    ),
    "methods.run": (
        "Letzter Lauf Nr. {run_id} ({project}): gestartet {started}, beendet {finished}, Status {status}, "
        "Mindestzellgröße {min_cell}, Stichtag der Ziele {as_of}.",
        "Latest run no. {run_id} ({project}): started {started}, finished {finished}, status {status}, "
        "minimum cell size {min_cell}, goal as-of date {as_of}.",
    ),
    "methods.demo_key": (
        "Achtung: Dieser Lauf wurde mit dem öffentlichen Demo-Schlüssel pseudonymisiert (nur für Demodaten).",
        "Note: this run was pseudonymised with the public demo key (demo data only).",
    ),
    "methods.sources": ("Quellen des letzten Laufs", "Sources of the latest run"),
    "methods.rejects": ("Abgewiesene Zeilen", "Rejected rows"),
    "methods.no_rejects": ("Im letzten Lauf wurde keine Zeile abgewiesen.", "No row was rejected in the latest run."),
    "methods.catalogue": ("Kennzahlen und ihre Definitionen", "Indicators and their definitions"),
    "methods.privacy": (
        "Datenschutz: Jede Zahl über weniger als {min_cell} Personen oder Organisationen wird nicht gezeigt "
        "(„–“). Umfragequoten sind nach Alter und Geschlecht gewichtet, wo Bevölkerungsdaten vorliegen und "
        "die Befragten sie abbilden können.",
        "Privacy: every figure over fewer than {min_cell} persons or organisations is not shown ('–'). "
        "Survey rates are weighted by age and gender where population data exist and the respondents can "
        "represent them.",
    ),
    # column headers
    "col.town": ("Stadt", "Town"),
    "col.ags": ("AGS", "AGS"),
    "col.indicator": ("Kennzahl", "Indicator"),
    "col.year": ("Jahr", "Year"),
    "col.group": ("Gruppe", "Group"),
    "col.value": ("Wert", "Value"),
    "col.n": ("n", "n"),
    "col.ci": ("95-%-Intervall", "95% interval"),
    "col.note": ("Hinweis", "Note"),
    "col.change": ("Veränderung", "Change"),
    "col.median": ("Median", "Median"),
    "col.q1": ("1. Quartil", "1st quartile"),
    "col.q3": ("3. Quartil", "3rd quartile"),
    "col.rank": ("Rang", "Rank"),
    "col.peer": ("Größenklasse", "Size class"),
    "col.towns": ("Städte", "Towns"),
    "col.organisation": ("Organisation", "Organisation"),
    "col.sector": ("Sektor", "Sector"),
    "col.degree": ("Kontakte", "Ties"),
    "col.goal": ("Ziel", "Goal"),
    "col.title": ("Titel", "Title"),
    "col.principle": ("Grundsatz", "Principle"),
    "col.baseline": ("Ausgangswert", "Baseline"),
    "col.current": ("Aktuell", "Current"),
    "col.target": ("Zielwert", "Target"),
    "col.target_date": ("Zieldatum", "Target date"),
    "col.progress": ("Fortschritt", "Progress"),
    "col.expected": ("Erwartet", "Expected"),
    "col.status": ("Status", "Status"),
    "col.date": ("Datum", "Date"),
    "col.measure": ("Maßnahme", "Measure"),
    "col.lead_sector": ("Federführung", "Lead sector"),
    "col.due": ("Fällig", "Due"),
    "col.overdue": ("Überfällig", "Overdue"),
    "col.measures_geplant": ("geplant", "planned"),
    "col.measures_laufend": ("laufend", "running"),
    "col.measures_umgesetzt": ("umgesetzt", "done"),
    "col.measures_verzögert": ("verzögert", "delayed"),
    "col.measures_abgebrochen": ("abgebrochen", "cancelled"),
    "col.measures_overdue": ("davon überfällig", "of which overdue"),
    "goals.measures_by_town": (
        "Netzwerk: Maßnahmen je Stadt nach Stand (die einzelnen Maßnahmen zeigt die Ansicht einer Stadt).",
        "Network: measures per town by status (a town's view lists the single measures).",
    ),
    "col.level": ("Wirkungstreppe", "Impact level"),
    "col.count": ("Anzahl", "Count"),
    "col.source": ("Quelle", "Source"),
    "col.kind": ("Art", "Kind"),
    "col.file": ("Datei", "File"),
    "col.rows_read": ("Zeilen gelesen", "Rows read"),
    "col.rows_accepted": ("übernommen", "accepted"),
    "col.rows_rejected": ("abgewiesen", "rejected"),
    "col.rows_skipped": ("übersprungen (andere Gebiete)", "skipped (other regions)"),
    "col.message": ("Meldung", "Message"),
    "col.row": ("Zeile", "Row"),
    "col.column": ("Spalte", "Column"),
    "col.reason": ("Grund", "Reason"),
    "col.name": ("Name", "Name"),
    "col.description": ("Bedeutung", "Meaning"),
    "col.formula": ("Berechnung", "Computation"),
    "col.unit": ("Einheit", "Unit"),
    "col.breakdowns": ("Aufschlüsselungen", "Breakdowns"),
    "col.family": ("Bereich", "Family"),
    "col.series": ("Reihe", "Series"),
    "yes": ("ja", "yes"),
    "no": ("nein", "no"),
    # suppression of the second kind and the demo banner (issue 12)
    "msg.suppressed_secondary": (
        "verborgen, damit eine kleine Gruppe nicht errechenbar ist",
        "hidden so that a small group cannot be computed",
    ),
    "msg.suppressed_secondary_note": (
        "„–“ (verborgen): nicht gezeigt, damit sich eine kleine Gruppe nicht aus den übrigen Zahlen "
        "errechnen lässt (Datenschutz).",
        "'–' (hidden): not shown, so that a small group cannot be computed from the other numbers (privacy).",
    ),
    "methods.privacy_secondary": (
        "Damit sich eine kleine Gruppe nicht aus den übrigen Zahlen errechnen lässt (etwa Gesamtwert minus "
        "gezeigte Gruppen), werden weitere Werte verborgen; sie erscheinen als „–“ mit dem Hinweis "
        "„verborgen, damit eine kleine Gruppe nicht errechenbar ist“.",
        "So that a small group cannot be computed from the other numbers (such as the total minus the groups "
        "shown), further values are hidden; they appear as '–' with the note 'hidden so that a small group "
        "cannot be computed'.",
    ),
    "collab.map_hidden": (
        "Die Netzwerkkarte wird nicht gezeigt: weniger als {min_cell} Organisationen (Datenschutz).",
        "The network map is not shown: fewer than {min_cell} organisations (privacy).",
    ),
    "shell.demo": (
        "Demodaten: Die Pseudonyme dieses Warehouse sind mit dem öffentlichen Demo-Schlüssel erzeugt – "
        "keine echten Personendaten damit verwenden.",
        "Demo data: the pseudonyms of this warehouse were made with the public demo key – do not use it "
        "with real personal data.",
    ),
    # published runs, the data package and its citation (issue 17)
    "run.banner": (
        "Stand von Lauf {run} ({date}): Sie sehen die Zahlen, wie sie nach diesem Lauf veröffentlicht waren.",
        "As of run {run} ({date}): you see the figures as they were published after this run.",
    ),
    "run.unknown": (
        "Lauf „{run}“ aus dem Link ist in diesem Warehouse nicht gespeichert (gespeichert: {runs}). "
        "Gezeigt wird der neueste Lauf.",
        "Run '{run}' in the link is not stored in this warehouse (stored: {runs}). Showing the latest run.",
    ),
    "citing.title": ("Daten & Zitieren", "Data & citation"),
    "citing.lead": (
        "Die Zahlen dieser Ansicht als Datenpaket (Frictionless Data Package: CSV und Parquet mit Beschreibung "
        "jeder Spalte, Lizenz und Quellen) – unterdrückte Werte bleiben leer.",
        "The figures of this view as a data package (Frictionless Data Package: CSV and Parquet with every "
        "column described, licence and sources) – suppressed values stay empty.",
    ),
    "citing.download": (
        "Datenpaket von Lauf {run} herunterladen (ZIP)",
        "Download the data package of run {run} (ZIP)",
    ),
    "citing.cite": ("Zitieren als", "Cite as"),
    "citing.licence": ("Lizenz", "Licence"),
    "citing.runs": ("Gespeicherte Läufe", "Stored runs"),
    "citing.run": ("Lauf {run} vom {date}", "Run {run} of {date}"),
    "citing.view": ("Ansicht", "View"),
    "citing.package": ("Datenpaket", "Data package"),
    "run.no_package": (
        "Das Datenpaket zu Lauf „{run}“ gibt es nicht: Dieser Lauf ist in diesem Warehouse nicht gespeichert.",
        "There is no data package for run '{run}': this run is not stored in this warehouse.",
    ),
    # goals at a glance, "Wo hakt es?", rank ranges, chart downloads (issue 11)
    "overview.goals_title": ("Ziele erreicht oder im Plan", "Goals achieved or on track"),
    "glance.title": ("Ziele auf einen Blick", "Goals at a glance"),
    "glance.lead": (
        "Jedes Ziel mit Status, aktuellem Wert, Zielwert, Fortschritt gegenüber dem erwarteten und dem Grund – "
        "das schlechteste zuerst. Ein Klick auf ein Ziel öffnet seinen Verlauf und seine Maßnahmen.",
        "Each goal with its status, current value, target, progress against the expected progress and the reason "
        "– worst first. Click a goal for its trend and measures.",
    ),
    "glance.none": ("Für diese Auswahl gibt es keinen Zielstatus.", "There is no goal status for this selection."),
    "col.goal_reason": ("Ziel und Grund", "Goal and reason"),
    "col.progress_expected": ("Fortschritt (erwartet)", "Progress (expected)"),
    "col.change_since": ("Seit der letzten Messung", "Since the previous measurement"),
    "col.target_by": ("Zielwert", "Target"),
    "stick.title": ("Wo hakt es?", "Where are we stuck?"),
    "stick.lead": (
        "Die Ziele aller Städte nach Status; rechts die Grundsätze, zu denen Ziele nicht im Plan oder gefährdet "
        "sind. Ein Klick auf eine Stadt öffnet ihre Ziele.",
        "All towns' goals by status; on the right the principles with goals off track or at risk. "
        "Click a town for its goals.",
    ),
    "stick.off": ("Grundsätze: nicht im Plan", "Principles: off track"),
    "stick.risk": ("Grundsätze: gefährdet", "Principles: at risk"),
    "goals.axis_break": ("Achsenbruch (Wert rechts)", "Axis break (value on the right)"),
    "goals.break_note": (
        "Balken mit Achsenbruch (Sanduhr-Zeichen) sind gekürzt; ihr Wert steht rechts neben der Grafik.",
        "Bars with an axis break (hourglass mark) are cut; their value is written to the right of the chart.",
    ),
    "cmp.others": ("andere Städte", "other towns"),
    "cmp.chosen": ("gewählte Stadt", "chosen town"),
    "cmp.rank_range": (
        "Rang {rank} von {towns} (Rangbereich {best}–{worst})",
        "Rank {rank} of {towns} (rank range {best}–{worst})",
    ),
    "cmp.rank_range_note": (
        "Rangbereich: die Ränge, die eine Stadt angesichts der 95-%-Intervalle einnehmen könnte (bester Rang = 1 "
        "+ Städte, deren Intervall ganz darüber liegt; schlechtester = Städte − Städte ganz darunter).",
        "Rank range: the ranks a town could take given the 95% intervals (best = 1 + towns whose interval lies "
        "entirely above; worst = towns − towns entirely below).",
    ),
    "col.rank_range": ("Rangbereich", "Rank range"),
    "collab.counts": ("{orgs}, {ties}", "{orgs}, {ties}"),
    "word.organisation": ("Organisation", "organisation"),
    "word.organisations": ("Organisationen", "organisations"),
    "word.tie": ("Verbindung", "tie"),
    "word.ties": ("Verbindungen", "ties"),
    "collab.panel_share": ("Anteil", "Share"),
    "collab.panel_index": ("Index (0–1)", "Index (0–1)"),
    "report.network": (
        "Den Bericht gibt es je Stadt: bitte oben eine Stadt wählen.",
        "The report exists per town: please choose a town above.",
    ),
    "report.choose": ("Bericht erstellen", "Create report"),
    "report.err.town": (
        "Die Stadt „{town}“ gibt es im Warehouse nicht. Bitte den achtstelligen AGS angeben, z. B. {listed}{more}.",
        "The town '{town}' is not in the warehouse. Please give its eight-digit AGS, e.g. {listed}{more}.",
    ),
    "report.err.year_param": (
        "Das Jahr „{year}“ ist keine Jahreszahl (Parameter year=JJJJ).",
        "The year '{year}' is not a year (parameter year=YYYY).",
    ),
    "report.err.as_of_param": (
        "Der Stichtag „{as_of}“ ist kein Datum im Format JJJJ-MM-TT.",
        "The reference date '{as_of}' is not a date in the format YYYY-MM-DD.",
    ),
    "report.err.pending": (
        "Für Ihr Konto werden schon {n} Berichte erstellt. Bitte warten Sie, bis diese fertig sind, und laden Sie "
        "den Bericht dann erneut herunter.",
        "{n} reports are already being made for your account. Please wait until they are ready, then download "
        "the report again.",
    ),
    "report.err.more": (" und {n} weitere", " and {n} more"),
    "report.err.empty": (
        "Für {name} ({ags}) enthält das Warehouse keine Werte.",
        "The warehouse holds no values for {name} ({ags}).",
    ),
    "report.err.year": (
        "Für {name} ({ags}) liegen für das Jahr {year} keine Werte vor; vorhanden: {years}.",
        "There are no values for {name} ({ags}) in {year}; available: {years}.",
    ),
    "report.waiting": ("Bericht wird erstellt", "The report is being made"),
    "report.waiting_text": (
        "Der Bericht für {town} ({year}) wird gerade erstellt. Diese Seite lädt sich alle 5 Sekunden neu; sobald "
        "der Bericht fertig ist, beginnt der Download.",
        "The report for {town} ({year}) is being made. This page reloads every 5 seconds; the download starts as "
        "soon as the report is ready.",
    ),
    # the council report (dashboard.report): every text of the PDF
    "report.doc_title": ("Engagement-Monitor – Bericht {town} {year}", "Engagement Monitor – report {town} {year}"),
    "report.kicker": ("Bericht für den Rat · {project}", "Report for the council · {project}"),
    "report.title": (
        "{town} {year}: Engagement, Zusammenarbeit und Ziele",
        "{town} {year}: engagement, collaboration and goals",
    ),
    "report.meta": (
        "AGS {ags} · Datenstand: {date} · ETL-Lauf Nr. {run}",
        "AGS {ags} · data as of {date} · ETL run {run}",
    ),
    "report.footer": (
        "{town} ({ags}) · Berichtsjahr {year} · Datenstand: {date} · ETL-Lauf Nr. {run}",
        "{town} ({ags}) · report year {year} · data as of {date} · ETL run {run}",
    ),
    "report.demo_mark": ("DEMODATEN", "DEMO DATA"),
    "report.page": ("Seite {page} von {pages}", "Page {page} of {pages}"),
    "report.figures": ("Kennzahlen {year}", "Figures {year}"),
    "report.glance": ("Ziele auf einen Blick", "Goals at a glance"),
    "report.figures_caption": ("Die Kennzahlen {year} im Überblick", "The figures of {year} at a glance"),
    "report.col.indicator": ("Kennzahl", "Indicator"),
    "report.col.value": ("Wert {year}", "Value {year}"),
    "report.col.change": ("Veränderung zum früheren Wert", "Change from the earlier value"),
    "report.col.target": ("Ziel und Status", "Goal and status"),
    "report.col.sure": ("n · 95-%-Intervall", "n · 95% interval"),
    "report.col.n": ("n", "n"),
    "report.col.interval": ("95-%-Intervall", "95% interval"),
    "report.col.status": ("Status", "Status"),
    "report.col.goal_reason": ("Ziel und Grund", "Goal and reason"),
    "report.col.current": ("Aktuell", "Current"),
    "report.col.target_value": ("Zielwert", "Target"),
    "report.col.progress_expected": ("Fortschritt (erwartet)", "Progress (expected)"),
    "report.col.since": ("Seit letzter Messung", "Since the last measurement"),
    "report.col.goal": ("Ziel", "Goal"),
    "report.col.title": ("Titel", "Title"),
    "report.col.baseline": ("Ausgangswert", "Baseline"),
    "report.col.target_date": ("Zieldatum", "Target date"),
    "report.col.progress": ("Fortschritt", "Progress"),
    "report.col.expected": ("Erwartet", "Expected"),
    "report.col.source": ("Quelle", "Source"),
    "report.col.file": ("Datei", "File"),
    "report.col.read": ("gelesen", "read"),
    "report.col.accepted": ("übernommen", "accepted"),
    "report.col.rejected": ("abgewiesen", "rejected"),
    "report.col.skipped": ("übersprungen", "skipped"),
    "report.value_as_of": ("{value} (Stand: {year})", "{value} (as of {year})"),
    "report.no_goal": ("kein verknüpftes Ziel", "no linked goal"),
    "report.no_rows": ("Keine Einträge.", "No entries."),
    "report.no_data": ("keine Daten", "no data"),
    "report.unweighted": (" (ungewichtet)", " (unweighted)"),
    "report.chart.rates": (
        "Engagement- und Beteiligungsquote mit 95-%-Intervall",
        "Engagement and participation rate with 95% interval",
    ),
    "report.chart.registrations": ("Registrierte und neue Freiwillige", "Registered and new volunteers"),
    "report.chart.equal_footing": (
        "Zusammenarbeit auf Augenhöhe nach Sektor (mit 95-%-Intervall)",
        "Working on an equal footing by sector (with 95% interval)",
    ),
    "report.chart.ratings": ("Vertrauen und Nutzen nach Sektor (1–4)", "Trust and value by sector (1–4)"),
    "report.chart.goals": (
        "Fortschritt der Ziele gegenüber dem erwarteten Fortschritt (Titel: siehe Tabelle)",
        "Progress of the goals against the expected progress (titles: see the table)",
    ),
    "report.chart.map": ("Karte: Engagementquote {year} nach Stadtteil", "Map: engagement rate {year} by district"),
    "report.map_values": (
        "Engagementquote {year} nach Stadtteil: {values}.",
        "Engagement rate {year} by district: {values}.",
    ),
    "report.alt": ("Diagramm: {title}. Werte: {values}", "Chart: {title}. Values: {values}"),
    "report.alt_more": ("und {n} weitere Zeilen (siehe Tabelle)", "and {n} more rows (see the table)"),
    "report.no_charts": (
        "Die Diagramme konnten nicht erzeugt werden; die Tabellen enthalten alle Werte.",
        "The charts could not be drawn; the tables hold every value.",
    ),
    "report.status_stored": (
        "Der Zielstatus bezieht sich auf den Stichtag {date}.",
        "The goal status refers to the reference date {date}.",
    ),
    "report.status_year_end": (
        "Der Zielstatus bezieht sich auf das Ende des Berichtsjahres ({date}).",
        "The goal status refers to the end of the report year ({date}).",
    ),
    "report.status_requested": (
        "Hinweis: Angefragt wurde der Stichtag {requested}. Der Zielstatus im Warehouse wurde vom ETL-Lauf Nr. "
        "{run} für den Stichtag {stored} berechnet (frühere Jahre: zum 31.12.). {text} Für einen anderen Stichtag "
        "den Lauf wiederholen: engage run QUELLORDNER --as-of JJJJ-MM-TT.",
        "Note: the reference date {requested} was asked for. The goal status in the warehouse was computed by ETL "
        "run {run} for the reference date {stored} (earlier years: as of 31 December). {text} For another "
        "reference date, repeat the run: engage run SOURCE_FOLDER --as-of YYYY-MM-DD.",
    ),
    "report.methods": ("Methodik und Quellen", "Methods and sources"),
    "report.methods_lead": ("So sind die Zahlen entstanden", "How the figures were made"),
    "report.sources": (
        "Quellen des ETL-Laufs Nr. {run} (Datenstand {date})",
        "Sources of ETL run {run} (data as of {date})",
    ),
    "report.sources_caption": (
        "Dateien des Laufs: Zielplan, Bevölkerung und die Quellen der gezeigten Werte",
        "Files of the run: goal plan, population and the sources of the values shown",
    ),
    "report.sources_limited": (
        "Gezeigt sind die ersten {shown} von {total} Dateien; alle: engage export runs.",
        "Showing the first {shown} of {total} files; all of them: engage export runs.",
    ),
    "report.m.weighted": (
        "Gewichtung: Die Umfragequoten sind nach Alter und Geschlecht auf die Bevölkerung ab 14 Jahren "
        "gewichtet (Raking).",
        "Weighting: the survey rates are weighted by age and gender to the population aged 14 and over (raking).",
    ),
    "report.m.unweighted": (
        "Gewichtung: Für die Umfrage dieser Stadt ließen sich keine Gewichte bilden ({reason}); die Quoten sind "
        "ungewichtet (gekennzeichnet).",
        "Weighting: no weights could be formed for this town's survey ({reason}); the rates are unweighted (marked).",
    ),
    "report.m.uncertainty": (
        "Unsicherheit: Zu jeder Umfragequote gehört ein 95-%-Intervall (Wilson-Intervall mit der effektiven "
        "Stichprobengröße), zu den Anteilen der Akteursbefragung eines über die antwortenden Organisationen. "
        "n ist die Zahl der Antworten (ungewichtet) hinter einem Wert.",
        "Uncertainty: every survey rate has a 95% interval (Wilson interval with the effective sample size), the "
        "shares of the partner survey one over the responding organisations. n is the number of answers "
        "(unweighted) behind a value.",
    ),
    "report.m.privacy": (
        "Datenschutz: Jede Zahl über weniger als {min_cell} Personen oder Organisationen wird nicht ausgewiesen "
        "und erscheint als „{dash}“ mit dem Grund „{primary}“. Werte, aus denen sie sich errechnen ließe (etwa "
        "Gesamtwert minus gezeigte Gruppen), werden ebenfalls nicht ausgewiesen: „{dash}“ mit dem Grund "
        "„{secondary}“.",
        "Privacy: every figure over fewer than {min_cell} persons or organisations is not shown and appears as "
        "'{dash}' with the reason '{primary}'. Values from which it could be computed (such as the total minus "
        "the groups shown) are not shown either: '{dash}' with the reason '{secondary}'.",
    ),
    "report.m.change": (
        "Veränderung: gegenüber dem letzten früheren Jahr mit Wert (bei der Akteursbefragung der letzten "
        "Welle); Anteile in Prozentpunkten (Pp.). Bei Werten mit 95-%-Intervall heißt es nur dann „gestiegen“ "
        "oder „gesunken“, wenn sich die Intervalle beider Jahre nicht überschneiden, sonst „etwa gleich "
        "(Unterschied im Rahmen der Unsicherheit)“. Werte ohne Stichprobenfehler (Zählungen, Netzwerk über die "
        "ganze Organisationsliste) gelten als „unverändert“, wenn sich die angezeigte Zahl nicht ändert. Ein "
        "Jahr ohne neue Messung zeigt den letzten Wert mit seinem Jahr („Stand: 2023“).",
        "Change: against the latest earlier year with a value (for the partner survey the latest wave); shares "
        "in percentage points (pp). Values with a 95% interval are called 'up' or 'down' only when the intervals "
        "of the two years do not overlap, otherwise 'about the same (difference within the uncertainty)'. Values "
        "without sampling error (counts, the network over the whole organisation list) are 'unchanged' when the "
        "number shown does not change. A year without a new measurement shows the latest value with its year "
        "('as of 2023').",
    ),
    "report.m.goals": (
        "Ziele: Fortschritt = (aktueller Wert − Ausgangswert) / (Zielwert − Ausgangswert); erwartet = "
        "verstrichener Anteil der Laufzeit. „im Plan“: Fortschritt höchstens 10 Pp. unter dem erwarteten, "
        "„gefährdet“: höchstens 25 Pp. darunter. Der Status gilt zum Ende des Berichtsjahres (im laufenden Jahr "
        "zum Stichtag des ETL-Laufs); frühere Stände der Maßnahmen sind aus Fälligkeit und heutigem Status "
        "erschlossen.",
        "Goals: progress = (current value − baseline) / (target − baseline); expected = elapsed share of the "
        "period. 'on track': progress at most 10 pp below the expected, 'at risk': at most 25 pp below. The "
        "status holds at the end of the report year (in the current year at the ETL run's reference date); "
        "earlier states of the measures are inferred from their due dates and today's status.",
    ),
    "report.m.nothing_new": (
        "Alle Zahlen stammen aus dem Warehouse des ETL-Laufs; dieser Bericht berechnet nichts neu.",
        "All figures come from the warehouse of the ETL run; this report computes nothing anew.",
    ),
    "report.marks": ("Statuszeichen: {marks}.", "Status marks: {marks}."),
    # sign-in, accounts, errors (issue 12)
    "signin.title": ("Anmelden", "Sign in"),
    "signin.lead": (
        "Bitte melden Sie sich mit dem Konto an, das Ihnen die Koordination des Netzwerks eingerichtet hat.",
        "Please sign in with the account the network's coordination set up for you.",
    ),
    "signin.name": ("Kontoname", "Account name"),
    "signin.password": ("Passwort", "Password"),
    "signin.submit": ("Anmelden", "Sign in"),
    "signin.failed": ("Kontoname oder Passwort stimmen nicht.", "Account name or password is wrong."),
    "signin.csrf": (
        "Das Formular ist abgelaufen. Bitte die Seite neu laden und erneut anmelden.",
        "The form has expired. Please reload the page and sign in again.",
    ),
    "signin.too_many": (
        "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.",
        "Too many failed sign-ins. Please wait a few minutes and try again.",
    ),
    "signin.no_accounts": (
        "Für dieses Dashboard ist noch kein Konto angelegt (engage users add NAME --role …).",
        "No account has been set up for this dashboard yet (engage users add NAME --role …).",
    ),
    "signin.required": (
        "Bitte melden Sie sich an (Sitzung abgelaufen oder nicht angemeldet).",
        "Please sign in (session expired or not signed in).",
    ),
    "shell.signed_in": ("Angemeldet: {name} ({role})", "Signed in: {name} ({role})"),
    "shell.local": ("Ohne Anmeldung (nur dieser Rechner)", "Without sign-in (this computer only)"),
    "shell.signout": ("Abmelden", "Sign out"),
    "role.netzwerk": ("alle Städte", "all towns"),
    "role.stadt": ("Stadt {town}", "town {town}"),
    "role.oeffentlich": ("öffentliche Ansicht", "public view"),
    "notfound.title": ("Seite nicht gefunden", "Page not found"),
    "notfound.text": (
        "Diese Adresse gibt es im Engagement-Monitor nicht. Vielleicht ist der Link veraltet oder unvollständig.",
        "This address does not exist in the Engagement Monitor. The link may be outdated or incomplete.",
    ),
    "notfound.home": ("Zur Übersicht", "Go to the overview"),
    "error.bad_callback": (
        "Die Anfrage an das Dashboard war fehlerhaft und wurde abgewiesen. Bitte die Seite neu laden.",
        "The request to the dashboard was malformed and was refused. Please reload the page.",
    ),
    "error.http": ("Die Anfrage wurde abgewiesen (HTTP {code}).", "The request was refused (HTTP {code})."),
    "error.internal": (
        "Im Dashboard ist ein Fehler aufgetreten. Bitte die Seite neu laden; bleibt er, die Betreuung informieren.",
        "An error occurred in the dashboard. Please reload the page; if it persists, tell the administrators.",
    ),
    # data intake (issue 14, dashboard.intake)
    "intake.title": ("Daten einspielen", "Bring in data"),
    "intake.nav": ("Daten einspielen", "Bring in data"),
    "intake.lead": (
        "Exporte (CSV, XLSX oder ZIP der GENESIS-Flatfile) hier ablegen: Das Dashboard erkennt, was sie enthalten, "
        "zeigt vorab, was sich ändert, und übernimmt sie erst, wenn Sie bestätigen.",
        "Drop exports here (CSV, XLSX or a ZIP of the GENESIS flat file): the dashboard recognises what they hold, "
        "shows beforehand what would change, and takes them in only when you confirm.",
    ),
    "intake.no_access": (
        "Daten einspielen dürfen nur Koordinierungsstellen (Rolle koordination:<AGS>) und die Netzwerkstelle.",
        "Only coordination offices (role koordination:<AGS>) and the network office may bring in data.",
    ),
    "intake.who": ("Angemeldet als {name}; Daten für: {towns}", "Signed in as {name}; data for: {towns}"),
    "intake.step_drop": ("1. Dateien ablegen", "1. Drop files"),
    "intake.drop": (
        "Dateien hierher ziehen oder klicken (Eingabetaste) zum Auswählen",
        "Drag files here or click (Enter) to choose",
    ),
    "intake.drop_hint": (
        "CSV, XLSX oder ZIP, höchstens {mb} MB je Datei",
        "CSV, XLSX or ZIP, at most {mb} MB per file",
    ),
    "intake.queued": ("Wartet in der Warteschlange (Platz {position})", "Waiting in the queue (place {position})"),
    "intake.starting": ("Wird gleich bearbeitet …", "Starting shortly …"),
    "intake.running": ("Wird bearbeitet …", "Working …"),
    "intake.failed": (
        "Die Verarbeitung ist fehlgeschlagen; nichts wurde übernommen.",
        "Processing failed; nothing was taken in.",
    ),
    "intake.suppressed": ("unterdrückt", "suppressed"),
    "intake.change": (
        "{name} {year} ({town}): neu {new} (bisher {old})",
        "{name} {year} ({town}): new {new} (before {old})",
    ),
    "intake.kind": ("Art der Daten", "Kind of data"),
    "intake.kind_unknown": ("nicht erkannt", "not recognised"),
    "intake.town": ("Stadt", "Town"),
    "intake.year": ("Jahr der Befragung", "Survey year"),
    "intake.years": ("Daten von {first} bis {last}", "Data from {first} to {last}"),
    "intake.new_source": ("als neue Quelle", "as a new source"),
    "intake.replace": ("ersetzt „{label}“ ({path})", "replaces '{label}' ({path})"),
    "intake.replace_label": ("Bisherige Quelle", "Existing source"),
    "intake.target": ("Wird abgelegt als {path} (Quelle „{label}“)", "Will be stored as {path} (source '{label}')"),
    "intake.mapping": ("Zuordnung der Spalten", "Column mapping"),
    "intake.mapping_lead": (
        "Vorschlag nach den Spaltennamen: bitte prüfen und bei Bedarf ändern, dann „Vorschau aktualisieren“.",
        "Proposed from the column names: please check and change where needed, then 'Update preview'.",
    ),
    "intake.remembered": (
        "Zuordnung wie beim letzten Export dieser Plattform für diese Stadt.",
        "Mapping as for this town's last export from this platform.",
    ),
    "intake.not_mapped": ("– nicht zuordnen –", "– not mapped –"),
    "intake.required": ("Pflicht", "required"),
    "intake.check": ("Prüfung", "Check"),
    "intake.rows_read": ("Zeilen gelesen", "Rows read"),
    "intake.rows_accepted": ("übernommen", "accepted"),
    "intake.rows_rejected": ("abgewiesen", "rejected"),
    "intake.rows_skipped": ("übersprungen (andere Gebiete)", "skipped (other regions)"),
    "intake.row": ("Zeile", "Row"),
    "intake.column": ("Spalte", "Column"),
    "intake.reason": ("Grund", "Reason"),
    "intake.rejects": ("Abgewiesene Zeilen ({n} Gründe)", "Rejected rows ({n} reasons)"),
    "intake.duplicates": ("Duplikate ({n})", "Duplicates ({n})"),
    "intake.first_rows": ("Die ersten abgewiesenen Zeilen", "The first rejected rows"),
    "intake.first_rows_note": (
        "Nur zugeordnete Felder; Personenangaben (E-Mail, Name, Telefon) und freie Texte werden nie gezeigt.",
        "Mapped fields only; personal data (e-mail, name, phone) and free text are never shown.",
    ),
    "intake.hidden": ("nicht gezeigt", "not shown"),
    "intake.preview": ("2. Vorschau: Was sich ändern würde", "2. Preview: what would change"),
    "intake.changes": ("Kennzahlen (nach dem Schutz kleiner Gruppen)", "Indicators (after small-group protection)"),
    "intake.no_change": ("Keine Kennzahl der Stadt ändert sich.", "No indicator of the town changes."),
    "intake.breakdown_changes": (
        "Außerdem ändern sich {n} Werte in Aufschlüsselungen.",
        "Also {n} values in breakdowns change.",
    ),
    "intake.refresh": ("Vorschau aktualisieren", "Update preview"),
    "intake.publish": ("Veröffentlichen", "Publish"),
    "intake.discard": ("Verwerfen", "Discard"),
    "intake.discarded": ("Die hochgeladenen Dateien wurden gelöscht.", "The uploaded files were deleted."),
    "intake.published": (
        "Veröffentlicht: Lauf {run} ist geladen, das Dashboard zeigt ab jetzt die neuen Zahlen.",
        "Published: run {run} is loaded; the dashboard shows the new figures from now on.",
    ),
    "intake.undone": (
        "Import {id} zurückgenommen: Lauf {run} ist geladen.",
        "Intake {id} taken back: run {run} is loaded.",
    ),
    "intake.to_dashboard": ("Zum Dashboard", "To the dashboard"),
    "intake.history": ("3. Bisherige Importe", "3. Earlier intakes"),
    "intake.no_history": ("Noch keine Importe über diese Seite.", "No intakes through this page yet."),
    "intake.undo_town": ("Stadt", "Town"),
    "intake.undo": ("Letzten Import zurücknehmen", "Take back the last intake"),
    "intake.undo_yes": ("Ja, zurücknehmen", "Yes, take it back"),
    "intake.h_when": ("Zeit", "Time"),
    "intake.h_action": ("Import", "Intake"),
    "intake.h_town": ("Stadt", "Town"),
    "intake.h_account": ("Konto", "Account"),
    "intake.h_files": ("Dateien", "Files"),
    "intake.h_run": ("Lauf", "Run"),
    "intake.h_status": ("Ergebnis", "Result"),
    "intake.action_publish": ("veröffentlicht", "published"),
    "intake.action_undo": ("Import {id} zurückgenommen", "took back intake {id}"),
    "intake.status_ok": ("ok", "ok"),
    "intake.status_partial": ("teilweise", "partial"),
    "intake.status_failed": ("fehlgeschlagen", "failed"),
    "intake.cross_site": (
        "Abgewiesen: Die Anfrage kam nicht von einer Seite dieses Dashboards.",
        "Refused: the request did not come from a page of this dashboard.",
    ),
    # what the intake says (dashboard.intake.said): refusals, problems, errors, progress — German exactly as
    # the intake said it before; {x:n} {x:i} {x:mb} {x:m} {x:j…} {x:k} are the specs of dashboard.intake.said
    # ({x:s}: a text whose other language does without it)
    "intake.up.too_big": (
        "„{file}“ ist {size:mb} groß; erlaubt sind höchstens {limit:mb} je Datei. Bitte den Export aufteilen "
        "(z. B. je Jahr) oder die Betreiber um eine höhere Grenze bitten.",
        "“{file}” is {size:mb}; at most {limit:mb} per file are allowed. Please split the export (e.g. by year) "
        "or ask the operators for a higher limit.",
    ),
    "intake.up.empty": ("„{file}“ ist leer.", "“{file}” is empty."),
    "intake.up.binary": (
        "„{file}“ ist {what:m}, keine Tabelle: bitte als CSV oder XLSX speichern.",
        "“{file}” is {what:m}, not a table: please save it as CSV or XLSX.",
    ),
    "intake.bin.xls": (
        "eine alte Excel-Datei (.xls) oder eine kennwortgeschützte Arbeitsmappe",
        "an old Excel file (.xls) or a password-protected workbook",
    ),
    "intake.bin.pdf": ("ein PDF-Dokument", "a PDF document"),
    "intake.bin.png": ("ein Bild (PNG)", "an image (PNG)"),
    "intake.bin.jpeg": ("ein Bild (JPEG)", "an image (JPEG)"),
    "intake.bin.gif": ("ein Bild (GIF)", "an image (GIF)"),
    "intake.bin.elf": ("ein Programm", "a program"),
    "intake.bin.exe": ("ein Windows-Programm", "a Windows program"),
    "intake.bin.gzip": ("ein gepacktes Archiv (gzip)", "a compressed archive (gzip)"),
    "intake.bin.7z": ("ein gepacktes Archiv (7z)", "a compressed archive (7z)"),
    "intake.bin.rar": ("ein gepacktes Archiv (RAR)", "a compressed archive (RAR)"),
    "intake.bin.bzip2": ("ein gepacktes Archiv (bzip2)", "a compressed archive (bzip2)"),
    "intake.up.nul": (
        "„{file}“ ist keine Tabelle (CSV oder XLSX), sondern eine Binärdatei.",
        "“{file}” is not a table (CSV or XLSX) but a binary file.",
    ),
    "intake.up.bad_zip": (
        "„{file}“ ist ein beschädigtes ZIP-Archiv (oder eine beschädigte XLSX-Datei).",
        "“{file}” is a damaged ZIP archive (or a damaged XLSX file).",
    ),
    "intake.up.members": (
        "„{file}“ enthält {n:i} Dateien; mehr als {max:i} werden nicht geöffnet.",
        "“{file}” holds {n:n} files; more than {max:n} are not opened.",
    ),
    "intake.up.outside_archive": (
        "„{file}“ enthält einen Pfad außerhalb des Archivs ('{member}').",
        "“{file}” holds a path outside the archive ('{member}').",
    ),
    "intake.up.encrypted": (
        "„{file}“ ist verschlüsselt: bitte ohne Kennwort speichern.",
        "“{file}” is encrypted: please save it without a password.",
    ),
    "intake.up.bomb": (
        "„{file}“ ist eine ZIP-Bombe oder beschädigt: '{member}' würde auf {size:mb} entpackt (mehr als das "
        "{ratio:i}-fache).",
        "“{file}” is a ZIP bomb or damaged: '{member}' would unpack to {size:mb} (more than {ratio:n} times its "
        "packed size).",
    ),
    "intake.up.unpacked": (
        "„{file}“ würde entpackt mehr als {limit:mb} belegen; so große Arbeitsmappen oder Archive werden nicht "
        "geöffnet (ZIP-Bombe?).",
        "“{file}” would take more than {limit:mb} unpacked; workbooks or archives that large are not opened "
        "(a ZIP bomb?).",
    ),
    "intake.up.nested": (
        "„{file}“ enthält ein weiteres Archiv ('{member}'): bitte entpacken.",
        "“{file}” holds another archive ('{member}'): please unpack it.",
    ),
    "intake.up.zip_other": (
        "„{file}“ ist ein ZIP-Archiv ohne Excel-Arbeitsmappe und enthält '{member}'; als ZIP wird nur die "
        "GENESIS-Flatfile (CSV) der Regionalstatistik angenommen.",
        "“{file}” is a ZIP archive without an Excel workbook and holds '{member}'; as a ZIP only the GENESIS flat "
        "file (CSV) of the Regionalstatistik is accepted.",
    ),
    "intake.up.vba": (
        "„{file}“ enthält Makros (VBA): bitte als Arbeitsmappe ohne Makros (.xlsx) speichern.",
        "“{file}” contains macros (VBA): please save it as a workbook without macros (.xlsx).",
    ),
    "intake.up.embedded": (
        "„{file}“ enthält eingebettete Objekte oder Steuerelemente: bitte nur die Tabelle als .xlsx speichern.",
        "“{file}” contains embedded objects or controls: please save only the table as .xlsx.",
    ),
    "intake.up.links": (
        "„{file}“ verweist auf andere Arbeitsmappen (externe Verknüpfungen): bitte in Excel unter Daten › "
        "Verknüpfungen bearbeiten › Verknüpfung aufheben lösen und neu speichern.",
        "“{file}” refers to other workbooks (external links): please break them in Excel under Data › Edit Links "
        "› Break Link and save again.",
    ),
    "intake.up.macro_types": (
        "„{file}“ ist eine Arbeitsmappe mit Makros: bitte als .xlsx ohne Makros speichern.",
        "“{file}” is a workbook with macros: please save it as .xlsx without macros.",
    ),
    "intake.up.external": (
        "„{file}“ lädt Inhalte von außerhalb der Datei (externe Beziehung): bitte die Verknüpfungen lösen und neu "
        "speichern.",
        "“{file}” loads content from outside the file (an external relationship): please break the links and "
        "save again.",
    ),
    "intake.up.path_outside": (
        "Der Pfad „{path}“ liegt außerhalb des Quellordners.",
        "The path “{path}” lies outside the source folder.",
    ),
    "intake.up.path_symlink": (
        "Der Pfad „{path}“ führt über einen Verweis (Symlink).",
        "The path “{path}” leads through a symbolic link.",
    ),
    "intake.up.incomplete": (
        "Die Datei kam nicht vollständig an: bitte erneut ablegen.",
        "The file did not arrive complete: please drop it again.",
    ),
    "intake.up.not_sent": (
        "„{file}“ ist größer als {mb:i} MB und wurde nicht gesendet.",
        "“{file}” is larger than {mb:n} MB and was not sent.",
    ),
    "intake.up.nothing": ("Keine Datei angekommen.", "No file arrived."),
    "intake.act.expired": (
        "Die Seite ist abgelaufen oder stammt aus einer anderen Sitzung: bitte neu laden und erneut versuchen.",
        "The page has expired or belongs to another session: please reload it and try again.",
    ),
    "intake.act.unknown_kind": ("Unbekannte Art der Daten: „{kind}“.", "Unknown kind of data: “{kind}”."),
    "intake.act.town_refused_named": (
        "Für die Stadt „{town}“ darf dieses Konto keine Daten einspielen.",
        "This account may not bring in data for the town “{town}”.",
    ),
    "intake.act.town_refused": (
        "Für die Stadt {town} darf dieses Konto keine Daten einspielen.",
        "This account may not bring in data for the town {town}.",
    ),
    "intake.act.year": (
        "Das Jahr muss eine Jahreszahl sein (z. B. 2025).",
        "The year must be a year number (e.g. 2025).",
    ),
    "intake.act.no_box": (
        "Diese hochgeladenen Dateien gibt es nicht (mehr) für dieses Konto: bitte neu ablegen.",
        "These uploaded files do not exist (any more) for this account: please drop them again.",
    ),
    "intake.act.no_job": (
        "Diesen Auftrag gibt es nicht für dieses Konto.",
        "This job does not exist for this account.",
    ),
    "intake.act.clean_preview_only": (
        "Veröffentlicht werden kann nur eine fehlerfreie, aktuelle Vorschau.",
        "Only a current preview without errors can be published.",
    ),
    "intake.act.undo_refused": (
        "Für diese Stadt darf dieses Konto keine Importe zurücknehmen.",
        "This account may not take back intakes for this town.",
    ),
    "intake.act.undo_town_refused": (
        "Für die Stadt {town} darf dieses Konto keine Importe zurücknehmen.",
        "This account may not take back intakes for the town {town}.",
    ),
    "intake.act.publishing": (
        "Diese Dateien werden gerade veröffentlicht.",
        "These files are being published right now.",
    ),
    "intake.problem": ("„{file}“: {what:m}", "“{file}”: {what:m}"),
    "intake.problems": ("{problems:j }", "{problems:j }"),
    "intake.p.kind": ("Bitte die Art der Daten wählen.", "Please choose the kind of data."),
    "intake.p.town": ("Bitte die Stadt wählen.", "Please choose the town."),
    "intake.p.town_unknown": ("Die Stadt {town} steht nicht im Manifest.", "The town {town} is not in the manifest."),
    "intake.p.population": (
        "Bevölkerungstabellen gelten für mehrere Städte und werden von der Netzwerkstelle eingespielt.",
        "Population tables hold several towns and are brought in by the network office.",
    ),
    "intake.p.columns": ("Bitte eine Spalte zuordnen für: {fields}.", "Please map a column for: {fields}."),
    "intake.p.doubled": (
        "Die Spalte „{column}“ ist mehreren Feldern zugeordnet.",
        "The column “{column}” is mapped to several fields.",
    ),
    "intake.p.year": ("Bitte das Jahr der Befragung angeben.", "Please give the year of the survey."),
    "intake.err.pattern_state": (
        "Die Quelle „{label}“ liest mit dem Muster '{pattern}' auch Dateien im Ordner .engage-intake "
        "(Zwischenablage des Einspielens). Bitte das Muster in engage.toml enger fassen (ohne **).",
        "The source “{label}” with the pattern '{pattern}' also reads files in the folder .engage-intake (the "
        "intake's staging area). Please narrow the pattern in engage.toml (without **).",
    ),
    "intake.err.entry_gone": (
        "Der Eintrag '{path}' steht nicht mehr in engage.toml.",
        "The entry '{path}' is no longer in engage.toml.",
    ),
    "intake.err.upload_gone": (
        "Die hochgeladenen Dateien sind nicht mehr da (verworfen oder abgelaufen): bitte neu ablegen.",
        "The uploaded files are gone (discarded or expired): please drop them again.",
    ),
    "intake.err.digests": (
        "Die Dateien sind nicht die der Vorschau: bitte die Vorschau neu erstellen.",
        "The files are not those of the preview: please make the preview again.",
    ),
    "intake.err.manifest": (
        "engage.toml des Quellordners ist fehlerhaft: {detail:m}",
        "The source folder's engage.toml is faulty: {detail:m}",
    ),
    "intake.err.mapping_manifest": (
        "Mit dieser Zuordnung ergibt sich kein gültiges Manifest: {detail:m}",
        "This mapping gives no valid manifest: {detail:m}",
    ),
    "intake.err.new_manifest": (
        "Das neue engage.toml wäre fehlerhaft, nichts wurde übernommen: {detail:m}",
        "The new engage.toml would be faulty; nothing was taken over: {detail:m}",
    ),
    "intake.err.undo_manifest": (
        "engage.toml wäre nach dem Zurücknehmen fehlerhaft: {detail:m}",
        "engage.toml would be faulty after taking back: {detail:m}",
    ),
    "intake.err.not_read": ("Die Datei wurde nicht gelesen.", "The file was not read."),
    "intake.err.busy": (
        "{detail:s}",
        "Another ETL run kept the warehouse busy for too long; nothing was taken over. Please try again later.",
    ),
    "intake.err.etl": ("{detail:m}", "The ETL run stopped: {detail:m}"),
    "intake.err.etl_stopped": ("Der ETL-Lauf ist abgebrochen.", "The ETL run stopped."),
    "intake.err.file_exists": (
        "Die Datei {path} gibt es schon im Quellordner.",
        "The file {path} already exists in the source folder.",
    ),
    "intake.err.nothing_to_undo": (
        "Es gibt keinen Import dieser Stadt, der zurückgenommen werden kann.",
        "This town has no intake that can be taken back.",
    ),
    "intake.err.undo_entry_gone": (
        "Der Eintrag für {path} steht nicht mehr in engage.toml (von Hand geändert?): bitte von Hand zurücknehmen.",
        "The entry for {path} is no longer in engage.toml (changed by hand?): please take it back by hand.",
    ),
    "intake.err.stopped": (
        "Abgebrochen: Der Server wurde während der Verarbeitung beendet. Bitte erneut starten.",
        "Stopped: the server was shut down during processing. Please start again.",
    ),
    "intake.err.killed": (
        "Abgebrochen: Die Verarbeitung brauchte zu viel Speicher oder Zeit (ist die Datei sehr groß oder "
        "beschädigt?). Nichts wurde übernommen.",
        "Stopped: processing needed too much memory or time (is the file very large or damaged?). Nothing was "
        "taken over.",
    ),
    "intake.err.unexpected": (
        "Unerwarteter Fehler bei der Verarbeitung; nichts übernommen.",
        "Unexpected error during processing; nothing taken over.",
    ),
    "intake.log.loaded": ("Lauf {run} geladen", "Run {run} loaded"),
    "intake.log.loaded_failed": (
        "Lauf {run} geladen; Quellen mit Fehlern: {sources}",
        "Run {run} loaded; sources with errors: {sources}",
    ),
    "intake.log.undone": (
        "Import {id} zurückgenommen; Lauf {run} geladen",
        "Intake {id} taken back; run {run} loaded",
    ),
    "intake.step.recognise": ("Erkenne die Dateien", "Recognising the files"),
    "intake.step.build": ("Baue die Vorschau auf", "Building the preview"),
    "intake.step.preview_etl": ("Vorschau: {text:m}", "Preview: {text:m}"),
    "intake.step.compare": ("Vergleiche mit dem Warehouse", "Comparing with the warehouse"),
    "intake.step.store": ("Lege die Dateien im Quellordner ab", "Storing the files in the source folder"),
    "intake.step.etl": ("ETL: {text:m}", "ETL run: {text:m}"),
    "intake.step.waiting": (
        "Wartet auf einen anderen ETL-Lauf, der gerade schreibt",
        "Waiting for another ETL run that is writing",
    ),
    "intake.step.restore": ("Stelle Dateien und engage.toml wieder her", "Restoring the files and engage.toml"),
    "intake.step.done": ("Fertig", "Done"),
    "intake.how.genesis_zip": (
        "GENESIS-Flatfile der Regionalstatistik (ZIP)",
        "GENESIS flat file of the Regionalstatistik (ZIP)",
    ),
    "intake.how.zip_unknown": (
        "ZIP-Archiv ohne erkennbare GENESIS-Flatfile der Regionalstatistik",
        "ZIP archive without a recognisable GENESIS flat file of the Regionalstatistik",
    ),
    "intake.how.population": ("Regionalstatistik-Tabelle {code}", "Regionalstatistik table {code}"),
    "intake.how.goals": ("Zielplan (Arbeitsmappe mit Blatt „Ziele“)", "Goal plan (workbook with the sheet “Ziele”)"),
    "intake.how.etl": ("{msg:m}", "{msg:m}"),
    "intake.how.population_std": ("Bevölkerungstabelle (Standardspalten)", "Population table (standard columns)"),
    "intake.how.remembered": (
        "Export derselben Plattform wie zuletzt: die damals bestätigte Zuordnung ist vorgeschlagen",
        "Export of the same platform as last time: the mapping confirmed then is proposed",
    ),
    "intake.how.standard": (
        "Kopfzeile mit den Standardspalten von {kind:s}",
        "Header with the standard columns of {kind:k}",
    ),
    "intake.how.registrations": (
        "Freiwilligenregistrierungen mit den Standardspalten",
        "Volunteer registrations with the standard columns",
    ),
    "intake.how.platform": (
        "Freiwilligenregistrierungen einer Plattform mit eigenen Spaltennamen: Zuordnung bitte prüfen",
        "Volunteer registrations of a platform with column names of its own: please check the mapping",
    ),
    "intake.how.unsure": (
        "Art nicht sicher erkannt: Für Registrierungen fehlt eine Spalte für die Person oder das "
        "Registrierungsdatum. Bitte Art und Zuordnung wählen.",
        "Kind not recognised for sure: for registrations a column for the person or the registration date is "
        "missing. Please choose the kind and the mapping.",
    ),
    "intake.how.survey_unreadable": (
        "LimeSurvey-Export, aber nicht lesbar: {reason:m}",
        "LimeSurvey export, but not readable: {reason:m}",
    ),
    "intake.how.survey": ("LimeSurvey-Export ({what:k})", "LimeSurvey export ({what:k})"),
    "role.koordination": ("Koordinierungsstelle {town}", "coordination office {town}"),
    # district maps (issue 16)
    "part.map": ("Wo in der Stadt? Stadtteilkarte", "Where in town? District map"),
    "part.map_indicator": ("Kennzahl auf der Karte", "Indicator on the map"),
    "map.primary_persons": ("weniger als {min_cell} Personen", "fewer than {min_cell} persons"),
    "map.secondary": (
        "verborgen, damit eine kleine Gruppe nicht errechenbar ist",
        "hidden so that a small group cannot be computed",
    ),
    "map.either": ("{primary} oder {secondary}", "{primary} or {secondary}"),
    "map.no_data": ("keine Angaben", "no data"),
    "map.not_shown": ("nicht ausgewiesen", "not shown"),
    "map.unit_share": ("in %", "in %"),
    "map.unit_per_1000": ("(Einwohner ab 14 Jahren)", "(population aged 14+)"),
    "map.unit_count": ("(Anzahl)", "(number)"),
    "map.index_centre": ("1 = so viele wie ihr Bevölkerungsanteil", "1 = as many as their population share"),
    "map.ci": ("95-%-Intervall", "95% interval"),
    "map.no_shapes": (
        "Für {town} sind keine Stadtteil-Umrisse hinterlegt (Quelle der Art districts in engage.toml).",
        "There are no district shapes for {town} (a source of kind districts in engage.toml).",
    ),
    "map.no_values": (
        "{indicator}: für {town} liegen {year} keine Werte nach Stadtteil vor.",
        "{indicator}: no values by district for {town} in {year}.",
    ),
    "map.unshaped": (
        "Ohne Umriss, daher nur in der Tabelle: {codes}.",
        "Without a shape, so in the table only: {codes}.",
    ),
    "map.hatched": (
        "Schraffiert: nicht ausgewiesen ({reasons}).",
        "Hatched: not shown ({reasons}).",
    ),
    "map.fictional": (
        "Die Stadtteil-Umrisse sind erfunden (Demodaten).",
        "The district shapes are made up (demo data).",
    ),
    "col.district": ("Stadtteil", "District"),
    "col.code": ("Code", "Code"),
}

# Codes stored in the warehouse → labels
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "gender": {"w": ("Frauen", "women"), "m": ("Männer", "men"), "d": ("divers", "diverse")},
    "edu": {
        "1": ("Bildung niedrig", "low education"),
        "2": ("Bildung mittel", "medium education"),
        "3": ("Bildung hoch", "high education"),
    },
    "mig": {
        "Y": ("mit Migrationshintergrund", "migration background"),
        "N": ("ohne Migrationshintergrund", "no migration background"),
    },
    "sector": {
        "civil_society": ("Zivilgesellschaft", "Civil society"),
        "politics": ("Politik", "Politics"),
        "administration": ("Verwaltung", "Administration"),
        "business": ("Wirtschaft", "Business"),
    },
    "status": {
        "achieved": ("erreicht", "achieved"),
        "on_track": ("im Plan", "on track"),
        "at_risk": ("gefährdet", "at risk"),
        "off_track": ("nicht im Plan", "off track"),
        "no_data": ("keine Messung", "no measurement"),
    },
    "measure_status": {
        "geplant": ("geplant", "planned"),
        "laufend": ("laufend", "running"),
        "umgesetzt": ("umgesetzt", "done"),
        "verzögert": ("verzögert", "delayed"),
        "abgebrochen": ("abgebrochen", "cancelled"),
    },
    "breakdown": {
        "age_band": ("Altersgruppe", "Age band"),
        "gender": ("Geschlecht", "Gender"),
        "district": ("Stadtteil", "District"),
        "edu": ("Bildung", "Education"),
        "mig": ("Migrationshintergrund", "Migration background"),
        "area": ("Bereich", "Area"),
        "format": ("Format", "Format"),
        "sector": ("Sektor", "Sector"),
    },
    "level": {
        "1": ("1 Aktivitäten finden wie geplant statt", "1 activities take place as planned"),
        "2": ("2 Zielgruppen werden erreicht", "2 target groups are reached"),
        "3": ("3 Zielgruppen akzeptieren die Angebote", "3 target groups accept the offers"),
        "4": ("4 Bewusstsein oder Fähigkeiten ändern sich", "4 awareness or skills change"),
        "5": ("5 Verhalten ändert sich", "5 behaviour changes"),
        "6": ("6 Lebenslage ändert sich", "6 living situation changes"),
        "7": ("7 Gesellschaft verändert sich", "7 society changes"),
    },
    "family": {
        "participation": ("Engagement & Beteiligung", "Engagement & participation"),
        "collaboration": ("Zusammenarbeit", "Collaboration"),
        "goals": ("Ziele & Maßnahmen", "Goals & measures"),
    },
    "unit": {
        "share": ("Anteil", "share"),
        "count": ("Anzahl", "count"),
        "per_1000": ("je 1.000", "per 1,000"),
        "hours": ("Stunden", "hours"),
        "index": ("Index", "index"),
        "score": ("Mittelwert 1–4", "mean 1–4"),
        "difference": ("Differenz", "difference"),
    },
    "run_status": {
        "ok": ("ok", "ok"),
        "partial": ("teilweise (eine Quelle abgewiesen)", "partial (a source rejected)"),
        "rejects": ("mit abgewiesenen Zeilen", "with rejected rows"),
        "failed": ("fehlgeschlagen", "failed"),
        # a failed source whose last good data was kept, and a run-level warning about engage.toml
        "kept": ("fehlgeschlagen – Daten des letzten erfolgreichen Laufs beibehalten", "failed – last good data kept"),
        "warning": ("Warnung", "warning"),
    },
    "source_kind": {  # etl.model.SOURCE_KINDS
        "population": ("Bevölkerung", "population figures"),
        "resident_survey": ("Bevölkerungsumfrage", "resident survey"),
        "partner_survey": ("Akteursbefragung", "partner survey"),
        "organisations": ("Organisationsliste", "list of organisations"),
        "registrations": ("Freiwilligen-Registrierungen", "volunteer registrations"),
        "events": ("Veranstaltungen", "events"),
        "goals": ("Zielplan", "goal plan"),
        "districts": ("Stadtteilgrenzen", "district boundaries"),
    },
    # event formats: free text of the events file; the usual ones named in English too (others as written)
    "format": {
        "Bürgerdialog": ("Bürgerdialog", "citizens' dialogue"),
        "Ehrenamtsempfang": ("Ehrenamtsempfang", "volunteers' reception"),
        "Engagementmesse": ("Engagementmesse", "volunteering fair"),
        "Fortbildung": ("Fortbildung", "training"),
        "Netzwerktreffen": ("Netzwerktreffen", "network meeting"),
        "Quartiersspaziergang": ("Quartiersspaziergang", "neighbourhood walk"),
        "Workshop": ("Workshop", "workshop"),
        "Zukunftswerkstatt": ("Zukunftswerkstatt", "future workshop"),
        "Erzählcafé": ("Erzählcafé", "storytelling café"),
        "Lesung": ("Lesung", "reading"),
    },
}

# The 14 engagement areas of the Freiwilligensurvey (questionnaire ENG3[SQ001]…[SQ014], data/questionnaires):
# the survey stores the codes, the registrations the German names; both read as the area's name.
AREAS: tuple[tuple[str, str], ...] = (
    ("Sport und Bewegung", "Sport and exercise"),
    ("Kultur und Musik", "Culture and music"),
    ("Freizeit und Geselligkeit", "Leisure and social life"),
    ("Sozialer Bereich", "Social services"),
    ("Gesundheitsbereich", "Health"),
    ("Schule oder Kindergarten", "School or kindergarten"),
    ("Außerschulische Jugendarbeit oder Bildungsarbeit für Erwachsene", "Youth work outside school or adult education"),
    ("Umwelt, Naturschutz oder Tierschutz", "Environment, nature conservation or animal welfare"),
    ("Politik und politische Interessenvertretung", "Politics and political advocacy"),
    ("Berufliche Interessenvertretung außerhalb des Betriebs", "Professional advocacy outside the workplace"),
    ("Kirchlicher oder religiöser Bereich", "Church or religion"),
    ("Justiz und Kriminalitätsprobleme", "Justice and crime"),
    ("Unfall- oder Rettungsdienst oder freiwillige Feuerwehr", "Accident or rescue services or volunteer fire brigade"),
    ("Sonstiger bürgerschaftlicher Bereich", "Other civic area"),
)
LABELS["area"] = {f"SQ{i:03d}": pair for i, pair in enumerate(AREAS, start=1)} | {de: (de, en) for de, en in AREAS}


def t(key: str, lang: str = "de", **values: object) -> str:
    """The text for ``key`` in ``lang`` (German fallback), with ``{placeholders}`` filled from ``values``."""
    pair = TEXT.get(key)
    text = key if pair is None else pair[1 if lang == "en" else 0]
    return text.format(**values) if values else text


def label(kind: str, code: object, lang: str = "de") -> str:
    """A stored code as a readable label (``label("gender", "w")`` → "Frauen"); unknown codes as they are."""
    code = "" if code is None else str(code)
    if kind == "district" and code:
        return f"Stadtteil {code}" if lang == "de" else f"District {code}"
    if kind == "area" and code.lower().startswith("sq"):
        code = code.upper()
        if code not in LABELS["area"]:
            return f"Bereich {code[2:].lstrip('0')}" if lang == "de" else f"Area {code[2:].lstrip('0')}"
    pair = LABELS.get(kind, {}).get(code)
    return code if pair is None else pair[1 if lang == "en" else 0]


def norm_lang(lang: object) -> str:
    """Any language value from a URL or a control → "de" or "en" (German unless English is asked for)."""
    return "en" if str(lang or "").lower().startswith("en") else "de"
