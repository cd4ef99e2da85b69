"""The board's task list as a django-tables2 table: sortable, paginated, exportable.

The page's table is written in Python (`page_html`, with the markup of
task_list_html): the rows in one pass over the page's tasks (`page_rows`), with what
each row needs worked out first (`page_records`): the rating's tag and the travel
since the comparison, the leads with their agencies (one query for the page's rows,
`lead_labels`) and each cell's heading for narrow screens (`cell_labels`). The exports
(`TaskExportTable`, the page's columns and the plan's others) take each column's plain
value (`value_*`), so they hold the same rows, in the same order, as the filtered list.
"""

import copy
from html import escape as _escape

import django_tables2 as tables
from django.db import connection
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django_tables2.templatetags.django_tables2 import table_page_range

from inspections.links import ANY_ID, link
from inspections.models import Agency

from .models import Lead
from .ratings import Travel
from .task_list_html import (
    CURRENT_PAGE,
    ELLIPSES,
    HEADING,
    NEVER,
    NEXT,
    NO_ROWS,
    PAGE,
    PREVIOUS,
    ROW,
    SHOWING,
    SORT_LINK,
    TABLE,
    WITHDRAWN,
    first_words,
    leads_html,
    rag_tag_html,
    travel_html,
    updated_on,
)


def _agencies_label(all_partners: bool, names) -> str:
    """The agencies a lead stands for, as the list and its exports write them."""
    return "all partners" if all_partners else ", ".join(names)


def lead_labels(task_ids):
    """Task id -> its leads in order, each as (name, agencies): the agencies to chase
    as a list shows them ("all partners", or their short names; empty when none is
    named). One query: the leads joined with their agencies.

    Raw SQL, as dashboard.overdue_count: the ORM took longer to build the query than
    the database takes to run it. Table and column names come from the models."""
    through = Lead.agencies.through._meta
    lead, agency = Lead._meta.db_table, Agency._meta.db_table
    lead_id, agency_id = through.get_field("lead").column, through.get_field("agency").column
    sql = (
        f"SELECT l.task_id, l.id, l.name, l.all_partners, a.short_name, a.name FROM {lead} l"  # noqa: S608
        f" LEFT OUTER JOIN {through.db_table} la ON la.{lead_id} = l.id"
        f" LEFT OUTER JOIN {agency} a ON a.id = la.{agency_id}"
        f" WHERE l.task_id IN ({', '.join(['%s'] * len(task_ids))})"
        " ORDER BY l.task_id, l.position, l.id, a.name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(task_ids))
        rows = cursor.fetchall()
    leads = {}  # lead id -> (task id, name, all partners, agency names)
    for task_id, lead_id, name, all_partners, short_name, agency_name in rows:
        lead = leads.setdefault(lead_id, (task_id, name, all_partners, []))
        if agency_name is not None:
            lead[3].append(short_name or agency_name)
    labels = {}
    for task_id, name, all_partners, agencies in leads.values():
        labels.setdefault(task_id, []).append((name, _agencies_label(all_partners, agencies)))
    return labels


class Column(tables.Column):
    """A django-tables2 column that a table copies shallowly.

    Every table deep-copies its class's columns when it is made (so that a table can
    change its own): a deep copy of the list's columns cost more than a millisecond a
    request. A table here changes only a column's own attributes (its heading), so a
    copy of the column, with its attributes' dictionary of its own, is enough."""

    def __deepcopy__(self, memo):
        column = copy.copy(self)
        column.attrs = dict(self.attrs)
        return column


class TaskTable(tables.Table):
    section = Column(
        "Section", accessor="section__title", order_by=("section__position", "position")
    )
    description = Column("Key task", order_by=("description", "pk"))
    leads = Column("Lead(s)", accessor="pk", orderable=False)
    rag = Column("RAG", order_by=("rag_rank", "section__position", "position"))
    travel = Column("Since", accessor="pk", orderable=False)
    updated_at = Column("Last updated", order_by=("updated_at", "pk"))
    overdue_count = Column("Overdue future actions", order_by=("overdue_count", "pk"))

    class Meta:
        attrs = {"class": "govuk-table app-task-table"}
        order_by_field = "sort"
        page_field = "page"
        empty_text = "No key tasks match these filters."

    def __init__(self, data, *, plan, comparison, **kwargs):
        super().__init__(data, **kwargs)
        self.plan, self.comparison = plan, comparison
        since = f"Since {comparison}" if comparison else "Since the last meeting"
        self.columns["travel"].column.verbose_name = since

    def sort_as_offered(self, asked: str | None):
        """Sorts by what the query string asks for, keeping only the sorts the page
        offers: its visible, sortable columns.

        Another column (one the exports alone show, or one not on the page at all) is
        ignored rather than a 500: the page and its exports then hold the same rows in
        the same order."""
        offered = {column.name for column in self.columns if column.orderable}
        names = [name.strip() for name in (asked or "").split(",")]
        self.order_by = [name for name in names if name.lstrip("-") in offered]

    # The page

    def head_cells(self, query):
        """The column headings, each as (name, heading, aria-sort, link to sort by it,
        the way that link sorts), worked out once a page (in a template each took a
        dozen lookups through django-tables2's properties).

        aria-sort and the link are None for a column not sorted by, or not sortable.
        The link keeps the rest of the query string (`query`, the request's GET), as
        django-tables2's querystring_replace writes it."""
        cells = []
        for column in self.columns:
            sorted_by = None
            href = direction = None
            if column.is_ordered:
                descending = column.order_by_alias.is_descending
                sorted_by = "descending" if descending else "ascending"
            if column.orderable:
                params = dict(query)
                params[self.prefixed_order_by_field] = column.order_by_alias.next
                href = escape("?" + urlencode(params, doseq=True))
                descending_next = column.is_ordered and not column.order_by_alias.is_descending
                direction = "descending" if descending_next else "ascending"
            cells.append((column.name, column.header, sorted_by, href, direction))
        return cells

    def pagination(self, query):
        """GOV.UK pagination of the table's pages as HTML (empty for a single page):
        the pages django-tables2's table_page_range offers, each link keeping the rest
        of the query string (`query`, the request's GET) as its querystring_replace
        writes it."""
        page = self.page
        if not page or self.paginator.num_pages <= 1:
            return ""
        params = dict(query)

        def href(number):
            params[self.prefixed_page_field] = number
            return escape("?" + urlencode(params, doseq=True))

        parts = ['<nav class="govuk-pagination" aria-label="Pages of key tasks">']
        if page.has_previous():
            parts.append(PREVIOUS.format(href=href(page.previous_page_number())))
        parts.append('\n  <ul class="govuk-pagination__list">')
        for number in table_page_range(page, self.paginator):
            if number == "...":
                parts.append(ELLIPSES)
            else:
                item = CURRENT_PAGE if number == page.number else PAGE
                parts.append(item.format(href=href(number), number=number))
        parts.append("\n  </ul>")
        if page.has_next():
            parts.append(NEXT.format(href=href(page.next_page_number())))
        parts.append("\n</nav>")
        return mark_safe("".join(parts))  # noqa: S308 (links escaped; numbers)

    def page_html(self, query):
        """The table as the page shows it (task_list_html.TABLE): the number of tasks
        that match, the headings (`head_cells`), the page's rows (`page_rows`) and the
        pagination after it (`pagination`); `query` is the request's GET."""
        paginator, page = self.paginator, self.page
        showing = ""
        if paginator.num_pages > 1:
            showing = SHOWING.format(start=page.start_index(), end=page.end_index())
        headings = []
        for name, heading, sorted_by, href, direction in self.head_cells(query):
            heading = conditional_escape(heading)
            if href:
                heading = SORT_LINK.format(href=href, heading=heading, direction=direction)
            aria_sort = f' aria-sort="{sorted_by}"' if sorted_by else ""
            headings.append(HEADING.format(name=name, aria_sort=aria_sort, heading=heading))
        rows = "".join(self.page_rows()) or NO_ROWS.format(
            columns=len(self.columns), text=conditional_escape(self.empty_text)
        )
        return mark_safe(  # noqa: S308 (every value is escaped or already safe HTML)
            TABLE.format(
                attrs=self.attrs.as_html(),
                count=paginator.count,
                plural="" if paginator.count == 1 else "s",
                showing=showing,
                headings="".join(headings),
                rows=rows,
                pagination=self.pagination(query),
            )
        )

    def cell_labels(self):
        """Column name -> heading: each cell's label on narrow screens, worked out once
        for the page rather than once a cell."""
        return {column.name: column.header for column in self.columns}

    def page_records(self):
        """The tasks of the current page, each with its rating as a tag (`rag_tag`), its
        travel since the comparison (`travel_since`), its leads (`lead_labels`) and when
        it was updated (`updated_on`), for the rows (`page_rows`)."""
        records = [row.record for row in self.paginated_rows]
        leads = lead_labels([record.pk for record in records]) if records else {}
        zone, months = timezone.get_current_timezone(), {}
        for record in records:
            record.rag_tag = rag_tag_html(record.rag, self.plan.rag_label(record.rag))
            record.travel_since = travel_html(**self._travel(record))
            record.lead_labels = leads.get(record.pk, ())
            record.updated_on = updated_on(record.updated_at, zone, months)
        return records

    def page_rows(self):
        """The rows of the current page as HTML (ROW), in one pass over its tasks.

        The cells' labels are the same in every row: they are escaped and written into
        the row once a page; each row then fills in its own values, escaped here."""
        labels = {
            f"{name}_label": escape(label).replace("{", "{{").replace("}", "}}")
            for name, label in self.cell_labels().items()
        }
        cells = ("section", "withdrawn", "url", "text", "leads", "rag_tag", "travel", "updated")
        row = ROW.format(
            **labels, **{name: f"{{{name}}}" for name in cells}, overdue_count="{overdue_count}"
        )
        # Each row links to its task: the link kept with a stand-in id, the task's put in.
        detail = escape(link("task_detail", ANY_ID)).replace(str(ANY_ID), "{}")
        rows = []
        for task in self.page_records():
            paragraphs = task.description_paragraphs
            updated = task.updated_on
            rows.append(
                mark_safe(  # noqa: S308 (every value is escaped or already safe HTML)
                    row.format(
                        section=_escape(task.section.title),
                        withdrawn=WITHDRAWN if task.withdrawn_at else "",
                        url=detail.format(task.pk),
                        text=_escape(first_words(paragraphs[0] if paragraphs else "", 40)),
                        leads=leads_html(task.lead_labels),
                        rag_tag=task.rag_tag,
                        travel=task.travel_since,
                        updated=f'<time datetime="{_escape(updated[0])}">{_escape(updated[1])}</time>'
                        if updated
                        else NEVER,
                        overdue_count=int(task.overdue_count),
                    )
                )
            )
        return rows

    def _travel(self, record):
        travel = Travel.between(record.rag_then, record.rag) if self.comparison else Travel.SAME
        then = None if record.rag_then is None else self.plan.rag_label(record.rag_then)
        return {"travel": travel, "then_label": then}


class TaskExportTable(TaskTable):
    """The task list as the CSV and Excel exports write it: the page's columns, then
    the plan's others, which the page has no room for. With these the exports carry
    every column of the plan, the last change and its reason (dashboard.export_rows).

    A table of its own so that the page, which shows none of them, does not copy and
    look through them on every request."""

    success_measures = Column("How will we know?", visible=False)
    action_to_date = Column("Action to date", accessor="pk", visible=False)
    future_actions = Column("Future actions", accessor="pk", visible=False)
    next_target = Column("Next target date", accessor="pk", visible=False)
    last_change_at = Column("Last change", visible=False)
    last_change_by = Column("Last changed by", visible=False)
    last_change_reason = Column("Reason for the last change", visible=False)
    evidence_count = Column("Evidence items", visible=False)
    awaiting = Column("Awaiting confirmation", accessor="pk", visible=False)
    # Only listed when asked for (filters.TaskFilter.with_withdrawn).
    withdrawn = Column("Withdrawn", accessor="withdrawn_at", visible=False)
    rag_then = Column("RAG then", visible=False)

    def __init__(self, data, *, plan, comparison, **kwargs):
        super().__init__(data, plan=plan, comparison=comparison, **kwargs)
        if comparison:
            self.columns["rag_then"].column.verbose_name = f"RAG at {comparison}"

    # Text a spreadsheet shows as it is

    def value_description(self, value):
        return value.strip()

    def value_leads(self, record):
        return "; ".join(
            lead.name + (f" ({names})" if (names := self._agency_names(lead)) else "")
            for lead in record.leads.all()
        )

    def value_rag(self, record):
        return self.plan.rag_label(record.rag)

    def value_travel(self, record):
        return self._travel(record)["travel"].label

    # Empty values never reach value_*: django-tables2 writes an empty cell for them.
    def value_updated_at(self, value):
        return timezone.localdate(value)

    def value_rag_then(self, record):
        if record.rag_then is None:
            return "Not in the plan then"
        return self.plan.rag_label(record.rag_then)

    def value_success_measures(self, value):
        return "\n".join(line.strip() for line in value.splitlines() if line.strip())

    def value_action_to_date(self, record):
        return "\n".join(
            f"{entry.added_on:%d/%m/%Y}: {entry.text}" for entry in record.action_to_date.all()
        )

    def value_future_actions(self, record):
        return "\n".join(
            action.text + (f" (target {action.target_date:%d/%m/%Y})" if action.target_date else "")
            for action in record.open_future_actions
        )

    def value_next_target(self, record):
        dates = [a.target_date for a in record.open_future_actions if a.target_date]
        return min(dates) if dates else None

    def value_last_change_at(self, value):
        return timezone.localdate(value)

    def value_awaiting(self, record):
        return "Yes" if record.awaiting_confirmation else ""

    def value_withdrawn(self, record):
        day = f"{timezone.localdate(record.withdrawn_at):%d/%m/%Y}"
        return f"{day}: {record.withdrawn_reason}" if record.withdrawn_reason else day

    @staticmethod
    def _agency_names(lead):
        names = [a.short_name or a.name for a in lead.agencies.all()]
        return _agencies_label(lead.all_partners, names)
