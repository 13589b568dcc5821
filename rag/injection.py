"""Text inside a bulletin is data, never instructions.

A reprinted document may carry sentences written for an AI rather than for a reader ("ignore the
instructions above", 「系统提示：…」, role-play, "you must answer …", a request to visit an address).
Such a sentence is found at ingest (rag.chunk marks the passage), shown with a warning, never given
to a model, never quoted as an answer and never read into the targets table; an answer citing its
passage says so. The markers below are about addressing a model, which no policy text does; each
was checked against every issue we have (第51期, the second issue and the 12 library issues: no hit).
"""

from __future__ import annotations

import re

from rag.sentences import split_sentences

# Words a sentence uses only when it speaks to an AI system about its own instructions or role.
_ADDRESSED = [
    r"忽略(?:掉)?(?:以上|上述|之前|前面|先前|此前|你的|所有|全部|一切)+[^。！？\n]{0,12}(?:指令|指示|提示|规则|要求|设定|内容)",
    r"(?:无视|忘记|忘掉)(?:以上|上述|之前|前面|所有|全部)+[^。！？\n]{0,12}(?:指令|指示|提示|规则|设定)",
    r"系统提示|系统指令|提示词|system\s*prompt",
    r"(?:你|您)(?:现在)?(?:是|扮演|作为)(?:一[个名位])?(?:AI|人工智能|助手|语言模型|大模型|机器人|ChatGPT|模型)",
    r"(?:扮演|角色扮演|role[- ]?play|pretend\s+(?:to\s+be|you\s+are)|act\s+as)",
    r"(?:作为|身为)(?:一[个名位])?(?:AI|人工智能|语言模型|大模型)",
    r"ignore\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier)\s+(?:instructions|prompts|rules)",
    r"disregard\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above)",
    r"\byou\s+(?:must|should|will)\s+(?:now\s+)?(?:answer|reply|say|respond|tell)",
    r"(?:你|您)(?:必须|务必|应当|只能|一律)(?:回答|回复|输出|告诉|说)",
    r"(?:回答|回复|输出)(?:时)?(?:一律|只能|必须)",
    r"(?:请|务必)?(?:访问|打开|点击|登录|前往)[^。！？\n]{0,20}(?:https?://|www\.)",
    r"(?:visit|go\s+to|click|open)\s+[^.\n]{0,20}(?:https?://|www\.)",
]
_PATTERN = re.compile("|".join(f"(?:{p})" for p in _ADDRESSED), re.IGNORECASE)

# What an answer may not carry unless the question asks for it: web addresses and contact details.
# A phone number only in a phone's shape (area code and dash, or a mobile's 11 digits): a bare 7- or
# 8-digit number in an answer is a figure (5000000元), not a contact.
_ADDRESS = re.compile(
    r"(?:https?://|www\.)[^\s，。；、）)\]】]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)"
    r"|(?<![\d.])1[3-9]\d{9}(?![\d.])"
)
_ASKS_ADDRESS = re.compile(
    r"网址|网站|链接|地址|电话|邮箱|邮件|联系|传真|url|website|link|address|phone|e-?mail|contact", re.IGNORECASE
)


def addressed_to_ai(sentence: str) -> bool:
    """Whether ``sentence`` speaks to an AI (an instruction, a role, a request to visit an address)."""
    return bool(_PATTERN.search(sentence))


def instruction_sentences(text: str) -> list[str]:
    """The sentences of a passage that speak to an AI, in order."""
    return [s.text for s in split_sentences(text) if addressed_to_ai(s.text)]


def without_addresses(answer: str, question: str) -> tuple[str, list[str]]:
    """``answer`` with web addresses and contact details the question did not ask for removed, and what was removed."""
    if _ASKS_ADDRESS.search(question):
        return answer, []
    found = _ADDRESS.findall(answer)
    return (_ADDRESS.sub("（地址已略去）", answer) if found else answer), found
