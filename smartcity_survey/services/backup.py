"""Back up and restore the platform's data as one zip of JSON-lines files, one per table.

Why not pg_dump? The platform runs on SQLite as well as PostgreSQL; a portable dump moves data
between them and needs no server tools. The archive records the schema revision; restore requires an
empty database at that same revision (run `flask db upgrade` afterwards to move it forward).
"""
from __future__ import annotations

import base64
import json
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Date, DateTime, LargeBinary, func, select, text

from ..extensions import db
from . import DomainError

FORMAT_VERSION = 1


def _schema_revision() -> str:
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def _encode(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _decoder(column):
    kind = column.type
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return lambda v: v


def dump(archive: Path, files_dirs: dict[str, Path] | None = None) -> dict[str, int]:
    """Write every table (and the given folders of uploaded files) into `archive`. Returns row counts."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in db.metadata.sorted_tables:
            with zf.open(f"tables/{table.name}.jsonl", "w") as out:
                count = 0
                for row in db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings():
                    out.write((json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
                              .encode("utf-8"))
                    count += 1
            counts[table.name] = count
        for label, folder in (files_dirs or {}).items():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                zf.write(path, f"files/{label}/{path.relative_to(folder).as_posix()}")
        manifest = {"format": FORMAT_VERSION, "revision": _schema_revision(), "tables": counts,
                    "created_at": datetime.now(timezone.utc).isoformat()}
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
    return counts


def restore(archive: Path, files_dirs: dict[str, Path] | None = None) -> dict[str, int]:
    """Load an archive into an empty database at the archive's schema revision. All or nothing:
    the caller commits; any error leaves the database as it was."""
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise DomainError(_("unknown backup format %(format)s", format=repr(manifest.get("format"))))
        if manifest["revision"] != _schema_revision():
            raise DomainError(_("the backup is at schema revision %(backup)s, the database at %(database)s: "
                                "restore into a database at the backup's revision",
                                backup=manifest["revision"], database=_schema_revision()))
        _refuse_non_empty()
        counts = {}
        for table in db.metadata.sorted_tables:
            name = f"tables/{table.name}.jsonl"
            if name not in zf.namelist():
                raise DomainError(_("the backup has no data for table %(table)s", table=table.name))
            decoders = {c.name: _decoder(c) for c in table.columns}
            rows = [{k: decoders[k](v) for k, v in json.loads(line).items() if k in decoders}
                    for line in zf.read(name).decode("utf-8").splitlines() if line]
            if rows:
                db.session.execute(table.insert(), rows)
            counts[table.name] = len(rows)
        _advance_sequences()
        _extract_files(zf, files_dirs or {})
    return counts


def _refuse_non_empty() -> None:
    for table in db.metadata.sorted_tables:
        if db.session.scalar(select(func.count()).select_from(table)):
            raise DomainError(_("the database is not empty (table %(table)s has rows); restore needs an "
                                "empty database", table=table.name))


def _advance_sequences() -> None:
    """PostgreSQL keeps id sequences apart from the rows: move each past the restored ids.
    (SQLite derives the next id from the rows themselves.)"""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.columns and table.columns["id"].autoincrement:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def _extract_files(zf: zipfile.ZipFile, files_dirs: dict[str, Path]) -> None:
    for label, folder in files_dirs.items():
        prefix = f"files/{label}/"
        for name in zf.namelist():
            if not name.startswith(prefix) or name.endswith("/"):
                continue
            target = (folder / name[len(prefix):]).resolve()
            if folder.resolve() not in target.parents:  # a crafted archive must not write elsewhere
                raise DomainError(_("unsafe path in the backup: %(path)s", path=name))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(name))
