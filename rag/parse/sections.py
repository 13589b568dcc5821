"""Article body blocks -> section tree, from the numbering rather than the `#` depth."""

from __future__ import annotations

from rag.provisions import RANK, numbering
from rag.types import Block, Section

_TITLE_MAX = 60


def _inline_title(block: Block, style: str, number: str) -> str:
    if style == "clause":
        return number
    if block.bold_lead:
        # 「（六）推广应用“三首”产品。」 in bold: the title is the same with or without the bold
        return block.bold_lead.rstrip("。：:")
    text = block.text
    stop = text.find("。")
    if 0 < stop <= _TITLE_MAX:
        return text[:stop]
    return text if len(text) <= _TITLE_MAX else number


def _opens_section(block: Block, stack: list[Section]) -> tuple[str, str, str] | None:
    """(style, number, title) when the block starts a new section."""
    if block.kind == "heading":
        found = numbering(block.text)
        if found is None:
            return "heading", "", block.text
        # A clause is cited by its number alone, whatever text shares its line.
        return found[0], found[1], found[1] if found[0] == "clause" else block.text.rstrip("。：:")
    if block.kind != "para":
        return None
    found = numbering(block.bold_lead or block.text)
    if found is None:
        return None
    style, number = found
    # Items inside a numbered clause (（一）… under 第三条) belong to that clause.
    in_clause = any(s.style == "clause" for s in stack)
    if in_clause and style not in ("chapter", "part", "clause"):
        return None
    return style, number, _inline_title(block, style, number)


def starts_provision(block: Block) -> bool:
    return block.kind != "para" or bool(block.bold_lead) or numbering(block.text) is not None


def build_tree(blocks: list[Block]) -> Section:
    root = Section("", "", "root")
    stack = [root]
    for block in blocks:
        opened = _opens_section(block, stack)
        if opened is None:
            stack[-1].blocks.append(block)
            continue
        style, number, title = opened
        if any(s.style == style for s in stack[1:]):
            while stack[-1].style != style:
                stack.pop()
            stack.pop()
        else:
            rank = RANK.get(style)
            while len(stack) > 1 and rank is not None and RANK.get(stack[-1].style, -1) >= rank:
                stack.pop()
        section = Section(number, title, style)
        if block.kind == "heading":
            section.heading = block
        else:
            section.blocks.append(block)
        stack[-1].children.append(section)
        stack.append(section)
    return root
