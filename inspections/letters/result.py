"""What a reading of a letter gives, as plain data (no database)."""

from dataclasses import asdict, dataclass, field
from datetime import date

KINDS = ("strength", "improvement", "priority")


@dataclass
class LetterFinding:
    kind: str  # one of KINDS
    text: str
    agency: str | None = None  # the sub-heading the finding sits under, if the list has them
    number: str | None = None  # the paragraph number printed beside it, if any
    page: int | None = None  # where it starts, for the preview
    warning: str | None = None  # what the plan manager should check about it


@dataclass
class OtherDeadline:
    """A further deadline of "Next steps", e.g. a priority-action draft within 20 working days."""

    phrase: str
    due: date | None = None
    working_days: int | None = None


@dataclass
class LetterReading:
    area: str | None = None
    letter_date: date | None = None
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    theme: str | None = None
    inspectorates: list[str] = field(default_factory=list)  # codes: Ofsted, CQC, HMICFRS, HMIP
    statement_due: date | None = None
    statement_due_phrase: str | None = None
    other_deadlines: list[OtherDeadline] = field(default_factory=list)
    findings: list[LetterFinding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the whole letter
    pages: int = 0

    def as_json(self) -> dict:
        """The object `read_letter --json` prints (the form of the issue)."""

        def iso(day):
            return day.isoformat() if day else None

        return {
            "area": self.area,
            "letter_date": iso(self.letter_date),
            "fieldwork_start": iso(self.fieldwork_start),
            "fieldwork_end": iso(self.fieldwork_end),
            "theme": self.theme,
            "statement_due": iso(self.statement_due),
            "statement_due_phrase": self.statement_due_phrase,
            "findings": [
                {"kind": f.kind, "agency": f.agency, "number": f.number, "text": f.text}
                for f in self.findings
            ],
            "warnings": self.warnings
            + [
                f"Finding {position}: {finding.warning}"
                for position, finding in enumerate(self.findings, start=1)
                if finding.warning
            ],
        }

    def to_transport(self) -> dict:
        """Everything, for the child process to hand back to its parent."""
        return asdict(self)

    @classmethod
    def from_transport(cls, data: dict) -> "LetterReading":
        def day(value):
            if value is None or isinstance(value, date):
                return value
            return date.fromisoformat(value)

        return cls(
            area=data["area"],
            letter_date=day(data["letter_date"]),
            fieldwork_start=day(data["fieldwork_start"]),
            fieldwork_end=day(data["fieldwork_end"]),
            theme=data["theme"],
            inspectorates=list(data["inspectorates"]),
            statement_due=day(data["statement_due"]),
            statement_due_phrase=data["statement_due_phrase"],
            other_deadlines=[
                OtherDeadline(phrase=d["phrase"], due=day(d["due"]), working_days=d["working_days"])
                for d in data["other_deadlines"]
            ],
            findings=[LetterFinding(**f) for f in data["findings"]],
            warnings=list(data["warnings"]),
            pages=data["pages"],
        )

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)
