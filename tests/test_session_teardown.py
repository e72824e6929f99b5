"""A database connection lost after the view has its answer (the server restarting between the last
query and the end of the request) must not turn the finished page into a 500; the next request gets a
fresh connection. Found by the PostgreSQL fault run in CI."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session


def test_a_lost_connection_at_teardown_still_sends_the_page(seeded, monkeypatch):
    from smartcity_survey.extensions import db

    original = Session.close
    calls = {"failed": 0}

    def close_on_a_dead_connection(self):
        if not calls["failed"]:
            calls["failed"] += 1
            raise OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator command"))
        return original(self)

    client = seeded.test_client()
    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    response = client.get("/?lang=en")  # the rating page reads the database
    assert calls["failed"] == 1
    assert response.status_code == 200 and "Smart" in response.get_data(as_text=True)
    monkeypatch.setattr(Session, "close", original)
    assert client.get("/?lang=en").status_code == 200
    assert not db.session.registry.has() or db.session.is_active
