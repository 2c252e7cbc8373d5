"""Each upload guard of :mod:`dashboard.intake.guards` on real bytes: size, type by content, ZIP bombs, macros
and external links, file names and paths; and that a refusal never echoes what the file holds."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.intake.guards import (
    MAX_MEMBERS,
    UploadRefused,
    check_upload,
    display_name,
    inside,
    safe_name,
)

MB = 2**20
LIMIT = 5 * MB
UNPACKED = 50 * MB
CSV = b"Nr.;E-Mail;Registriert am\r\n1;erika.muster@example.org;01.02.2025\r\n"


def _check(name: str, data: bytes) -> str:
    return check_upload(name, data, LIMIT, UNPACKED).content


def _refusal(name: str, data: bytes, limit: int = LIMIT, unpacked: int = UNPACKED) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(name, data, limit, unpacked)
    return str(caught.value)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _workbook(tmp_path: Path) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nr.", "E-Mail", "Registriert am"])
    sheet.append([1, "erika.muster@example.org", "01.02.2025"])
    path = tmp_path / "mappe.xlsx"
    book.save(path)
    return path.read_bytes()


def _with_members(xlsx: bytes, extra: dict[str, bytes]) -> bytes:
    """The workbook with members added (or replaced), as a crafted file would carry them."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    members = {i.filename: source.read(i.filename) for i in source.infolist() if i.filename not in extra}
    return _zip({**members, **extra})


# --- size -------------------------------------------------------------------------------------------------------


def test_oversize_refused_with_sizes_in_german_format() -> None:
    data = CSV + b"2;x@example.org;01.02.2025\r\n" * (LIMIT // 20)
    assert len(data) > LIMIT
    message = _refusal("Export.csv", data)
    assert message.startswith("„Export.csv“ ist ") and "erlaubt sind höchstens 5,0 MB je Datei" in message


def test_exactly_the_limit_is_accepted() -> None:
    data = CSV + b"x" * (LIMIT - len(CSV))
    assert len(data) == LIMIT
    assert _check("grenze.csv", data) == "csv"


def test_empty_file_refused() -> None:
    assert _refusal("leer.csv", b" \r\n\t") == "„leer.csv“ ist leer."


# --- type by content ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("magic", "what"),
    [
        (b"\x89PNG\r\n\x1a\n", "ein Bild (PNG)"),
        (b"%PDF-1.7\n", "ein PDF-Dokument"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "eine alte Excel-Datei (.xls)"),
        (b"\x7fELF\x02\x01", "ein Programm"),
        (b"MZ\x90\x00", "ein Windows-Programm"),
        (b"\x1f\x8b\x08\x00", "ein gepacktes Archiv (gzip)"),
    ],
)
def test_wrong_type_refused_by_content_whatever_the_name(magic: bytes, what: str) -> None:
    message = _refusal("registrierungen.csv", magic + b"\x00" * 64)
    assert what in message and "keine Tabelle" in message


def test_binary_without_known_signature_refused() -> None:
    assert "Binärdatei" in _refusal("daten.csv", b"abc\x00\x01\x02def" * 10)


def test_utf16_text_from_excel_is_a_table() -> None:
    data = "\ufeffNr.\tE-Mail\r\n1\tx@example.org\r\n".encode("utf-16-le")
    assert _check("unicode.txt", b"\xff\xfe" + data[2:]) == "csv"


def test_csv_named_xlsx_is_stored_as_csv() -> None:
    checked = check_upload("Export.xlsx", CSV, LIMIT, UNPACKED)
    assert (checked.content, checked.name) == ("csv", "Export.csv")


def test_real_workbook_is_xlsx(tmp_path: Path) -> None:
    checked = check_upload("Anmeldungen 2025.XLSX", _workbook(tmp_path), LIMIT, UNPACKED)
    assert (checked.content, checked.name) == ("xlsx", "Anmeldungen_2025.xlsx")


def test_genesis_zip_of_csv_accepted_other_zip_refused() -> None:
    assert _check("flat.zip", _zip({"12411-02-03-5_flat.csv": b"a;b\n1;2\n"})) == "zip"
    assert "ohne Excel-Arbeitsmappe" in _refusal("fotos.zip", _zip({"bild.jpg": b"\xff\xd8\xff" + b"1" * 10}))
    assert "weiteres Archiv" in _refusal("doppelt.zip", _zip({"innen.zip": _zip({"a.csv": b"a\n"})}))


def test_damaged_zip_refused() -> None:
    data = _zip({"a.csv": b"a;b\n" * 100})
    assert "beschädigtes ZIP-Archiv" in _refusal("kaputt.xlsx", data[:40])


# --- ZIP bombs -------------------------------------------------------------------------------------------------


def test_zip_bomb_by_ratio_refused() -> None:
    bomb = _zip({"xl/worksheets/sheet1.xml": b"\x00" * (30 * MB), "xl/workbook.xml": b"<workbook/>"})
    assert len(bomb) < LIMIT
    message = _refusal("bombe.xlsx", bomb)
    assert "ZIP-Bombe" in message and "'xl/worksheets/sheet1.xml'" in message


def test_zip_bomb_by_total_unpacked_size_refused() -> None:
    # each member compresses only ~6:1 (random zeros and ones: far below the ratio limit), but together they
    # unpack beyond the limit
    bits = bytes.maketrans(bytes(range(256)), b"01" * 128)
    bomb = _zip({f"teil{i}.csv": os.urandom(3 * MB).translate(bits) for i in range(8)})
    assert len(bomb) < 10 * MB
    message = _refusal("viele.zip", bomb, limit=10 * MB, unpacked=20 * MB)
    assert "würde entpackt mehr als 20,0 MB belegen" in message


def test_declared_sizes_bound_what_is_unpacked() -> None:
    """A member whose directory entry lies about its size is never unpacked beyond it (why sizes suffice)."""
    honest = _zip({"a.csv": b"A" * (2 * MB)})
    archive = zipfile.ZipFile(io.BytesIO(honest))
    info = archive.getinfo("a.csv")
    info.file_size = 1000  # what a crafted central directory would declare
    with pytest.raises(zipfile.BadZipFile), archive.open(info) as member:
        member.read()


def test_too_many_members_refused() -> None:
    crowd = _zip({f"d{i}.csv": b"" for i in range(MAX_MEMBERS + 1)}, zipfile.ZIP_STORED)
    assert f"mehr als {MAX_MEMBERS} werden nicht geöffnet" in _refusal("viele.zip", crowd)


def test_member_path_outside_the_archive_refused() -> None:
    for member in ("../../etc/cron.d/x.csv", "/etc/passwd.csv", "a/../../b.csv"):
        assert "Pfad außerhalb des Archivs" in _refusal("flat.zip", _zip({member: b"a;b\n"}))


def test_encrypted_member_refused() -> None:
    data = bytearray(_zip({"a.csv": b"a;b\n1;2\n"}, zipfile.ZIP_STORED))
    data[6] |= 0x1  # the local header's flag bits
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the central directory's flag bits (what zipfile reads)
    assert "verschlüsselt" in _refusal("geheim.zip", bytes(data))


# --- workbooks: macros, embedded objects, external links -------------------------------------------------------


def test_workbook_with_macros_refused(tmp_path: Path) -> None:
    data = _with_members(_workbook(tmp_path), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert "Makros (VBA)" in _refusal("mappe.xlsx", data)


def test_macro_enabled_content_type_refused(tmp_path: Path) -> None:
    book = _workbook(tmp_path)
    types = zipfile.ZipFile(io.BytesIO(book)).read("[Content_Types].xml")
    crafted = types.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    assert crafted != types
    assert "mit Makros" in _refusal("mappe.xlsx", _with_members(book, {"[Content_Types].xml": crafted}))


def test_workbook_with_external_links_refused(tmp_path: Path) -> None:
    data = _with_members(_workbook(tmp_path), {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "externe Verknüpfungen" in _refusal("mappe.xlsx", data)


def test_external_relationship_refused_hyperlink_allowed(tmp_path: Path) -> None:
    book = _workbook(tmp_path)
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" '
        b'Target="http://angreifer.example/x" TargetMode="External"/></Relationships>'
    )
    loading = _with_members(book, {"xl/worksheets/_rels/sheet1.xml.rels": rels % b"oleObject"})
    assert "externe Beziehung" in _refusal("mappe.xlsx", loading)
    linked = _with_members(book, {"xl/worksheets/_rels/sheet1.xml.rels": rels % b"hyperlink"})
    assert _check("mappe.xlsx", linked) == "xlsx"


def test_embedded_objects_refused(tmp_path: Path) -> None:
    data = _with_members(_workbook(tmp_path), {"xl/embeddings/oleObject1.bin": b"ole"})
    assert "eingebettete Objekte" in _refusal("mappe.xlsx", data)


# --- names and paths -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd.csv"),
        ("..\\..\\Windows\\system.ini", "system.csv"),
        ("/root/.ssh/authorized_keys", "authorized_keys.csv"),
        ("..", "datei.csv"),
        (".bashrc", "bashrc.csv"),
        ("Anmeldungen Süd (März).CSV", "Anmeldungen_Süd_März.csv"),
        ("a\x00b\nc.csv", "a_b_c.csv"),
        ("", "datei.csv"),
    ],
)
def test_traversal_and_odd_names_become_one_safe_name(name: str, safe: str) -> None:
    assert safe_name(name, "csv") == safe


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_name_stays_one_plain_part(name: str) -> None:
    safe = safe_name(name, "xlsx")
    stem = safe.removesuffix(".xlsx")
    assert safe.endswith(".xlsx") and 1 <= len(stem) <= 80
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".") and ".." not in safe
    assert all(c.isalnum() or c in "_-" for c in stem)
    shown = display_name(name)
    assert len(shown) <= 82 and "/" not in shown and "\n" not in shown and "\x00" not in shown


def test_inside_refuses_paths_out_of_the_source_folder(tmp_path: Path) -> None:
    root = tmp_path / "quellen"
    (root / "stadt").mkdir(parents=True)
    outside = tmp_path / "anderswo"
    outside.mkdir()
    (root / "stadt" / "verweis").symlink_to(outside)
    assert inside(root, "stadt/neu.csv") == root / "stadt" / "neu.csv"
    for bad in ("../anderswo/x.csv", "stadt/../../x.csv", "/etc/passwd", "..\\x.csv", ""):
        with pytest.raises(UploadRefused, match="außerhalb des Quellordners"):
            inside(root, bad)
    with pytest.raises(UploadRefused, match="außerhalb des Quellordners|Verweis"):
        inside(root, "stadt/verweis/x.csv")


# --- nothing of the content in a refusal -----------------------------------------------------------------------


def test_refusals_never_echo_the_content(tmp_path: Path) -> None:
    """A refusal names the file and the problem; no byte of the rows (e-mails, names) is in it."""
    secret = b"erika.muster@example.org"
    cases = [
        ("gross.csv", CSV * (LIMIT // len(CSV) + 1)),
        ("bild.csv", b"\x89PNG\r\n\x1a\n" + secret),
        ("binaer.csv", secret + b"\x00" * 10),
        ("bombe.xlsx", _zip({"xl/workbook.xml": secret, "xl/s.xml": secret * (2 * MB)})),
        ("kaputt.zip", b"PK\x03\x04" + secret),
        ("makro.xlsx", _with_members(_workbook(tmp_path), {"xl/vbaProject.bin": secret})),
    ]
    for name, data in cases:
        message = _refusal(name, data).encode()
        assert secret not in message and b"erika" not in message and b"muster" not in message, name
