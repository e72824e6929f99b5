"""Backup and restore round trip through the CLI."""
import json

from smartcity_survey.extensions import db
from smartcity_survey.models import User
from smartcity_survey.services.demo import fill_demo_year
from tests.helpers_auth import make_user


def _wipe():
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def test_dump_and_restore_round_trip(seeded, runner, tmp_path):
    """Dump, empty the database, restore: the rating and accounts are exactly as before, ids continue."""
    fill_demo_year()
    make_user("officer@almaty.kz", "akimat", "almaty")
    before = runner.invoke(args=["scores", "--year", "2019", "--format", "json"]).output
    archive = tmp_path / "backup.zip"
    result = runner.invoke(args=["backup", "dump", str(archive)])
    assert result.exit_code == 0, result.output
    _wipe()
    result = runner.invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    after = runner.invoke(args=["scores", "--year", "2019", "--format", "json"]).output
    assert json.loads(after) == json.loads(before) and json.loads(after)["demo"] is True
    restored = db.session.scalar(db.select(User))
    assert restored.email == "officer@almaty.kz" and restored.check_password("correct horse battery")
    make_user("second@almaty.kz", "akimat", "almaty")  # the id sequence continues past restored rows


def test_restore_refuses_a_non_empty_database(seeded, runner, tmp_path):
    """Restoring over existing data is refused and changes nothing."""
    archive = tmp_path / "backup.zip"
    runner.invoke(args=["backup", "dump", str(archive)])
    result = runner.invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code != 0 and "not empty" in result.output


def test_restore_refuses_another_schema_revision(seeded, runner, tmp_path):
    """A backup from another schema revision is refused with both revisions named."""
    import zipfile

    archive, edited = tmp_path / "backup.zip", tmp_path / "edited.zip"
    runner.invoke(args=["backup", "dump", str(archive)])
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(edited, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "manifest.json":
                data = json.dumps({**json.loads(data), "revision": "0000"}).encode()
            dst.writestr(item, data)
    _wipe()
    result = runner.invoke(args=["backup", "restore", str(edited)])
    assert result.exit_code != 0 and "revision 0000" in result.output
