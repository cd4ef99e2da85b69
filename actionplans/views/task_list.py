"""The board's task list: filtered, sorted, paginated, and exported as CSV or Excel."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.shortcuts import render
from django.utils.text import slugify
from django_tables2.rows import BoundRow

from inspections import clock

from ..access import get_plan_for_user
from ..dashboard import export_rows, task_rows
from ..filter_controls import comparison_fields, task_list_controls
from ..filters import ComparisonForm, TaskFilter
from ..ratings import Meetings
from ..spreadsheets import csv_response, xlsx_response
from ..tables import TaskExportTable, TaskTable
from ..task_list_html import ROW_FIELDS

PER_PAGE = 25


def _filtered_table(request, plan, *, paginate, export=False):
    """The table the query string asks for; the page and the exports share it."""
    today = clock.today()
    meetings = Meetings.for_area(plan.inspection.area_id, today)
    comparison_form = ComparisonForm(request.GET, today=today)
    comparison = meetings.comparison(comparison_form.day())
    rows = task_rows(plan, comparison=comparison, today=today)
    if export:
        rows = export_rows(rows)
    filters = TaskFilter(request.GET, rows, plan=plan, comparison=comparison, today=today)
    table_class = TaskExportTable if export else TaskTable
    table = table_class(filters.qs, plan=plan, comparison=comparison)
    table.sort_as_offered(request.GET.get(table.prefixed_order_by_field))
    if paginate:
        _paginate(table, request.GET.get(table.prefixed_page_field))
    comparison_form.choices = meetings.choices(comparison)  # the meetings to choose from
    return table, filters, comparison_form


def _paginate(table, number):
    """Gives the table its paginator and the page asked for.

    The page size is ours, not the query string's (a per_page of -1 was a 500, a huge
    one the whole plan); a page number that is not one, or past the end, gives the first
    or the last page, as Paginator.get_page does. A page that is there, which is what
    almost every request asks for, brings the number of rows in all with its own rows
    (a window count), so that it needs no count query of its own.
    """
    # Set before anything is counted: with a paginator, the table's data counts with a
    # COUNT query rather than by loading every row.
    table.paginator = Paginator(table.rows, PER_PAGE)
    try:
        wanted = int(number or 1)
    except ValueError:
        wanted = 0
    if wanted >= 1:
        # The table's queryset, filtered and sorted as asked, with what its rows write.
        bottom = (wanted - 1) * PER_PAGE
        tasks = table.data.data.only(*ROW_FIELDS).annotate(rows_in_all=Window(Count("pk")))
        rows = [BoundRow(task, table=table) for task in tasks[bottom : bottom + PER_PAGE]]
        if rows or wanted == 1:
            table.paginator.count = rows[0].record.rows_in_all if rows else 0
            table.page = Page(rows, wanted, table.paginator)
            return
    # Not a page number, or past the end: Paginator.get_page's answer (with a count).
    table.page = table.paginator.get_page(number)


def task_list(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    table, filters, comparison_form = _filtered_table(request, plan, paginate=True)
    return render(
        request,
        "actionplans/task_list.html",
        {
            "plan": plan,
            "area": plan.inspection.area,
            "table": table,
            "task_table": table.page_html(request.GET),
            "form": filters.form,
            "controls": _controls(filters, comparison_form),
            "comparison_form": comparison_form,
            "query": request.GET.urlencode(),
        },
    )


def _controls(filters, comparison_form):
    """The filters' controls, written in Python (filter_controls), by name."""
    controls = task_list_controls(
        filters, *(filters.options(name) for name in ("section", "agency", "rag"))
    )
    controls["comparison"] = comparison_fields(comparison_form, comparison_form.choices)
    return controls


def _filename(plan, extension):
    """e.g. "stockton-on-tees-jtai-2017-key-tasks-2019-02-01.xlsx": the plan's short
    name, whole, never a title cut mid-word."""
    return f"{slugify(plan.short_name)}-key-tasks-{clock.today():%Y-%m-%d}.{extension}"


def task_list_csv(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    table, _, _ = _filtered_table(request, plan, paginate=False, export=True)
    return csv_response(table.as_values(), _filename(plan, "csv"))


def task_list_xlsx(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    table, _, _ = _filtered_table(request, plan, paginate=False, export=True)
    wide = ["Key task", "How will we know?", "Action to date", "Future actions"]
    wide.append("Reason for the last change")
    return xlsx_response(
        table.as_values(), _filename(plan, "xlsx"), sheet_title="Key tasks", wide=wide
    )
