"""The load generator's respondent (scripts/loadlib.py) must count a connection that dies mid-reply as a
dropped connection, which a person would answer by pressing the button again, and never die of it:
a killed gunicorn worker can cut any reply short, a redirect's body included."""
from __future__ import annotations

import random
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from loadlib import Failed, Respondent, Stats  # noqa: E402


@pytest.fixture
def cut_short():
    """A server that answers every request with a status line and headers promising a body it never sends."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    replies = []

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(replies.pop(0))

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", replies
    server.close()


@pytest.mark.parametrize("status", [b"303 SEE OTHER", b"200 OK", b"503 SERVICE UNAVAILABLE"])
def test_a_reply_cut_short_is_a_dropped_connection(cut_short, status):
    base, replies = cut_short
    replies.append(b"HTTP/1.1 " + status + b"\r\nLocation: /next\r\nContent-Length: 229\r\n\r\n")
    respondent = Respondent(base, Stats(), random.Random(1), retry=False, give_up_at=time.monotonic() + 5)
    with pytest.raises(Failed) as refused:
        respondent.step("/start", {"csrf_token": "x"}, expect=303)
    assert refused.value.kind == "connection"
