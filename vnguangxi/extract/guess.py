"""Guesses a curator must confirm: a sentence's topic, its status, and whether it bears a claim at all."""

from __future__ import annotations

import re

_TOPIC_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "trade",
        re.compile(
            r"\btrade\b|\bexport|\bimport|\binvest|\beconom|\bbillion\b|\bindustr|\be-commerce|\bsupply chain"
            r"|thương mại|kim ngạch|xuất khẩu|nhập khẩu|đầu tư|kinh tế"
            r"|贸易|进出口|出口|进口|投资|经贸|产业|外贸|互市|亿元",
            re.I,
        ),
    ),
    (
        "border-gates",
        re.compile(
            r"border gate|\bport\b|\bbridge|\bhighway|\bexpressway|\brailway|\bcustoms|\bclearance|\bcheckpoint"
            r"|\bsmart gate|\bborder crossing|\broad\b"
            r"|cửa khẩu|\bcầu\b|cao tốc|đường sắt|thông quan|hải quan"
            r"|口岸|大桥|公路|铁路|通关|海关|高速|智慧口岸",
            re.I,
        ),
    ),
    (
        "people-to-people",
        re.compile(
            r"touris|\bvisitors?\b|\bstudents?\b|\beducation|\bhealth|\bpatients?\b|\bfestival|\bflights?\b"
            r"|\bcycling|\bculture|\byouth|\bhospital|\btrain\b"
            r"|du lịch|du khách|sinh viên|giáo dục|y tế|lễ hội|chuyến bay|văn hóa"
            r"|旅游|游客|学生|教育|医疗|患者|节|航班|文化|青年|自行车|列车",
            re.I,
        ),
    ),
    (
        "meetings",
        re.compile(
            r"\bmeeting|\btalks\b|\bvisit(?:ed|s|ing)?\b|\bsigned|\bagreement|\bdelegation|\bsession|\breceived"
            r"|\bcommittee|\bmemorandum|\bMoU"
            r"|hội đàm|hội nghị|gặp gỡ|ký kết|thỏa thuận|đoàn|tiếp"
            r"|会谈|会见|会晤|签署|协议|代表团|访问|会议",
            re.I,
        ),
    ),
]
_PLANNED = re.compile(
    r"\bwill\b|\bplans?\b|\bplanned\b|\baims?\b|\bexpect(?:s|ed)?\b|\bscheduled\b|\bforecasts?\b|\btargets?\b"
    r"|\bto be\b|\bis set to\b|\bintends?|\bpropos|\bstrive"
    r"|\bagreed to\b|\bpledged?\b|\bcommit(?:ted|s)? to\b|\bsuggest|\bcalled for\b|\burged?\b|\bwould\b|\bshould\b"
    r"|\bshall\b|\bhopes?\b|\blooks? forward|\bready to\b|\bupcoming\b|\bwants? to\b|\bwishe?s? to\b"
    r"|\bsẽ\b|dự kiến|kế hoạch|phấn đấu|mục tiêu|đề xuất|đề nghị|thống nhất|\bcần\b|mong muốn|hướng tới|sẵn sàng"
    r"|将|计划|预计|力争|拟|争取|有望|要|希望|愿|进一步|加快|推动",
    re.I,
)
_ONGOING = re.compile(
    r"\bunder way\b|\bunderway\b|\bcontinu|\bongoing\b|\bis being\b|\bare being\b|\bcurrently\b"
    r"|\bđang\b|tiếp tục|正在|持续|不断",
    re.I,
)
_VERBISH = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|said|signed|held|reached|launched|opened|agreed|visited|met)\b"
    r"|^\W*(?:Strengthen|Promote|Enhance|Increase|Expand|Boost|Deepen|Improve|Accelerate|Develop|Build|Establish"
    r"|Implement|Facilitate|Encourage|Support|Continue|Maintain|Ensure|Step up|Speed up)\b"  # an agreed point
    r"|\b[a-z]{3,}ed\b|\b(?:đã|sẽ|đang|là|có|đạt|ký|tổ chức|khai mạc)\b|[是有将已在了达签举]",
    re.I,
)


# Border-gate and people-to-people words outweigh trade words: news of a gate speaks of its trade.
_WEIGHTS = {"trade": 1.0, "border-gates": 1.5, "people-to-people": 1.2, "meetings": 1.0}


def topic(text: str) -> str:
    """The topic whose words the sentence uses most; meetings when none."""
    scores = [(len(rx.findall(text)) * _WEIGHTS[name], i, name) for i, (name, rx) in enumerate(_TOPIC_WORDS)]
    best = max(scores, key=lambda t: (t[0], -t[1]))
    return best[2] if best[0] else "meetings"


def status(text: str) -> str:
    if _PLANNED.search(text):
        return "planned"
    if _ONGOING.search(text):
        return "ongoing"
    return "done"


def claim_bearing(text: str, language: str) -> bool:
    """A clause that says something happened or holds: it has a verb, or it is long enough to hold one
    (Vietnamese and Chinese verbs are too many to list), not just a heading's words."""
    if _VERBISH.search(text):
        return True
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han >= 12 or len(text.split()) >= (8 if language == "vi" else 14)
