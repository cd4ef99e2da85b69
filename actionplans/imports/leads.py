"""Matching the words of a "Lead(s)" cell or a section title to the area's agencies.

Plans name agencies in many ways: the full name, the short name ("SBC", "TEWV"), a
common abbreviation ("LA", "CCG", "FTs", "YOT") or a kind of body ("police", "health
commissioners and providers"). Names and short names are matched first and their words
consumed, so "SBC Public Health" is the council and not also every health body.
Whatever cannot be matched is kept as written, with no agency. Plan managers add the
other names their plans use (`inspections.AgencyAlias`), matched like short names.

A lead whose agencies its words do not give ("Sheila Whitehead & Sharon Barnett") is
exported with them in square brackets after the name ("... [SBC]"; `lead_text`), and
the importer reads them back exactly (`AgencyMatcher.read_lead`): the round trip keeps
every lead's agencies.
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


# "[SBC; TEWV]" at the end of a lead: the agencies it stands for, written by the export.
_AGENCIES_NOTE = re.compile(r"\s*\[([^\[\]]+)\]\s*$")
_NOTE_SEPARATOR = "; "
ALL_AGENCIES = "All agencies"
NO_AGENCY = "no agency"


def agency_aliases(area) -> list[tuple[str, int]]:
    """The other names the area's plan managers gave its agencies, as (name, agency id)."""
    return list(area.agency_aliases.values_list("alias", "agency_id"))


@dataclass
class Match:
    agency_ids: list[int]
    all_partners: bool


@dataclass
class LeadReading:
    """A lead cell's line as read: the name as written and the agencies it stands for."""

    name: str
    agency_ids: list[int]
    all_partners: bool
    from_section: bool = False  # no agency named: the section's one agency was used


class AgencyMatcher:
    """Built once per import from the area's partner agencies and the other names its plan
    managers added, as (alias, agency id) pairs (plain objects, no queries)."""

    def __init__(self, agencies, aliases=()):
        self.agencies = list(agencies)
        self.names = {agency.pk: agency.name for agency in self.agencies}
        self.short_names = {agency.pk: agency.short_name or agency.name for agency in self.agencies}
        known = set(self.names)
        # Every name an agency goes by, exactly, for the "[SBC; TEWV]" note.
        self.exact: dict[str, int] = {}
        for agency in self.agencies:
            for alias in (agency.name, agency.short_name):
                if alias:
                    self.exact.setdefault(_normalise(alias), agency.pk)
        extra = [(alias, pk) for alias, pk in aliases if pk in known]
        for alias, pk in extra:
            self.exact.setdefault(_normalise(alias), pk)
        # Longest first, so "NHS England" is found before "England" could be.
        aliases = [(_normalise(alias), pk) for alias, pk in extra if alias.strip()]
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

    def read_lead(self, text: str, section_agency_ids=()) -> LeadReading:
        """A lead's name and agencies: from its "[...]" note when every name in it is an
        agency's, else from its words; with none, the section's agency if it has one."""
        note = _AGENCIES_NOTE.search(text)
        if note:
            read = self._read_note(note[1])
            if read is not None:
                ids, all_partners = read
                return LeadReading(text[: note.start()].rstrip(), ids, all_partners)
        match = self.match(text)
        reading = LeadReading(text, match.agency_ids, match.all_partners)
        if not (reading.agency_ids or reading.all_partners) and len(section_agency_ids) == 1:
            reading.agency_ids, reading.from_section = list(section_agency_ids), True
        return reading

    def _read_note(self, note: str):
        ids, all_partners = [], False
        for token in note.split(";"):
            key = _normalise(token)
            if key == _normalise(ALL_AGENCIES):
                all_partners = True
            elif key == _normalise(NO_AGENCY):
                continue
            elif key in self.exact:
                ids.append(self.exact[key])
            else:
                return None  # not our note: an ordinary bracket of the author's
        return ids, all_partners

    def lead_text(self, name: str, agency_ids, all_partners: bool, section_agency_ids=()) -> str:
        """How to write a lead in a Word cell so that `read_lead` gives it back: its name,
        with its agencies in a "[...]" note when its words would not give them."""
        wanted = (sorted(agency_ids), bool(all_partners))
        guessed = self.read_lead(name, section_agency_ids)
        if (
            _AGENCIES_NOTE.search(name) is None
            and (
                sorted(guessed.agency_ids),
                guessed.all_partners,
            )
            == wanted
        ):
            return name
        names = [ALL_AGENCIES] if all_partners else []
        names += [self.short_names.get(pk, str(pk)) for pk in agency_ids]
        return f"{name} [{_NOTE_SEPARATOR.join(names) or NO_AGENCY}]"
