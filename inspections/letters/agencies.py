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
