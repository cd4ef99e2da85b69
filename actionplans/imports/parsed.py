"""The plan as read from a document, before anything is written: plain data and warnings.

The preview page shows exactly this, and `services.import_plan` writes exactly this.
Warnings sit on the thing they are about (the document, a section, a task) so the
preview can show each one beside what it could not place.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ParsedLead:
    name: str
    agency_ids: list[int] = field(default_factory=list)
    all_partners: bool = False
    # True when no agency is named in the text and the section's one agency was used.
    from_section: bool = False
    agency_names: list[str] = field(default_factory=list)  # short names, for the preview


@dataclass
class ParsedFutureAction:
    text: str
    target_date: date | None = None


@dataclass
class ParsedTask:
    description: str
    success_measures: list[str] = field(default_factory=list)
    leads: list[ParsedLead] = field(default_factory=list)
    action_to_date: list[str] = field(default_factory=list)
    future_actions: list[ParsedFutureAction] = field(default_factory=list)
    rag: str = ""
    rag_label: str = ""  # the plan's word for `rag`, for the preview
    finding_ids: list[int] = field(default_factory=list)
    finding_references: list[str] = field(default_factory=list)  # "AFI 3", for the preview
    source: str = ""  # where it was read, e.g. "table 3, row 4"
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedSection:
    title: str
    whole_partnership: bool = False
    agency_ids: list[int] = field(default_factory=list)
    agency_names: list[str] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedIntroParagraph:
    number: int
    heading: str
    text: str


@dataclass
class ParsedPlan:
    title: str = ""
    version_label: str = ""
    running_heading: str = ""
    # "red"/"amber"/"green"/"blue" -> label, as the document's key gives them
    rag_labels: dict[str, str] = field(default_factory=dict)
    rag_unrated_label: str = ""  # when the key names the blank rating too
    status: str = ""  # ActionPlan.Status value, when the document states it ("Status: ...")
    introduction: list[ParsedIntroParagraph] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[ParsedTask]:
        return [task for section in self.sections for task in section.tasks]

    @property
    def uses_blue(self) -> bool:
        """The document rates with a fourth colour: blue in its key or in a RAG cell."""
        return "blue" in self.rag_labels or any(task.rag == "blue" for task in self.tasks)

    @property
    def warning_count(self) -> int:
        return (
            len(self.warnings)
            + sum(len(s.warnings) for s in self.sections)
            + sum(len(t.warnings) for t in self.tasks)
        )
