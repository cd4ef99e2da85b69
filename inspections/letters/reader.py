"""Read a findings letter: the text layer, its lists, its dates; or say why not.

`read_letter(data)` reads in this process. Web requests go through
`limits.read_letter_limited`, which runs this in a child process with limits.
"""

import re

from . import dates
from .result import LetterReading
from .structure import find_findings, heading_name, join_lines
from .text import LetterRefused, Line, extract_lines

INSPECTORATES = [
    ("Ofsted", re.compile(r"\bofsted\b|chief inspector of education", re.I)),
    ("CQC", re.compile(r"care quality commission|\bcqc\b", re.I)),
    ("HMICFRS", re.compile(r"inspectorate of constabulary|\bhmicf?r?s?\b|hmi constabulary", re.I)),
    ("HMIP", re.compile(r"inspectorate of probation|hmi probation|\bhmip\b", re.I)),
]
TITLE = re.compile(r"joint targeted area inspection (?:\(jtai\) )?of\s+(.+)", re.I)
RESPONSE_TO = re.compile(r"(?:the )?multi-agency response to\s+(.+?)\s+in\s+([A-Z].+?)[.,]?$")
DEEP_DIVE = re.compile(
    r"deep[ -]dive[’']? focus on (?:the response to )?(?:children (?:experiencing|who are|living with|affected by) )?([^.,]{3,150}?)[.,]",
    re.I,
)
LOOKS_LIKE = [
    (
        re.compile(
            r"area send inspection|special educational needs and/or disabilit(y|ies) .{0,40}inspection|local area send",
            re.I,
        ),
        "an area SEND inspection report (special educational needs and disabilities)",
    ),
    (
        re.compile(r"inspection of local authority children[’']s services|\bILACS\b", re.I),
        "an ILACS report (an inspection of the council's children's services)",
    ),
    (re.compile(r"focused visit", re.I), "an Ofsted focused visit letter"),
    (
        re.compile(r"school inspection|inspection of [a-z ]+ school", re.I),
        "a school inspection report",
    ),
]


def read_letter(data: bytes) -> LetterReading:
    lines, pages, _ = extract_lines(data)
    first_pages = " ".join(line.text for line in lines if line.page <= 2)
    if not re.search(r"joint targeted area inspection|\bJTAI\b", first_pages, re.I):
        raise LetterRefused(_not_a_letter(first_pages), code="not_letter")

    reading = LetterReading(pages=pages)
    findings, headings = find_findings(lines)
    if not findings:
        raise LetterRefused(
            "This looks like a joint targeted area inspection letter, but its lists of "
            "strengths and areas for improvement could not be found"
            + (f" (headings seen: {', '.join(headings[:8])})" if headings else "")
            + ". You can add the inspection without its findings and enter them by hand.",
            code="no_lists",
        )
    reading.findings = findings
    _read_title(reading, lines)
    page_one = [line.text for line in lines if line.page == 1]
    reading.letter_date = dates.letter_date(page_one)
    reading.fieldwork_start, reading.fieldwork_end = dates.fieldwork(first_pages)
    reading.inspectorates = [code for code, pattern in INSPECTORATES if pattern.search(first_pages)]
    due, phrase, others = dates.deadlines(_next_steps(lines))
    reading.statement_due, reading.statement_due_phrase = due, phrase
    reading.other_deadlines = others
    _warn(reading)
    return reading


def _not_a_letter(text: str) -> str:
    for pattern, what in LOOKS_LIKE:
        if pattern.search(text):
            return (
                f"This looks like {what}, not a joint targeted area inspection findings "
                "letter. Upload the JTAI letter, or add this inspection by hand."
            )
    return (
        "This PDF does not look like a joint targeted area inspection findings letter: "
        "its first pages do not name a joint targeted area inspection. Check that you "
        "chose the letter."
    )


def _read_title(reading: LetterReading, lines: list[Line]) -> None:
    """Area and theme from the bold title ("Joint targeted area inspection of ...")."""
    for index, line in enumerate(lines):
        if line.page > 2 or not TITLE.match(line.text.strip()):
            continue
        title = line.text.strip()
        # The title may run over a second bold line.
        for following in lines[index + 1 : index + 3]:
            if not following.bold or following.size != line.size:
                break
            title += " " + following.text.strip()
        rest = TITLE.match(title).group(1).strip().rstrip(".")
        response = RESPONSE_TO.match(rest)
        if response:
            reading.theme, reading.area = response.group(1), response.group(2)
        else:
            reading.area = rest
        break
    text = " ".join(line.text for line in lines if line.page <= 2)
    deep_dive = DEEP_DIVE.search(text)
    if deep_dive:
        reading.theme = deep_dive.group(1).strip()
    elif reading.area:
        summary = re.search(
            rf"multi-agency response to (?:the )?([^.]{{3,150}}?) in (?:the )?{re.escape(reading.area)}",
            text,
        )
        if summary:
            reading.theme = summary.group(1).strip()
    if reading.area is None:
        salutation = next(
            (line.text for line in lines if line.text.lower().startswith("dear ")), ""
        )
        found = re.match(r"dear (.+?) (local )?(safeguarding|partnership)", salutation, re.I)
        if found:
            reading.area = found.group(1)


def _next_steps(lines: list[Line]) -> list[str]:
    """The paragraphs of "Next steps" up to the signature (of the whole letter if it has no
    such heading). A paragraph ends where the lines open a gap wider than a blank line."""
    start = next((i for i, line in enumerate(lines) if heading_name(line.text) == "next steps"), -1)
    paragraphs = [""]
    previous = None
    for line in lines[start + 1 :]:
        if line.text.lower().startswith("yours sincerely"):
            break
        if (
            previous is not None
            and line.page == previous.page
            and line.starts_paragraph_after(previous)
        ):
            paragraphs.append("")
        paragraphs[-1] = join_lines(paragraphs[-1], line.text)
        previous = line
    return [paragraph for paragraph in paragraphs if paragraph]


def _warn(reading: LetterReading) -> None:
    """Say what a plan manager should look at before confirming."""
    warn = reading.warnings.append
    if not reading.area:
        warn("The area's name was not found: choose the area.")
    if not reading.letter_date:
        warn("The letter's date was not found: enter it.")
    if not reading.fieldwork_start:
        warn("The dates of the fieldwork were not found: enter them.")
    if not reading.statement_due:
        warn(
            "No deadline for the written statement of action was found in Next steps: the "
            "statutory 70 working days will be used unless you enter the stated date."
        )
    elif reading.letter_date and not (0 < (reading.statement_due - reading.letter_date).days < 200):
        warn("The statement's deadline is not a few months after the letter's date: check it.")
    for other in reading.other_deadlines:
        warn(f"Next steps also sets a deadline: “{other.phrase}”")
    if not reading.count("strength"):
        warn("No strengths were found: check the letter's lists.")
    if not (reading.count("improvement") or reading.count("priority")):
        warn("No areas for improvement were found: check the letter's lists.")
    for finding in reading.findings:
        if len(finding.text) < 25:
            finding.warning = "This is very short: check it was read whole."
        elif len(finding.text) > 3000:
            finding.warning = "This is very long: check it is one finding, not several."
        elif len(finding.text) > 200 and not finding.text.rstrip("”’\"')").endswith(
            (".", ":", ";", "!", "?")
        ):
            finding.warning = "This does not end a sentence: check it was read whole."
