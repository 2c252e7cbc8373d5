"""Uploads are untrusted input: size, type by content, ZIP bombs, macros and external links, file names, paths.

Every check runs on the bytes before anything is stored or parsed, and each refusal is one German sentence
a coordinator can act on (:class:`UploadRefused`):

* size: at most the configured limit (default 50 MB); Flask's ``MAX_CONTENT_LENGTH`` refuses larger request
  bodies before they are read, and the page refuses larger files in the browser before they are sent;
* type by content, never by name: an XLSX is a ZIP with ``xl/workbook.xml``; a ZIP without a workbook may only
  hold CSV/text files (the GENESIS flat file); anything else must be text (no NUL bytes, no known binary
  signature: an old .xls, PDF, image, executable or other archive is refused). The stored name gets the
  extension of what the file is;
* ZIP bombs: at most :data:`MAX_MEMBERS` members, no nested archives, no member whose unpacked size exceeds
  :data:`MAX_RATIO` times its packed size, and at most ``max_unpacked`` bytes unpacked in all. Python's
  ``zipfile`` (which openpyxl reads with) never unpacks a member beyond the size its directory entry
  declares, so checking the declared sizes bounds what any later reader unpacks;
* XLSX with macros (``vbaProject.bin``, a macro-enabled content type), ActiveX or embedded objects, external
  workbook links (``xl/externalLinks/``) or any external relationship but a hyperlink is refused;
* file names: only the last path part, letters (with umlauts), digits, ``-`` and ``_`` kept, at most 80
  characters; :func:`inside` refuses any path that resolves outside the source folder (``..``, absolute
  paths, symbolic links).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 5000
MAX_RATIO = 200  # unpacked/packed of one member; XLSX sheets reach 10–30, a bomb thousands
RATIO_FLOOR = 2**20  # members below 1 MB unpacked are never a bomb, whatever their ratio
TEXT_MEMBERS = (".csv", ".txt", ".ffcsv")
ARCHIVE_MEMBERS = (".zip", ".gz", ".7z", ".rar", ".xlsx", ".xlsm", ".tar", ".bz2", ".xz")
_BINARY = {
    b"\xd0\xcf\x11\xe0": "eine alte Excel-Datei (.xls) oder eine kennwortgeschützte Arbeitsmappe",
    b"%PDF": "ein PDF-Dokument",
    b"\x89PNG": "ein Bild (PNG)",
    b"\xff\xd8\xff": "ein Bild (JPEG)",
    b"GIF8": "ein Bild (GIF)",
    b"\x7fELF": "ein Programm",
    b"MZ": "ein Windows-Programm",
    b"\x1f\x8b": "ein gepacktes Archiv (gzip)",
    b"7z\xbc\xaf": "ein gepacktes Archiv (7z)",
    b"Rar!": "ein gepacktes Archiv (RAR)",
    b"BZh": "ein gepacktes Archiv (bzip2)",
}
_EXTERNAL = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
_ALLOWED_NAME = re.compile(r"[^0-9A-Za-zÄÖÜäöüß_-]+")


class UploadRefused(ValueError):
    """An upload that is not stored; German message naming the file and what is wrong."""


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: its safe name (extension by content) and what it is."""

    name: str
    content: str  # csv, xlsx, zip
    size: int


def check_upload(name: str, data: bytes, max_bytes: int, max_unpacked: int) -> CheckedFile:
    """The checked upload, or :class:`UploadRefused` (German)."""
    shown = display_name(name)
    if len(data) > max_bytes:
        raise UploadRefused(
            f"{shown} ist {_mb(len(data))} groß; erlaubt sind höchstens {_mb(max_bytes)} je Datei. Bitte den Export "
            "aufteilen (z. B. je Jahr) oder die Betreiber um eine höhere Grenze bitten."
        )
    if not data.strip():
        raise UploadRefused(f"{shown} ist leer.")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        content = _check_zip(shown, data, max_unpacked)
    else:
        _check_text(shown, data)
        content = "csv"
    return CheckedFile(name=safe_name(name, content), content=content, size=len(data))


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB".replace(".", ",")


def display_name(name: str) -> str:
    """The name as shown in a message: its last part, control characters dropped, at most 80 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    return f"„{base[:80] or 'Datei'}“"


def _check_text(shown: str, data: bytes) -> None:
    for magic, what in _BINARY.items():
        if data.startswith(magic):
            raise UploadRefused(f"{shown} ist {what}, keine Tabelle: bitte als CSV oder XLSX speichern.")
    head = data[:65536]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))  # Excel's "Unicode-Text" has NUL bytes by design
    if b"\x00" in head and not utf16:
        raise UploadRefused(f"{shown} ist keine Tabelle (CSV oder XLSX), sondern eine Binärdatei.")


def _check_zip(shown: str, data: bytes, max_unpacked: int) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UploadRefused(f"{shown} ist ein beschädigtes ZIP-Archiv (oder eine beschädigte XLSX-Datei).") from None
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(f"{shown} enthält {len(members)} Dateien; mehr als {MAX_MEMBERS} werden nicht geöffnet.")
    total = 0
    names = set()
    for member in members:
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or member.filename.startswith("/"):
            raise UploadRefused(f"{shown} enthält einen Pfad außerhalb des Archivs ({_short(member.filename)}).")
        if member.flag_bits & 0x1:
            raise UploadRefused(f"{shown} ist verschlüsselt: bitte ohne Kennwort speichern.")
        total += member.file_size
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UploadRefused(
                f"{shown} ist eine ZIP-Bombe oder beschädigt: {_short(member.filename)} würde auf "
                f"{_mb(member.file_size)} entpackt (mehr als das {MAX_RATIO}-fache)."
            )
        if total > max_unpacked:
            raise UploadRefused(
                f"{shown} würde entpackt mehr als {_mb(max_unpacked)} belegen; so große Arbeitsmappen oder Archive "
                "werden nicht geöffnet (ZIP-Bombe?)."
            )
        names.add(member.filename)
    if "xl/workbook.xml" in names:
        _check_workbook(shown, archive, names)
        return "xlsx"
    for member in members:
        if member.is_dir():
            continue
        lower = member.filename.lower()
        if lower.endswith(ARCHIVE_MEMBERS):
            raise UploadRefused(f"{shown} enthält ein weiteres Archiv ({_short(member.filename)}): bitte entpacken.")
        if not lower.endswith(TEXT_MEMBERS):
            raise UploadRefused(
                f"{shown} ist ein ZIP-Archiv ohne Excel-Arbeitsmappe und enthält {_short(member.filename)}; "
                "als ZIP wird nur die GENESIS-Flatfile (CSV) der Regionalstatistik angenommen."
            )
    return "zip"


def _check_workbook(shown: str, archive: zipfile.ZipFile, names: set[str]) -> None:
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        raise UploadRefused(f"{shown} enthält Makros (VBA): bitte als Arbeitsmappe ohne Makros (.xlsx) speichern.")
    if any(n.startswith(("xl/activex/", "xl/embeddings/")) for n in lowered):
        raise UploadRefused(
            f"{shown} enthält eingebettete Objekte oder Steuerelemente: bitte nur die Tabelle als .xlsx speichern."
        )
    if any(n.startswith("xl/externallinks/") for n in lowered):
        raise UploadRefused(
            f"{shown} verweist auf andere Arbeitsmappen (externe Verknüpfungen): bitte in Excel unter Daten › "
            "Verknüpfungen bearbeiten › Verknüpfung aufheben lösen und neu speichern."
        )
    if "[content_types].xml" in lowered:
        types = archive.read(next(n for n in names if n.lower() == "[content_types].xml"))
        if b"macroEnabled" in types or b"vbaProject" in types:
            raise UploadRefused(f"{shown} ist eine Arbeitsmappe mit Makros: bitte als .xlsx ohne Makros speichern.")
    for name in names:
        if not name.lower().endswith(".rels"):
            continue
        for rel in _EXTERNAL.findall(archive.read(name)):
            external = re.search(rb'TargetMode\s*=\s*"External"', rel, re.IGNORECASE)
            if external and not re.search(rb'Type\s*=\s*"[^"]*/hyperlink"', rel, re.IGNORECASE):
                raise UploadRefused(
                    f"{shown} lädt Inhalte von außerhalb der Datei (externe Beziehung): bitte die Verknüpfungen "
                    "lösen und neu speichern."
                )


def _short(member: str) -> str:
    text = "".join(c for c in member if unicodedata.category(c)[0] != "C")
    return f"'{text[:60]}'"


def safe_name(name: str, content: str) -> str:
    """A file name safe in any folder: last path part, letters/digits/``-``/``_``, extension by content."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = _ALLOWED_NAME.sub("_", stem).strip("_-")[:80].strip("_-")
    return f"{stem or 'datei'}.{content}"


def inside(root: Path, relative: str) -> Path:
    """``root / relative`` when it stays inside ``root`` (no ``..``, no absolute path, no symbolic link out)."""
    parts = PurePosixPath(relative.replace("\\", "/"))
    if parts.is_absolute() or ".." in parts.parts or not parts.parts:
        raise UploadRefused(f"Der Pfad {display_name(relative)} liegt außerhalb des Quellordners.")
    target = root / Path(*parts.parts)
    resolved_root = root.resolve()
    if not target.resolve().is_relative_to(resolved_root):
        raise UploadRefused(f"Der Pfad {display_name(relative)} liegt außerhalb des Quellordners.")
    probe = target
    while probe != root and probe != probe.parent:
        if probe.is_symlink():
            raise UploadRefused(f"Der Pfad {display_name(relative)} führt über einen Verweis (Symlink).")
        probe = probe.parent
    return target
