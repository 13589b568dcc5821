"""Quantitative values of policy bulletins: targets, statistics, time limits — extracted when a file is
parsed, stored with the index, selected and grouped across issues.

values (the words of a value) → kinds (what it is, which year) → regions, indicator → extract (one
bulletin's rows) → rows (the Target row, selection, grouping); score compares rows with hand labels,
export writes tables.
"""

from rag.targets.extract import EXTRACTOR_VERSION, extract_targets
from rag.targets.rows import KINDS, Target, TargetQueryError, groups, select

__all__ = ["EXTRACTOR_VERSION", "KINDS", "Target", "TargetQueryError", "extract_targets", "groups", "select"]
