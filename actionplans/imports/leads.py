"""Matching the words of a "Lead(s)" cell or a section title to the area's agencies.

Plans name agencies in many ways: the full name, the short name ("SBC", "TEWV"), a
common abbreviation ("LA", "CCG", "FTs", "YOT") or a kind of body ("police", "health
commissioners and providers"). Names and short names are matched first and their words
consumed, so "SBC Public Health" is the council and not also every health body.
Whatever cannot be matched is kept as written, with no agency.
"""

import re
from dataclasses import dataclass

from inspections.models import Agency

Kind = Agency.Kind

_ALL_PARTNERS = re.compile(
    r"^all$|\ball (listed |partner |relevant |lscb |statutory )?(agencies|partners|organisations)\b|"
    r"\bwhole partnership\b|\bacross the partnership\b|\bpartnership[ -]wide\b"
)

# Common abbreviations and kinds of body -> which agencies of the area they mean.
# A rule is (pattern, kinds or None, words the agency's name must contain or None).
_KNOWN = [
    (r"\bpublic health\b", {Kind.COUNCIL}, None),  # a council function in England
    (
        r"\bhealth (commissioners and providers|providers and commissioners)\b",
        {Kind.HEALTH_COMMISSIONER, Kind.HEALTH_PROVIDER},
        None,
    ),
    (r"\bhealth commissioners?\b", {Kind.HEALTH_COMMISSIONER}, None),
    (r"\bhealth providers?\b", {Kind.HEALTH_PROVIDER}, None),
    (
        r"\b(ccgs?|clinical commissioning groups?|primary care|named gps?|gps?|des(ignated)? nurse)\b",
        None,
        "clinical commissioning group",
    ),
    (r"\b(fts?|foundation trusts?|nhs trusts?)\b", None, "foundation trust"),
    (r"\b(nhse|nhs england)\b", None, "nhs england"),
    (
        r"\b(la|local authority|council|children'?s services|children'?s social care|csc)\b",
        {Kind.COUNCIL},
        None,
    ),
    (r"\b(police|constabulary)\b", {Kind.POLICE}, None),
    (
        r"\b(yot|yos|yjs|youth offending( team| service)?|youth justice( service)?)\b",
        {Kind.YOUTH_JUSTICE},
        None,
    ),
    (r"\b(probation|nps|crcs?)\b", {Kind.PROBATION}, None),
    (r"\b(schools?|education)\b", {Kind.EDUCATION}, None),
    (r"\bhealth\b", {Kind.HEALTH_COMMISSIONER, Kind.HEALTH_PROVIDER}, None),
]
_KNOWN_COMPILED = [(re.compile(p), kinds, words) for p, kinds, words in _KNOWN]


def _normalise(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return f" {' '.join(text.split())} "


@dataclass
class Match:
    agency_ids: list[int]
    all_partners: bool


class AgencyMatcher:
    """Built once per import from the area's partner agencies (plain objects, no queries)."""

    def __init__(self, agencies):
        self.agencies = list(agencies)
        self.names = {agency.pk: agency.name for agency in self.agencies}
        self.short_names = {agency.pk: agency.short_name or agency.name for agency in self.agencies}
        # Longest first, so "NHS England" is found before "England" could be.
        aliases = []
        for agency in self.agencies:
            for alias in self._aliases(agency):
                aliases.append((alias, agency.pk))
        aliases.sort(key=lambda pair: len(pair[0]), reverse=True)
        self._aliases_compiled = [
            (re.compile(rf"(?<![a-z0-9]){re.escape(alias.strip())}(?![a-z0-9])"), pk)
            for alias, pk in aliases
        ]

    @staticmethod
    def _aliases(agency) -> set[str]:
        aliases = {_normalise(agency.name)}
        if agency.short_name:
            aliases.add(_normalise(agency.short_name))
            tokens = agency.short_name.split()
            # "DTV CRC": "CRC" alone names it too.
            aliases |= {
                _normalise(t) for t in tokens if len(tokens) > 1 and len(t) >= 3 and t.isupper()
            }
        return {alias for alias in aliases if alias.strip()}

    def match(self, text: str) -> Match:
        remaining = _normalise(text)
        all_partners = bool(_ALL_PARTNERS.search(remaining.strip()))
        found: list[int] = []
        for pattern, pk in self._aliases_compiled:
            if pattern.search(remaining):
                if pk not in found:
                    found.append(pk)
                remaining = pattern.sub(" ", remaining)
        for pattern, kinds, words in _KNOWN_COMPILED:
            if not pattern.search(remaining):
                continue
            remaining = pattern.sub(" ", remaining)
            for agency in self.agencies:
                named = (kinds and agency.kind in kinds) or (words and words in agency.name.lower())
                if named and agency.pk not in found:
                    found.append(agency.pk)
        return Match(agency_ids=found, all_partners=all_partners)
