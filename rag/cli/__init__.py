"""Command line: python -m rag build | search | ask | chat | serve | digest | lookup | versions | list | targets |
add | remove | eval. Each command is a thin layer over the one service (rag.service.Service): questions.py
(search, ask, chat, serve), documents.py (digest, lookup, versions, list, targets), library.py (build, add,
remove), evaluate.py (eval); parser.py holds the arguments."""

from __future__ import annotations

import logging
import sys

from rag.cli.common import quiet_libraries
from rag.cli.parser import parser

__all__ = ["main", "parser", "quiet_libraries"]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    quiet_libraries()
    from rag.errors import UserError

    try:
        return args.func(args)
    # OSError and ValueError: a file that cannot be read, a setting or argument that makes no sense.
    except (UserError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
