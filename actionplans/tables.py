"""The board's task list as a django-tables2 table: sortable, paginated, exportable.

The page renders its rows in one pass of templates/actionplans/_task_list_row.html (the
same partials as the dashboard), with what each row needs worked out here in Python
(`page_records`): a template per cell would cost more than everything else the page
does. The exports take each column's plain value (`value_*`), so they hold the same
rows, in the same order, as the filtered list.
"""

import django_tables2 as tables

from .ratings import Travel


class TaskTable(tables.Table):
    section = tables.Column(
        "Section", accessor="section__title", order_by=("section__position", "position")
    )
    description = tables.Column("Key task", order_by=("description", "pk"))
    leads = tables.Column("Lead(s)", accessor="pk", orderable=False)
    rag = tables.Column("RAG", order_by=("rag_rank", "section__position", "position"))
    travel = tables.Column("Since", accessor="pk", orderable=False)
    updated_at = tables.Column("Last updated", order_by=("updated_at", "pk"))
    overdue_count = tables.Column("Overdue future actions", order_by=("overdue_count", "pk"))
    # In the exports only: the page has no room for them.
    success_measures = tables.Column("How will we know?", visible=False)
    rag_then = tables.Column("RAG then", visible=False)

    class Meta:
        template_name = "actionplans/_govuk_table.html"
        row_template = "actionplans/_task_list_row.html"
        attrs = {"class": "govuk-table app-task-table"}
        order_by_field = "sort"
        page_field = "page"
        empty_text = "No key tasks match these filters."

    def __init__(self, data, *, plan, comparison, **kwargs):
        super().__init__(data, **kwargs)
        self.plan, self.comparison = plan, comparison
        since = f"Since {comparison}" if comparison else "Since the last meeting"
        self.columns["travel"].column.verbose_name = since
        if comparison:
            self.columns["rag_then"].column.verbose_name = f"RAG at {comparison}"

    # The page

    @property
    def row_template(self):
        return self.Meta.row_template

    def page_records(self):
        """The tasks of the current page, each with its rating's label and its travel
        since the comparison, for the row template."""
        records = [row.record for row in self.paginated_rows]
        for record in records:
            record.rag_text = self.plan.rag_label(record.rag)
            record.travel_since = self._travel(record)
        return records

    # The exports: text a spreadsheet shows as it is

    def value_description(self, value):
        return value.strip()

    def value_leads(self, record):
        return "; ".join(
            lead.name + (f" ({names})" if (names := self._agency_names(lead)) else "")
            for lead in record.leads.all()
        )

    def value_rag(self, record):
        return self.plan.rag_label(record.rag)

    def value_rag_then(self, record):
        if record.rag_then is None:
            return "Not in the plan then"
        return self.plan.rag_label(record.rag_then)

    def value_travel(self, record):
        return self._travel(record)["travel"].label

    def value_updated_at(self, value):
        return f"{value:%Y-%m-%d}" if value else "Never"

    def _travel(self, record):
        travel = Travel.between(record.rag_then, record.rag) if self.comparison else Travel.SAME
        then = None if record.rag_then is None else self.plan.rag_label(record.rag_then)
        return {"travel": travel, "then_label": then}

    @staticmethod
    def _agency_names(lead):
        if lead.all_partners:
            return "all partners"
        return ", ".join(a.short_name or a.name for a in lead.agencies.all())
