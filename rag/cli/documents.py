"""The commands that read the library without searching it: digest, lookup, versions, list and targets. They
open the index without the embedding model (which is loaded only when there is no index yet to build)."""

from __future__ import annotations

import sys
from pathlib import Path

from rag.cli.common import print_json, service_of
from rag.serialize import provision_json


def cmd_digest(args) -> int:
    """本期要点 of one issue (default: the latest): each article's issuing body, date, kind, main points and
    figures, cited [n]; extractive unless --llm local|openai (then written by the model and grounded)."""
    from rag.digest.render import digest_json, digest_markdown, digest_text
    from rag.service import mode_of

    service = service_of(args, model=False)
    digest = service.digest(args.issue, mode_of(service.settings.llm))
    if args.json:
        return print_json(digest_json(digest))
    if args.markdown:
        sys.stdout.write(digest_markdown(digest))
    else:
        sys.stdout.write(digest_text(digest))
        print(f"({digest.mode}; {digest.seconds:.2f} s)", file=sys.stderr)
    return 0


def cmd_lookup(args) -> int:
    found = service_of(args, model=False).lookup(args.reference, args.limit)
    if args.json:
        return print_json({"reference": args.reference, "results": [provision_json(p) for p in found]})
    if not found:
        print("No provision or quote matches.")
        return 1
    for p in found:
        c = p.chunk
        how = "provision" if p.how == "provision" else f"quote {p.score:.0f}%"
        print(f"§ {c.place(p.section)}  ({c.issues_text()}; {c.where(p.start, p.end)}; {how})")
        print("    " + p.text.replace("\n", "\n    "))
        print()
    return 0


def cmd_versions(args) -> int:
    """The versions of a document across issues (征求意见稿, 试行, 现行 …) and what changed between them."""
    from rag.serialize import versions_json

    out = [versions_json(g) for g in service_of(args, model=False).versions(args.title, args.limit)]
    if args.json:
        return print_json({"title": args.title, "documents": out})
    if not out:
        print("No document with that title.")
        return 1
    for g in out:
        print(f"《{g['title']}》")
        for v in g["versions"]:
            print(f"  {v['issue_id']:<10}{v['issue_date']:<12}{v['status']:<7}{v['title']}  ({v['provisions']} provisions)")
        for d in g["diffs"]:
            _print_diff(d)
        print()
    return 0


def _print_diff(d: dict) -> None:
    print(
        f"  {d['from']} → {d['to']}: {len(d['added'])} added, {len(d['removed'])} removed, "
        f"{len(d['changed'])} changed, {d['unchanged']} unchanged"
    )
    for p in d["added"]:
        print(f"    + {p['number'] or p['section']}: {p['text'][:60]}")
    for p in d["removed"]:
        print(f"    - {p['number'] or p['section']}: {p['text'][:60]}")
    for c in d["changed"]:
        moved = f"{c['old_number']} → {c['new_number']}" if c["renumbered"] else c["new_number"] or c["new_section"]
        figures = "; ".join(f["text"] for f in c["figures"])
        what = "renumbered" if not c["text_changed"] else (figures or "reworded")
        print(f"    ~ {moved}: {what}")


def cmd_list(args) -> int:
    rows = service_of(args, model=False).bulletins()
    if args.json:
        return print_json([vars(b) for b in rows])
    print(f"{'issue':<14}{'date':<12}{'articles':>9}{'chunks':>8}  label / file")
    for b in rows:
        print(f"{b.issue_id:<14}{b.date:<12}{b.articles:>9}{b.chunks:>8}  {b.label} / {b.path}")
    return 0


def cmd_targets(args) -> int:
    """The targets table, read alone (no model, no vectors: rag.service.Service.targets)."""
    from rag.serialize import targets_json
    from rag.targets.export import groups_text, table_text, to_csv, write_xlsx

    service = service_of(args, opened=False)
    rows = service.targets(args.region or (), args.year or (), args.kind or (), args.issue or (), args.indicator or "")
    service.progress.close(service)  # the build's report, when there was no index yet
    if args.json:
        print_json(targets_json(rows, args.group))
    elif args.csv:
        sys.stdout.write(to_csv(rows))
    elif args.xlsx:
        write_xlsx(rows, Path(args.xlsx))
        print(f"Wrote {len(rows)} rows to {args.xlsx}", file=sys.stderr)
    elif args.group:
        print(groups_text(targets_json(rows, grouped=True)))
    else:
        print(table_text(rows))
        print(f"{len(rows)} rows", file=sys.stderr)
    return 0
