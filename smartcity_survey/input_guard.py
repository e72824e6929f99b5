"""Text no database column can hold is refused at the door, for every form and query string.

A NUL character is accepted by SQLite but refused by PostgreSQL ("text fields cannot contain NUL"),
which would turn any form into a 500 there. No keyboard types one, so a request carrying it is
answered 400 naming the field, before anything is read or stored (found by the fuzz tests).
"""
from __future__ import annotations

from itertools import chain

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest


class UnstorableInput(BadRequest):
    """A 400 whose description names the field and is shown to the person who sent it."""

    shown_to_user = True


def register_input_guard(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters() -> None:
        for name, value in chain(request.args.items(multi=True), request.form.items(multi=True)):
            if "\x00" in value or "\x00" in name:
                raise UnstorableInput(_("The field “%(field)s” contains a NUL character, which cannot be stored. "
                                        "Nothing was saved: remove it and send the form again.",
                                        field=name.replace("\x00", "")))
