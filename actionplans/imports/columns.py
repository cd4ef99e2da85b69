"""Which column is which, read from the header row by meaning rather than exact words.

Plans call the same column many things: "Key tasks", "Action", "What we will do";
"How will we know?", "Success measure", "Evidence of impact"; "Lead(s)",
"Responsibility", "Owner"; and so on. Each heading is matched against the patterns
below in order (the specific before the general: "Action to date" is progress, not
the task). Columns the model has no place for are kept as `UNPLACED` so the preview
can say what was not imported.
"""

import re

DESCRIPTION = "description"
MEASURES = "measures"
LEADS = "leads"
PROGRESS = "progress"
FUTURE = "future"
TARGET_DATE = "target_date"
RAG = "rag"
REFERENCE = "reference"  # a finding or paragraph of the letter
RECOMMENDATION = "recommendation"  # the finding's words, beside a separate task column
NUMBER = "number"
UNPLACED = "unplaced"

# The core columns a plan table has; a header row must show the task and two others.
CORE = {MEASURES, LEADS, PROGRESS, FUTURE, TARGET_DATE, RAG}

_RULES = [
    (REFERENCE, r"\bpara(graph)?s?\b|\b(report|letter|finding|afi|jtai) ref"),
    (NUMBER, r"^(no|number|ref|reference|item|id|#|action no|task no)$"),
    (RAG, r"\bb?rag\b|\br\s*a\s*g\b|red amber green"),
    (
        PROGRESS,
        r"\bactions? to date\b|\bprogress\b|\bupdates?\b|\bactions? taken\b|"
        r"\bwhat (has been|we have) done\b|\bdone so far\b|\bactivity to date\b|\bcomments?\b",
    ),
    (
        FUTURE,
        r"\bfuture actions?\b|\bnext steps?\b|\bplanned actions?\b|\bfurther actions?\b|"
        r"\bactions? planned\b|\bactions? still to\b|\bto do\b|\bremaining actions?\b",
    ),
    (
        MEASURES,
        r"\bhow (will|do|would) we know\b|\bsuccess\b|\bmeasures?\b|\bevidence\b|\boutcomes?\b|"
        r"\bimpact\b|\bkpis?\b|\bindicators?\b|\bwhat will be different\b",
    ),
    (
        TARGET_DATE,
        r"\bby when\b|\btimescales?\b|\btime ?frames?\b|\btarget dates?\b|\bdeadlines?\b|"
        r"\bdue( dates?)?\b|\bcompletion dates?\b|\bdates?\b|\bwhen\b",
    ),
    (LEADS, r"\bleads?\b|\bresponsib|\bowners?\b|\baccountable\b|\bby whom\b|\bwho\b"),
    (
        RECOMMENDATION,
        r"\brecommendations?\b|\bareas? for (improvement|priority action)\b|\bfindings?\b|"
        r"\bissues? identified\b|\bwhat (the )?inspectors? (said|found)\b",
    ),
    (
        DESCRIPTION,
        r"\bkey tasks?\b|\btasks?\b|\bactions?\b|\bwhat (we will|will we) do\b|\bobjectives?\b|"
        r"\bactivit(y|ies)\b|\bimprovements?\b|\bpriorit(y|ies)\b",
    ),
    (RAG, r"\bstatus\b|\bratings?\b"),
]
_COMPILED = [(role, re.compile(pattern)) for role, pattern in _RULES]


def _normalise(heading: str) -> str:
    text = heading.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^a-z0-9#/' ]+", " ", text)
    return " ".join(text.replace("/", " / ").split()).replace(" / ", "/").strip()


def role_of(heading: str) -> str | None:
    """The role of one heading, or None for an empty heading."""
    text = _normalise(heading)
    if not text:
        return None
    text = text.replace("r/a/g", "rag").replace("/", " ")
    for role, pattern in _COMPILED:
        if pattern.search(text):
            return role
    return UNPLACED


def recognise(headings: list[str]) -> dict[int, str] | None:
    """Roles by column index when `headings` is a plan table's header row, else None.

    Where two columns claim one role, the first keeps it: a second "future" column
    that reads as a date becomes the target date, a second task column is reported.
    A "Recommendation" column is the task when the table has no other task column.
    """
    roles: dict[int, str] = {}
    for index, heading in enumerate(headings):
        role = role_of(heading)
        if role is None:
            continue
        if role in roles.values() and role not in (UNPLACED, NUMBER, REFERENCE):
            second = TARGET_DATE if role == FUTURE and role_of_date(heading) else UNPLACED
            role = second if second not in roles.values() else UNPLACED
        roles[index] = role
    if DESCRIPTION not in roles.values() and RECOMMENDATION in roles.values():
        first = min(i for i, r in roles.items() if r == RECOMMENDATION)
        roles[first] = DESCRIPTION
    if DESCRIPTION not in roles.values():
        return None
    if len(CORE & set(roles.values())) < 2:
        return None
    return roles


def role_of_date(heading: str) -> bool:
    return bool(re.search(r"\bwhen\b|\btimescale|\bdate|\bdeadline|\bdue\b", _normalise(heading)))
