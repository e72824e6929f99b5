"""Generate the shipped questionnaires, smartcity_survey/data/questionnaires/{resident,business}.xlsx,
from the texts kept as Python data in scripts/questionnaires/ (so reviewers read them in a diff).

    python scripts/build_default_questionnaires.py           # write the .xlsx files
    python scripts/build_default_questionnaires.py --check   # exit 1 if the files are out of date
"""
from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE / "questionnaires"), str(HERE.parent)]

import business  # noqa: E402
import resident  # noqa: E402
from common import build  # noqa: E402

from smartcity_survey.io.xlsform import read_xlsform, write_xlsform  # noqa: E402
from smartcity_survey.questionnaire_spec import FormDefinition  # noqa: E402

OUTPUT = HERE.parent / "smartcity_survey" / "data" / "questionnaires"
FORMS = {"resident.xlsx": resident, "business.xlsx": business}


_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def reproducible(data: bytes) -> bytes:
    """Same content, same bytes: openpyxl stamps the time of saving into the file and its zip entries,
    which would make every run a binary change in git."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0)), content,
                            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def generated() -> dict[str, bytes]:
    """{file name: .xlsx bytes}; refuses content the platform's own importer would reject."""
    files = {}
    for filename, module in FORMS.items():
        data = reproducible(write_xlsform(build(module.SLUG, module.TITLE, module.ITEMS, module.CHOICES)))
        result = read_xlsform(data, filename)
        if result.errors or result.warnings:
            raise SystemExit(f"{filename}: " + "; ".join(map(str, result.errors + result.warnings)))
        files[filename] = data
    return files


def read_back(data: bytes | Path, filename: str) -> FormDefinition | None:
    return read_xlsform(data, filename).definition


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    check = parser.parse_args().check
    stale = []
    for filename, data in generated().items():
        path = OUTPUT / filename
        if check:
            if not path.is_file() or read_back(path, filename) != read_back(data, filename):
                stale.append(filename)
        else:
            OUTPUT.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/build_default_questionnaires.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
