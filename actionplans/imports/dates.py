"""Target dates as plans write them: "by 30/06/18", "June 2018", "31st August 2018".

Dates are British (day first). A month on its own means the end of that month:
"review in June 2018" is due by 30 June. When a text names several dates, the one
after "by" (or "before", "due", "target", "deadline") wins, else the last one.
"""

import calendar
import re
from datetime import date

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
    }
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS = [
    # 30/06/18, 30.06.2018, 30-06-2018
    re.compile(
        r"(?<![\d/.-])(?P<day>\d{1,2})[/.-](?P<num_month>\d{1,2})[/.-](?P<year>\d{4}|\d\d)(?![\d/.-])"
    ),
    # 2018-06-30
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<num_month>\d\d)-(?P<day>\d\d)(?!\d)"),
    # 31st August 2018, 1 April 2018, 31 Aug, 2018
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b",
        re.IGNORECASE,
    ),
    # August 31st, 2018
    re.compile(
        r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR + r"\b",
        re.IGNORECASE,
    ),
    # June 2018, end of Sept 2018: the last day of the month
    re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b", re.IGNORECASE),
]
_DEADLINE_WORD = re.compile(
    r"\b(?:by|before|until|due|deadline|target(?: date)?|no later than|end of)\b[\s:–-]*$",
    re.IGNORECASE,
)


def _to_date(match) -> date | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if year < 100:
        year += 2000
    month = int(parts["num_month"]) if parts.get("num_month") else _MONTHS[parts["month"].lower()]
    if parts.get("day") is None:
        day = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
    else:
        day = int(parts["day"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, int, date]]:
    """Every date in the text as (start, end, date), in order, without overlaps."""
    found: list[tuple[int, int, date]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e, _ in found):
                continue  # a longer form ("30 June 2018") already took these characters
            value = _to_date(match)
            if value:
                found.append((start, end, value))
    return sorted(found)


def read_target_date(text: str) -> date | None:
    """The target date a future action's text gives, or None."""
    found = find_dates(text)
    if not found:
        return None
    deadlines = [value for start, _, value in found if _DEADLINE_WORD.search(text[:start])]
    return (deadlines or [value for _, _, value in found])[-1]


def is_only_a_date(text: str) -> bool:
    """True for a line that says nothing but a date ("By 30/06/18", "Target: June 2018")."""
    found = find_dates(text)
    if len(found) != 1:
        return False
    start, end, _ = found[0]
    rest = (text[:start] + text[end:]).strip(" .,:;()–-\t").lower()
    return rest in {
        "",
        "by",
        "before",
        "due",
        "due by",
        "target",
        "target date",
        "deadline",
        "end of",
        "by end of",
        "by the end of",
        "completion",
    }
