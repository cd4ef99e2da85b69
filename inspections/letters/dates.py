"""Dates in a letter: its own date, the fieldwork week, and the deadlines of "Next steps".

Letters write dates in words ("18 April 2018", "Tuesday 25 October 2022") and the
fieldwork as a range ("Between 20 and 24 November 2017", "took place from 9 to 13
December 2024", "Between 3 December 2018 and 7 December 2018"). The statement's deadline
is the date after "by" in the sentence that asks for the written statement; that sentence
is kept, to show the plan manager where the date came from.
"""

import re
from datetime import date

from .result import OtherDeadline

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
DATE = re.compile(rf"{WEEKDAY}{DAY}\s+{MONTH},?\s+(\d{{4}})", re.IGNORECASE)
FIELDWORK = re.compile(
    rf"(?:between|from|took place on)\s+{DAY}(?:\s+{MONTH})?(?:\s+(\d{{4}}))?\s+"
    rf"(?:and|to|until|-|–)\s+{DAY}\s+{MONTH},?\s+(\d{{4}})",
    re.IGNORECASE,
)
# "by 18 April 2018", "by Tuesday 25 October 2022", "no later than 5pm on 3 May 2019".
DEADLINE = re.compile(
    rf"\b(?:by|before|no later than)\s+(?:[\w:.]+\s+on\s+)?{WEEKDAY}{DAY}\s+{MONTH},?\s+(\d{{4}})",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“(])")
WORKING_DAYS = re.compile(r"within\s+(\d{1,3})\s+working days", re.IGNORECASE)


def make_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), MONTHS[month.lower()], int(day))
    except (ValueError, KeyError):
        return None


def find_date(text: str) -> date | None:
    match = DATE.search(text)
    return make_date(*match.groups()) if match else None


def letter_date(first_page_lines: list[str]) -> date | None:
    """The date the letter is dated: a line that is only a date, before the salutation."""
    before_salutation = []
    for text in first_page_lines:
        if text.lower().startswith("dear"):
            break
        before_salutation.append(text)
    for text in before_salutation:
        match = DATE.fullmatch(text.strip().rstrip("."))
        if match:
            return make_date(*match.groups())
    # "Date: 15 January 2018" or a date beside the address; then anywhere on the page.
    for text in [*before_salutation, *first_page_lines]:
        found = find_date(text)
        if found:
            return found
    return None


def fieldwork(text: str) -> tuple[date | None, date | None]:
    match = FIELDWORK.search(text)
    if not match:
        return None, None
    start_day, start_month, start_year, end_day, end_month, end_year = match.groups()
    end = make_date(end_day, end_month, end_year)
    start = make_date(start_day, start_month or end_month, start_year or end_year)
    if start and end and start > end and not start_year:
        start = make_date(start_day, start_month or end_month, str(int(end_year) - 1))
    return start, end


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(re.sub(r"\s+", " ", text)) if s.strip()]


def deadlines(paragraphs: list[str]) -> tuple[date | None, str | None, list[OtherDeadline]]:
    """The statement's stated deadline and its sentence, and any other deadline set, from
    the paragraphs of "Next steps"."""
    due, phrase = None, None
    others = []
    for sentence in (s for paragraph in paragraphs for s in sentences(paragraph)):
        lowered = sentence.lower()
        by_date = DEADLINE.search(sentence)
        if due is None and by_date and "statement" in lowered:
            due = make_date(*by_date.groups())
            phrase = sentence
            continue
        days = WORKING_DAYS.search(sentence)
        if days or by_date:
            others.append(
                OtherDeadline(
                    phrase=sentence,
                    due=make_date(*by_date.groups()) if by_date else None,
                    working_days=int(days.group(1)) if days else None,
                )
            )
    return due, phrase, others
