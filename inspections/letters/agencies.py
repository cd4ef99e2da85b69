"""Which of an area's partner agencies a letter's sub-heading names.

Letters group some findings under a heading such as "Police", "Health", "Children's
social care", "Cleveland Police" or "The Local Safeguarding Children Board". A heading
that names a partner (its name or its usual short name) means that partner; otherwise a
heading about a kind of service means the area's partners of that kind ("Health" means
its health commissioners and providers). A heading about the board or the partnership
as a whole names no single agency.
"""

import re

# Words in a heading, and the kinds of agency (inspections.models.Agency.Kind) they mean.
KIND_WORDS = [
    (r"police|constabulary", ["police"]),
    (
        r"health|nhs|\bccg\b|\bicb\b|hospital|clinical commissioning|trust|camhs",
        ["health_commissioner", "health_provider"],
    ),
    (r"probation|\bcrc\b|\bnps\b|community rehabilitation", ["probation"]),
    (r"youth (offending|justice)|\byos\b|\byjs\b|\byot\b", ["youth_justice"]),
    (r"social care|local authority|council|children[’']s services|early help", ["council"]),
    (r"education|schools?\b", ["education"]),
]

# A sub-heading inside a list names an agency (or group of agencies) when it speaks of a
# body, not a topic: "Police", "The LSCB", "Health agencies" are agencies; "Leadership and
# management" or "Responses to children missing" are topics.
BODY_WORDS = re.compile(
    r"\b(police|constabulary|health|nhs|ccgs?|icbs?|trusts?|hospitals?|council|local authority|"
    r"social care|children[’']s services|probation|crc|nps|community rehabilitation|"
    r"youth (offending|justice)|yos|yjs|yot|schools?|education|camhs|agency|agencies|"
    r"boards?|lscb|lscp|safeguarding children partnership|commissioners?|providers?|"
    r"gps?|general practi(ce|tioners?)|ambulance|fire and rescue)\b",
    re.IGNORECASE,
)


def names_a_body(heading: str) -> bool:
    return bool(BODY_WORDS.search(heading))


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9’']+", " ", text.lower()).strip() + " "


def agencies_named(heading: str | None, agencies) -> list:
    """The agencies (objects with name, short_name and kind) that `heading` names."""
    if not heading:
        return []
    words = _words(heading)
    named = [
        agency
        for agency in agencies
        if _words(agency.name) in words
        or (agency.short_name and _words(agency.short_name) in words)
    ]
    if named:
        return named
    kinds = set()
    for pattern, meant in KIND_WORDS:
        if re.search(pattern, heading, re.IGNORECASE):
            kinds.update(meant)
    return [agency for agency in agencies if agency.kind in kinds]
