#!/usr/bin/env python3
"""This issue's checker: eval/check_issue.py on this folder (8 articles, ids x001.., xc01..).
Usage: python3 check.py (exit status 1 on any error)."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.argv = [str(HERE.parent / "check_issue.py"), str(HERE), "--articles", "8", "--prefix", "x"]
runpy.run_path(sys.argv[0], run_name="__main__")
