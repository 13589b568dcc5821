#!/usr/bin/env python3
"""This issue's checker: eval/check_issue.py on this folder (6 articles, ids y001.., yc01..).
Usage: python3 check.py (exit status 1 on any error)."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.argv = [str(HERE.parent / "check_issue.py"), str(HERE), "--articles", "6", "--prefix", "y"]
runpy.run_path(sys.argv[0], run_name="__main__")
