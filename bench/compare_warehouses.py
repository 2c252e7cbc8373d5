"""Is a warehouse the same as before a change, byte for byte in every stored value? Prints, asserts nothing.

    .venv/bin/python bench/compare_warehouses.py dump WAREHOUSE.sqlite OUT_DIR [--engage CMD]
    .venv/bin/python bench/compare_warehouses.py compare OLD_DIR NEW_DIR

``dump`` writes every table of a SQLite warehouse, one file per table, with each stored value as SQLite
holds it (its storage class and Python ``repr``, so 0.1 and 0.1000000001, 1 and 1.0, '' and NULL all
differ), the rows sorted; the columns that name the run (``run_id``, ``started_at``, ``finished_at``) are
left out, since a new run has a new id and new times. It also writes the four exports of §7
(``engage export indicators|goals|runs|rejects``) with the given ``engage`` command, so the formats a
coordinator sees are compared as files too.

``compare`` compares two such dumps table by table and file by file and prints, per table, the rows only
in one of them (the first few). Columns a change added (``etl_rejects.reason_code`` …) are reported as
added and otherwise left out of the comparison, so the values that existed before must be identical.
Exit code 0 when everything that existed before is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

RUN_COLUMNS = {"run_id", "started_at", "finished_at"}
EXPORTS = ("indicators", "goals", "runs", "rejects")
SEP = "\x1f"  # between the values of a row in a dump (never inside a repr)


def _value(value: object) -> str:
    kind = type(value).__name__
    return f"{kind}:{value!r}"


def dump(db: Path, out: Path, engage: str | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for name in names:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")') if r[1] not in RUN_COLUMNS]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = sorted(SEP.join(_value(v) for v in row) for row in conn.execute(f'SELECT {select} FROM "{name}"'))
            text = SEP.join(columns) + "\n" + "".join(r.replace("\n", "\\n") + "\n" for r in rows)
            (out / f"{name}.tsv").write_text(text, encoding="utf-8")
    finally:
        conn.close()
    if engage:
        for what in EXPORTS:
            cmd = [*shlex.split(engage), "export", what, "--db", f"sqlite:///{db.resolve()}", "--out"]
            subprocess.run([*cmd, str(out / f"export_{what}.csv")], check=True, capture_output=True)


def _read_dump(path: Path) -> tuple[list[str], list[list[str]]]:
    header, *rows = path.read_text(encoding="utf-8").split("\n")
    return header.split(SEP), [r.split(SEP) for r in rows if r]


def compare(old: Path, new: Path, shown: int = 3) -> bool:
    same = True
    old_tables = {p.name for p in old.glob("*.tsv")}
    new_tables = {p.name for p in new.glob("*.tsv")}
    for name in sorted(old_tables - new_tables):
        print(f"FEHLT    {name}")
        same = False
    for name in sorted(new_tables - old_tables):
        print(f"NEU      {name} (Tabelle hinzugekommen)")
    for name in sorted(old_tables & new_tables):
        old_cols, old_rows = _read_dump(old / name)
        new_cols, new_rows = _read_dump(new / name)
        missing = [c for c in old_cols if c not in new_cols]
        added = [c for c in new_cols if c not in old_cols]
        if missing:
            print(f"ANDERS   {name}: Spalten fehlen: {', '.join(missing)}")
            same = False
            continue
        pick = [new_cols.index(c) for c in old_cols]
        projected = sorted(SEP.join(r[i] for i in pick) for r in new_rows)
        before = [SEP.join(r) for r in old_rows]
        note = f" (neue Spalten, nicht verglichen: {', '.join(added)})" if added else ""
        if projected == before:
            print(f"gleich   {name}: {len(before):,} Zeilen{note}")
            continue
        same = False
        only_old = sorted(set(before) - set(projected))
        only_new = sorted(set(projected) - set(before))
        print(f"ANDERS   {name}: {len(before):,} vorher, {len(projected):,} nachher; {len(only_old)} nur vorher, "
              f"{len(only_new)} nur nachher{note}")
        for label, rows in (("  vorher ", only_old), ("  nachher", only_new)):
            for row in rows[:shown]:
                print(f"{label} {row.replace(SEP, ' | ')[:400]}")
    for what in EXPORTS:
        a, b = old / f"export_{what}.csv", new / f"export_{what}.csv"
        if not a.exists():
            continue
        if not b.exists():
            print(f"FEHLT    export_{what}.csv")
            same = False
        elif _export_lines(a) == _export_lines(b):
            print(f"gleich   export_{what}.csv: {len(_export_lines(a)):,} Zeilen")
        else:
            print(f"ANDERS   export_{what}.csv")
            same = False
    print("Ergebnis: " + ("identisch" if same else "UNTERSCHIEDE"))
    return same


def _export_lines(path: Path) -> list[str]:
    """The export's lines sorted below its header (row order may follow the run id, which differs)."""
    header, *rows = path.read_bytes().decode("utf-8").splitlines()
    return [header, *sorted(rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("db", type=Path)
    d.add_argument("out", type=Path)
    d.add_argument("--engage", default=str(Path(sys.executable).parent / "engage"), help="'' for no exports")
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.db, args.out, args.engage or None)
    else:
        sys.exit(0 if compare(args.old, args.new) else 1)


if __name__ == "__main__":
    main()
