"""Evidence files: checked by content (not name), size-limited, stored under random names.

The file is read whole into memory before anything is written: the request as a whole is capped by
MAX_CONTENT_LENGTH (16 MB), so this is bounded, and it lets every upload of a form be checked before
any of them touches the disk or the database.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from ..extensions import db
from ..models import EvidenceFile, IndicatorValue
from . import DomainError
from .history import Actor

#: magic bytes -> (content type, extension used for the stored name)
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg)$")
MAX_NAME_LENGTH = 120


class EvidenceRejected(DomainError):
    """An upload that is not accepted as evidence; the message names the file and the reason."""


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    content_type: str
    extension: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_file_name(name: str | None) -> str:
    """The uploader's name for display only: the last path part, no control or separator
    characters, no leading dots, at most MAX_NAME_LENGTH characters. Letters of any script stay,
    so "отчёт 2024.pdf" is shown as the officer named it."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base)
                   if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    base = base.strip().lstrip(".").strip()
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: MAX_NAME_LENGTH - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 \
            else base[:MAX_NAME_LENGTH]
    return base or "evidence"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None for anything but PDF, PNG, JPEG."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check_upload(stream: BinaryIO, filename: str | None, max_bytes: int) -> CheckedUpload:
    """Read and check one upload. Raises EvidenceRejected naming the file and what is wrong."""
    name = clean_file_name(filename)
    data = stream.read(max_bytes + 1)
    if not data:
        raise EvidenceRejected(_("%(name)s: the file is empty.", name=name))
    if len(data) > max_bytes:
        raise EvidenceRejected(_("%(name)s: the file is larger than %(mb)s MB.", name=name,
                                 mb=max_bytes // (1024 * 1024)))
    kind = sniff(data[:16])
    if kind is None:
        raise EvidenceRejected(_("%(name)s: only PDF, PNG and JPEG files are accepted (the content is "
                                 "checked, not the name).", name=name))
    return CheckedUpload(name, kind[0], kind[1], data)


def store(record: IndicatorValue, upload: CheckedUpload, actor: Actor, directory: str | Path) -> Path:
    """Write the file under a new random name and attach it to the value; returns the path written
    so the caller can remove it if the transaction is rolled back."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + upload.extension
    path = folder / stored_name
    with open(path, "xb") as out:  # "x": never overwrite, whatever happens
        out.write(upload.data)
    record.evidence_files.append(EvidenceFile(
        original_name=upload.original_name, stored_name=stored_name, content_type=upload.content_type,
        size=len(upload.data), sha256=upload.sha256, uploaded_by=actor.label, uploaded_by_id=actor.user_id))
    return path


def path_of(file: EvidenceFile, directory: str | Path) -> Path:
    """Where a stored file is; refuses any stored name that is not one this module made."""
    if not STORED_NAME.match(file.stored_name):
        raise EvidenceRejected(f"invalid stored name for evidence file {file.id}")
    return Path(directory) / file.stored_name


def discard(paths: list[Path]) -> None:
    """Remove files written for a transaction that did not commit."""
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def get_file(file_id: int) -> EvidenceFile | None:
    return db.session.get(EvidenceFile, file_id)
