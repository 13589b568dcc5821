"""The one base class for errors a user caused (a bad question, file, index or setting): every interface
reports these as a plain message, and anything else as a bug."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; the message says what."""
