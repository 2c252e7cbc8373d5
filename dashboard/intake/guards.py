"""Uploads are untrusted input: size, type by content, ZIP bombs, macros and external links, file names, paths.

Every check runs on the bytes before anything is stored or parsed, and each refusal is one German sentence
a coordinator can act on (:class:`UploadRefused`, a :class:`~dashboard.intake.said.Said`, so the page shows it
in its own language):

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

from dashboard.intake.said import Said

MAX_MEMBERS = 5000
MAX_RATIO = 200  # unpacked/packed of one member; XLSX sheets reach 10–30, a bomb thousands
RATIO_FLOOR = 2**20  # members below 1 MB unpacked are never a bomb, whatever their ratio
TEXT_MEMBERS = (".csv", ".txt", ".ffcsv")
ARCHIVE_MEMBERS = (".zip", ".gz", ".7z", ".rar", ".xlsx", ".xlsm", ".tar", ".bz2", ".xz")
_BINARY = {  # signature -> what it is (an intake.bin.* message key)
    b"\xd0\xcf\x11\xe0": "intake.bin.xls",
    b"%PDF": "intake.bin.pdf",
    b"\x89PNG": "intake.bin.png",
    b"\xff\xd8\xff": "intake.bin.jpeg",
    b"GIF8": "intake.bin.gif",
    b"\x7fELF": "intake.bin.elf",
    b"MZ": "intake.bin.exe",
    b"\x1f\x8b": "intake.bin.gzip",
    b"7z\xbc\xaf": "intake.bin.7z",
    b"Rar!": "intake.bin.rar",
    b"BZh": "intake.bin.bzip2",
}
_EXTERNAL = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
_ALLOWED_NAME = re.compile(r"[^0-9A-Za-zÄÖÜäöüß_-]+")


class UploadRefused(ValueError):
    """An upload that is not stored; a :class:`~dashboard.intake.said.Said` naming the file and what is wrong
    (its text is German; the page renders it in its language)."""


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: its safe name (extension by content) and what it is."""

    name: str
    content: str  # csv, xlsx, zip
    size: int


def check_upload(name: str, data: bytes, max_bytes: int, max_unpacked: int) -> CheckedFile:
    """The checked upload, or :class:`UploadRefused` (German)."""
    shown = bare_name(name)
    if len(data) > max_bytes:
        raise UploadRefused(Said("intake.up.too_big", file=shown, size=len(data), limit=max_bytes))
    if not data.strip():
        raise UploadRefused(Said("intake.up.empty", file=shown))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        content = _check_zip(shown, data, max_unpacked)
    else:
        _check_text(shown, data)
        content = "csv"
    return CheckedFile(name=safe_name(name, content), content=content, size=len(data))


def bare_name(name: str) -> str:
    """The name as a message quotes it: its last part, control characters dropped, at most 80 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    return base[:80] or "Datei"


def display_name(name: str) -> str:
    """The name as shown in a German message: :func:`bare_name` in German quotes."""
    return f"„{bare_name(name)}“"


def _check_text(shown: str, data: bytes) -> None:
    for magic, what in _BINARY.items():
        if data.startswith(magic):
            raise UploadRefused(Said("intake.up.binary", file=shown, what=Said(what)))
    head = data[:65536]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))  # Excel's "Unicode-Text" has NUL bytes by design
    if b"\x00" in head and not utf16:
        raise UploadRefused(Said("intake.up.nul", file=shown))


def _check_zip(shown: str, data: bytes, max_unpacked: int) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UploadRefused(Said("intake.up.bad_zip", file=shown)) from None
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(Said("intake.up.members", file=shown, n=len(members), max=MAX_MEMBERS))
    total = 0
    names = set()
    for member in members:
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or member.filename.startswith("/"):
            raise UploadRefused(Said("intake.up.outside_archive", file=shown, member=_short(member.filename)))
        if member.flag_bits & 0x1:
            raise UploadRefused(Said("intake.up.encrypted", file=shown))
        total += member.file_size
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UploadRefused(
                Said(
                    "intake.up.bomb", file=shown, member=_short(member.filename), size=member.file_size, ratio=MAX_RATIO
                )
            )
        if total > max_unpacked:
            raise UploadRefused(Said("intake.up.unpacked", file=shown, limit=max_unpacked))
        names.add(member.filename)
    if "xl/workbook.xml" in names:
        _check_workbook(shown, archive, names)
        return "xlsx"
    for member in members:
        if member.is_dir():
            continue
        lower = member.filename.lower()
        if lower.endswith(ARCHIVE_MEMBERS):
            raise UploadRefused(Said("intake.up.nested", file=shown, member=_short(member.filename)))
        if not lower.endswith(TEXT_MEMBERS):
            raise UploadRefused(Said("intake.up.zip_other", file=shown, member=_short(member.filename)))
    return "zip"


def _check_workbook(shown: str, archive: zipfile.ZipFile, names: set[str]) -> None:
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        raise UploadRefused(Said("intake.up.vba", file=shown))
    if any(n.startswith(("xl/activex/", "xl/embeddings/")) for n in lowered):
        raise UploadRefused(Said("intake.up.embedded", file=shown))
    if any(n.startswith("xl/externallinks/") for n in lowered):
        raise UploadRefused(Said("intake.up.links", file=shown))
    if "[content_types].xml" in lowered:
        types = archive.read(next(n for n in names if n.lower() == "[content_types].xml"))
        if b"macroEnabled" in types or b"vbaProject" in types:
            raise UploadRefused(Said("intake.up.macro_types", file=shown))
    for name in names:
        if not name.lower().endswith(".rels"):
            continue
        for rel in _EXTERNAL.findall(archive.read(name)):
            external = re.search(rb'TargetMode\s*=\s*"External"', rel, re.IGNORECASE)
            if external and not re.search(rb'Type\s*=\s*"[^"]*/hyperlink"', rel, re.IGNORECASE):
                raise UploadRefused(Said("intake.up.external", file=shown))


def _short(member: str) -> str:
    text = "".join(c for c in member if unicodedata.category(c)[0] != "C")
    return text[:60]


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
        raise UploadRefused(Said("intake.up.path_outside", path=bare_name(relative)))
    target = root / Path(*parts.parts)
    resolved_root = root.resolve()
    if not target.resolve().is_relative_to(resolved_root):
        raise UploadRefused(Said("intake.up.path_outside", path=bare_name(relative)))
    probe = target
    while probe != root and probe != probe.parent:
        if probe.is_symlink():
            raise UploadRefused(Said("intake.up.path_symlink", path=bare_name(relative)))
        probe = probe.parent
    return target
