"""The one base class for errors a user caused (a bad question, file, index or setting): every interface
reports these as a plain message, and anything else as a bug."""

from __future__ import annotations

import re

# An absolute path in a message: shown to a user, only its last part (a file name) is kept, so a
# message never tells a visitor where the server keeps its files.
_ABSOLUTE = re.compile(r"(?<![\w.:/])(?:/[^\s/:：，。；、（）()'\"<>\[\]]+)+/([^\s/:：，。；、（）()'\"<>\[\]]+)")


def public_message(text: str) -> str:
    """``text`` with every absolute path cut to its file name."""
    return _ABSOLUTE.sub(lambda m: m.group(1), text)


class UserError(Exception):
    """Something the user can fix; the message says what."""
