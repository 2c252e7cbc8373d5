"""Real files for the intake tests: a town's registration export as another platform writes it.

The demo's own export (German headers the demo manifest maps) is rewritten with the headers of a different
platform, with new registrations added (so the town's figures change), a few rows a coordinator must fix
(an impossible date, an unknown gender, a duplicate of an earlier row) and the personal columns real exports
carry (names, e-mail, phone, a note).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

# the other platform's header for each column of the demo's export (None: column dropped)
PLATFORM = {
    "Nr.": "Lfd. Nr.",
    "Vorname": "Vorname",
    "Nachname": "Familienname",
    "E-Mail": "Mail-Adresse",
    "Telefon": "Mobil",
    "Registriert am": "Anmeldedatum",
    "Beendet am": "Abschluss",  # no platform word: the user maps it in the dropdown
    "Organisation": "Einrichtung",
    "Bereich": "Engagementfeld",
    "Tätigkeit": "Aufgabe",
    "Geburtsjahr": "Jahrgang",
    "Geschlecht": "Geschl.",
    "Stadtteil": "Ortsteil",
    "PLZ": "Postleitzahl",
    "Stunden": "Std./Monat",
    "Notiz": "Bemerkung",
}
BAD_DATE = "31.02.2025"
SECRET_MAIL = "geheim.person@example.org"
SECRET_NAME = "Geheimnisvoll"
SECRET_PHONE = "0171 9988776"


def platform_export(demo_csv: Path, new_rows: int = 40, extra_years: int = 2025) -> bytes:
    """The demo export of one town with the other platform's headers, ``new_rows`` new persons and 3 bad rows."""
    text = demo_csv.read_bytes().decode("utf-8-sig")
    delimiter = ";" if ";" in text.splitlines()[0] else ","  # the demo towns' exports differ
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header, body = rows[0], rows[1:]
    index = {name: i for i, name in enumerate(header)}
    out = [[PLATFORM[h] for h in header]]
    out += body
    template = body[0]
    for k in range(new_rows):
        row = list(template)
        row[index["Nr."]] = str(10_000 + k)
        row[index["Vorname"]] = f"Neu{k}"
        row[index["E-Mail"]] = f"neu.person{k}@example.org"
        row[index["Telefon"]] = f"0170 55{k:05d}"
        row[index["Registriert am"]] = f"{1 + k % 27:02d}.{1 + k % 12:02d}.{extra_years}"
        row[index["Beendet am"]] = ""
        row[index["Geburtsjahr"]] = str(1950 + k % 50)
        row[index["Geschlecht"]] = ("weiblich", "männlich")[k % 2]
        out.append(row)
    bad_date = list(template)
    bad_date[index["E-Mail"]] = SECRET_MAIL
    bad_date[index["Nachname"]] = SECRET_NAME
    bad_date[index["Telefon"]] = SECRET_PHONE
    bad_date[index["Registriert am"]] = BAD_DATE
    bad_gender = list(template)
    bad_gender[index["E-Mail"]] = "noch.eine@example.org"
    bad_gender[index["Geschlecht"]] = "x"
    out += [bad_date, bad_gender, list(body[1])]  # the last one repeats an earlier row: a duplicate
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(out)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def bad_file() -> bytes:
    """A CSV that is no export of any kind the ETL reads: its German message, nothing published."""
    return b"Spalte A;Spalte B\n1;2\n3;4\n"
