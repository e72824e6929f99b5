"""Every user-facing string is translated into Kazakh and Russian."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "smartcity_survey" / "translations"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings marked in the code and templates right now (a fresh extraction, not the stored .pot)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "lazy_gettext", "-k", "_l", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalogue_translates_every_marked_string(extracted, language):
    """No marked string lacks a translation (run `flask translate update`, then translate)."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = {m.id: m for m in read_po(handle) if m.id}
    missing = sorted(str(i) for i in extracted
                     if i not in catalogue or not catalogue[i].string or catalogue[i].fuzzy
                     or (isinstance(catalogue[i].string, tuple) and not all(catalogue[i].string)))
    assert missing == []
