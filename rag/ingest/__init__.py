"""Ingest out of process: what reads a file someone handed us (rag.load, rag.parse, rag.chunk) runs in a
worker process under a wall-time and a memory budget, so that a crafted file costs at most the budget.

    control.py  what a caller holds over a running ingest: cancel it, watch the worker; the errors
    run.py      the parent side: start the worker, enforce the budget, read its results (JSON files)
    worker.py   the child side: ``python -m rag.ingest.worker JOB.json``

This package's own imports stay light: the worker imports it before its limits are set.
"""
