"""The board-ready PDF: everything the plan says, on A4 landscape pages a board can use.

The PDFs are read back with pypdf: their text, page sizes, metadata and tag tree.
"""

import io
import re
import socket
import threading
from datetime import date, datetime, time, timedelta
from unittest import mock
from xml.etree import ElementTree

import pypdf
import pytest
import tinyhtml5
import weasyprint
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from actionplans.editing import services as editing
from actionplans.exports import pdf
from actionplans.exports.document import build_document
from actionplans.models import KeyTask
from actionplans.services import TaskChange, record_update
from tests.synthetic import synthetic_plan

A4_LANDSCAPE = (841.89, 595.28)  # points


@pytest.fixture
def empty_export_cache():
    """For the tests about the cache itself. The others may share a PDF another test of
    the same worker rendered from the same content: it is the same PDF, made once."""
    caches["exports"].clear()
    yield
    caches["exports"].clear()


def read(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def page_texts(reader) -> list[str]:
    return [flat(page.extract_text()) for page in reader.pages]


def tag_names(reader) -> set[str]:
    """Every structure type in the PDF's tag tree (/Document, /Table, /TH, ...)."""
    names, todo = set(), [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            todo.extend(node)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                names.add(str(node["/S"]))
            if "/K" in node:
                todo.append(node["/K"])
    return names


def police_task(plan):
    return KeyTask.objects.get(section__plan=plan, description__startswith="Review capacity")


def test_stockton_pdf_holds_every_task_section_heading_and_page_number(stockton):
    reader = read(pdf.plan_pdf(stockton))
    pages = page_texts(reader)
    text = " ".join(pages)
    tasks = KeyTask.objects.filter(section__plan=stockton)
    for task in tasks.prefetch_related("leads", "action_to_date", "future_actions"):
        cells = [
            *task.description_paragraphs,
            *task.success_measure_list,
            *[lead.name for lead in task.leads.all()],
            *[entry.text for entry in task.action_to_date.all()],
            *[action.text for action in task.future_actions.all()],
        ]
        assert all(flat(cell) in text for cell in cells), task
    for section in stockton.sections.all():
        assert flat(section.title) in text
    for paragraph in stockton.introduction.all():
        assert flat(paragraph.text) in text
    assert "Target: 30 June 2018" in text  # a target date read from "by 30/06/18"
    assert "Sign-off" in text and "Director of Children’s Services" in text
    heading = flat(stockton.running_heading)
    for number, page_text in enumerate(pages, start=1):
        assert heading in page_text, f"no running heading on page {number}"
        assert f"Page {number} of {len(pages)}" in page_text
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 2), round(height, 2)) == A4_LANDSCAPE


def test_pdf_is_tagged_titled_and_in_british_english(stockton):
    reader = read(pdf.plan_pdf(stockton))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith(stockton.title)
    assert reader.metadata.author == stockton.inspection.area.partnership_name
    # The tables are real tables with header cells, not pictures of tables.
    assert {"/Document", "/H1", "/Table", "/THead", "/TH", "/TD"} <= tag_names(reader)
    # PDF/UA-1 declared in the XMP metadata.
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()


def test_our_stream_compression_draws_what_weasyprint_alone_draws():
    """The export compresses the PDF's streams itself (pdf.compress_streams, a faster
    zlib level than pydyf's): the pages decode to the very drawing WeasyPrint writes."""
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Plan</title>'
        '<link rel="stylesheet" href="pdf/plan.css"></head><body><h1>Plan</h1>'
        '<table class="plan"><thead><tr class="columns"><th scope="col">Key tasks</th></tr>'
        "</thead><tbody><tr><td><p>Audit supervision records</p></td></tr></tbody></table>"
        "</body></html>"
    )
    ours = read(pdf.html_to_pdf(html))
    theirs = read(
        weasyprint.HTML(
            string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesFetcher()
        ).write_pdf(**pdf.PDF_OPTIONS)
    )
    assert len(ours.pages) == len(theirs.pages) == 1
    ours_page, their_page = ours.pages[0], theirs.pages[0]
    assert ours_page["/Contents"].get_object()["/Filter"] == "/FlateDecode"
    assert ours_page.get_contents().get_data() == their_page.get_contents().get_data()
    assert page_texts(ours) == page_texts(theirs)


def test_the_html_parser_finds_every_scanning_pattern_and_reads_the_same_tree(stockton):
    """pdf.cache_html_scan_patterns: each scan of the document's HTML finds its pattern in
    tinyhtml5's cache (none is compiled again), and what is read is what tinyhtml5 reads
    with an empty cache: text, entities, comments, attributes in every kind of quotes."""
    html = pdf.render_html(build_document(stockton))
    odd = html.replace(
        "</body>",
        "<p title='single &amp; quoted' data-x=bare>a &lt; b&nbsp;&#x3C;\t c<!-- note --></p>"
        "</body>",
    )
    cache = tinyhtml5.inputstream.characters_until_regex

    def tree(source):
        return ElementTree.tostring(tinyhtml5.parse(source, namespace_html_elements=False))

    def compiled_again():
        # What tinyhtml5 compiles on a miss, it keeps under the pattern.
        return [key for key in cache if isinstance(key[0], re.Pattern)]

    with mock.patch.dict(cache):
        for key in compiled_again():
            del cache[key]
        tree(html)
        assert compiled_again() == []
    ours = [tree(html), tree(odd)]
    with mock.patch.dict(cache, clear=True):
        assert [tree(html), tree(odd)] == ours


def test_rag_cell_carries_the_plan_label_and_done_future_actions_leave_future(
    stockton, police_lead
):
    task = police_task(stockton)
    done = task.future_actions.order_by("position").first()
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=task.version,
        change=TaskChange(
            rag="red",
            reason="Vacancies",
            completed_future_actions=[done.pk],
            new_future_actions=[("Second recruitment round", date(2018, 9, 30))],
        ),
    )
    document = build_document(stockton)
    row = next(t for s in document.sections for t in s.tasks.all() if t.pk == task.pk)
    assert done.pk not in [a.pk for a in row.open_future_actions]
    html = pdf.render_html(document)
    assert '<td class="rag-cell rag-red">Behind schedule</td>' in html
    text = " ".join(page_texts(read(pdf.plan_pdf(stockton))))
    # The completed action shows once: in "Action to date", no longer as a future action.
    assert text.count(flat(done.text)) == 1
    assert "Second recruitment round Target: 30 September 2018" in text
    assert "Behind schedule" in text


def test_summary_counts_each_section_by_rating_in_the_database(
    stockton, plan_manager, django_assert_num_queries
):
    task = police_task(stockton)
    # A plan manager's "completed" is confirmed at once (a lead's only proposes it).
    record_update(
        task_id=task.pk, user=plan_manager, expected_version=1, change=TaskChange(rag="green")
    )
    document = build_document(stockton)
    police = next(line for line in document.summary if "Police" in line.section.title)
    counts = {count.rag: count.count for count in police.counts}
    assert counts == {"red": 0, "amber": 0, "green": 1, "": 5}
    assert document.totals.total == 25
    assert {c.rag: c.count for c in document.totals.counts}["green"] == 1


def test_the_board_pdf_shows_the_fourth_colour_and_leaves_withdrawn_tasks_out(
    stockton, plan_manager, police_lead
):
    """Blue in the key, the summary and its cell, in the plan's words; a withdrawn key
    task in no table, count or annex (it was in the plan as it stood before)."""
    editing.edit_details(
        plan_id=stockton.pk,
        user=plan_manager,
        expected_version=1,
        details={"rag_blue_enabled": True, "rag_blue_label": "Embedded and sustained"},
    )
    stockton.refresh_from_db()
    task = police_task(stockton)
    record_update(
        task_id=task.pk, user=plan_manager, expected_version=1, change=TaskChange(rag="blue")
    )
    dental = KeyTask.objects.get(description__startswith="Develop more effective links with dental")
    record_update(
        task_id=dental.pk, user=police_lead, expected_version=1, change=TaskChange(rag="amber")
    )
    withdrawn_on = timezone.now()
    editing.remove_task(
        task_id=dental.pk, user=plan_manager, expected_version=2, reason="Merged into 5.1"
    )

    document = build_document(stockton)
    assert document.rag_key[-2:] == [("blue", "Embedded and sustained"), ("", "Not yet rated")]
    assert document.totals.total == 24
    assert {c.rag: c.count for c in document.totals.counts} == {
        "red": 0,
        "amber": 0,
        "green": 0,
        "blue": 1,
        "": 23,
    }
    assert dental.pk not in [t.pk for s in document.sections for t in s.tasks.all()]
    html = pdf.render_html(document)
    assert '<td class="rag-cell rag-blue">Embedded and sustained</td>' in html
    assert '<span class="swatch rag-blue">■</span>&nbsp;Embedded and sustained' in html

    pages = page_texts(read(pdf.plan_pdf(stockton)))
    text = " ".join(pages)
    # The key and the summary's column head are on the summary page, the rating in its cell;
    # the key is not repeated in the margins of every page.
    summary = next(page for page in pages if "RAG key and summary" in page)
    assert summary.count("Embedded and sustained") == 2
    assert text.count("Embedded and sustained") == 3
    assert "Develop more effective links with dental" not in text
    assert "Merged into 5.1" not in text

    # As the plan stood before it was withdrawn, the task is there.
    before = build_document(stockton, as_at=timezone.localdate(withdrawn_on) - timedelta(days=1))
    assert dental.pk in [t.pk for s in before.sections for t in s.tasks.all()]
    assert before.totals.total == 25


def test_a_plan_without_the_fourth_colour_has_no_blue_in_its_pdf(stockton):
    document = build_document(stockton)
    assert [rag for rag, _ in document.rag_key] == ["red", "amber", "green", ""]
    assert "rag-blue" not in pdf.render_html(document)
    assert "Completed and embedded" not in " ".join(page_texts(read(pdf.plan_pdf(stockton))))


def test_annex_lists_each_finding_with_the_tasks_answering_it(stockton):
    document = build_document(stockton)
    assert document.findings and all(e.finding.needs_action for e in document.findings)
    answered = [e for e in document.findings if e.tasks]
    assert answered
    html = pdf.render_html(document)
    entry = answered[0]
    assert escape(entry.finding.reference) in html
    assert all(f'<span class="ref">{task.ref}</span>' in html for task in entry.tasks)
    assert document.strengths == 34


def test_document_queries_do_not_grow_with_the_plan(stockton, django_assert_num_queries):
    # sections, their agencies, tasks, leads, lead agencies, action to date, future
    # actions, task findings, RAG summary, introduction, letter findings, inspectorates,
    # evidence (its annex)
    with django_assert_num_queries(DOCUMENT_QUERIES):
        build_document(stockton)
    big = synthetic_plan(60)
    with django_assert_num_queries(DOCUMENT_QUERIES):
        build_document(big)


def test_a_row_taller_than_a_page_breaks_under_the_header_and_says_it_continues(stockton):
    task = police_task(stockton)
    task.success_measures = "\n".join(
        f"Measure {n}: enough words in this measure to take a couple of lines in its cell"
        for n in range(90)
    )
    task.save()
    pages = page_texts(read(pdf.plan_pdf(stockton)))
    carried = [p for p in pages if "Measure 60:" in p or "Measure 89:" in p]
    assert carried
    for page in carried:
        assert "Key tasks How will we know? Lead(s) Action to date Future actions RAG" in page
        assert "Key task 3.2 continues from the previous page." in page
    # Pages whose first row starts on them say nothing of the kind.
    first = next(i for i, p in enumerate(pages) if "Measure 0:" in p)
    assert "continues from the previous page" not in pages[first]
    assert "continues from the previous page" not in pages[-1]


def test_only_rows_that_may_outgrow_a_page_carry_the_continuation_marker(stockton):
    document = build_document(stockton)
    rows = [t for s in document.sections for t in s.tasks.all()]
    assert not pdf.may_break(next(t for t in rows if t.pk == police_task(stockton).pk))
    giant = rows[0]
    giant.success_measures = "A measure of some length, as plans write them\n" * 30
    assert pdf.may_break(giant)


def test_a_200_task_plan_repeats_the_header_row_on_every_table_page(db):
    plan = synthetic_plan(200, sections=4, dense=False)
    pages = page_texts(read(pdf.plan_pdf(plan)))
    first = next(i for i, p in enumerate(pages) if "(synthetic task 1)" in p)
    annex = next(i for i, p in enumerate(pages) if "Annex: the inspection" in p)
    table_pages = pages[first:annex]
    assert len(table_pages) >= 8
    for page in table_pages:
        assert "Key tasks How will we know? Lead(s) Action to date Future actions RAG" in page
        assert re.search(r"\d\. Actions for synthetic group \d", page)
    text = " ".join(pages)
    assert all(f"(synthetic task {n})" in text for n in range(1, 201))
    assert all(f"Page {n} of {len(pages)}" in pages[n - 1] for n in range(1, len(pages) + 1))


# --- The cache ---------------------------------------------------------------------


@pytest.mark.usefixtures("empty_export_cache")
def test_a_repeat_export_comes_from_the_cache_and_a_task_change_makes_a_new_one(
    stockton, police_lead
):
    first = pdf.plan_pdf(stockton)
    assert caches["exports"].get(pdf.cache_key(stockton)) == first
    assert pdf.plan_pdf(stockton) == first

    task = police_task(stockton)
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=task.version,
        change=TaskChange(new_actions=["Three detective constables appointed"]),
    )
    second = pdf.plan_pdf(stockton)
    assert second != first
    assert "Three detective constables appointed" in " ".join(page_texts(read(second)))
    assert "Three detective constables appointed" not in " ".join(page_texts(read(first)))


def _edit(obj, **values):
    """Change a row in place, as the admin or a script would: no version bump."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()


EDITS = {
    "task text": lambda plan: _edit(police_task(plan), description="Reworded"),
    "lead": lambda plan: _edit(police_task(plan).leads.first(), name="DCI Smith"),
    "action to date": lambda plan: _edit(police_task(plan).action_to_date.first(), text="x"),
    "target date": lambda plan: _edit(
        police_task(plan).future_actions.first(), target_date=date(2019, 1, 1)
    ),
    "introduction": lambda plan: _edit(plan.introduction.first(), text="New words"),
    "section title": lambda plan: _edit(plan.sections.first(), title="Actions for all"),
    "finding": lambda plan: _edit(plan.inspection.findings.first(), text="Reworded"),
    "area": lambda plan: _edit(plan.inspection.area, partnership_name="Stockton Partnership"),
    "plan": lambda plan: _edit(plan, version_label="Final 2"),
}


@pytest.mark.parametrize("what", EDITS)
def test_any_edit_to_what_the_document_shows_changes_its_content_version(stockton, what):
    before = pdf.cache_key(stockton)
    assert pdf.cache_key(stockton) == before
    EDITS[what](stockton)
    plan = type(stockton).objects.select_related("inspection__area").get(pk=stockton.pk)
    assert pdf.cache_key(plan) != before


def test_content_version_of_a_past_date_moves_with_new_history(stockton, police_lead):
    past = date(2018, 7, 31)
    before = pdf.cache_key(stockton, as_at=past)
    assert before != pdf.cache_key(stockton)
    task = police_task(stockton)
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=1,
        change=TaskChange(rag="amber"),
        at=at(date(2018, 6, 1)),
    )
    assert pdf.cache_key(stockton, as_at=past) != before


# --- As at a past date -------------------------------------------------------------


def at(day):
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def police_history(stockton, police_lead):
    """The police task rated amber in June and red in October 2018, with entries."""
    task = police_task(stockton)
    first_future = task.future_actions.order_by("position").first()
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=1,
        change=TaskChange(rag="amber", new_actions=["Advert out for PVP posts"]),
        at=at(date(2018, 6, 28)),
    )
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=2,
        change=TaskChange(
            rag="red",
            reason="Recruitment delayed",
            completed_future_actions=[first_future.pk],
            new_future_actions=[("Second recruitment round", date(2019, 1, 31))],
            edited_future_actions={
                task.future_actions.order_by("position")[1].pk: (
                    "Review of temporary resources, widened",
                    date(2018, 12, 31),
                )
            },
        ),
        at=at(date(2018, 10, 1)),
    )
    return task, first_future


def row_of(document, task):
    return next(t for s in document.sections for t in s.tasks.all() if t.pk == task.pk)


def test_as_at_shows_the_rating_and_entries_as_they_stood_that_day(stockton, police_history):
    task, first_future = police_history
    edited = "Review of additional temporary resources"
    before = row_of(build_document(stockton, as_at=date(2018, 5, 1)), task)
    assert before.rag == ""
    assert "Advert out for PVP posts" not in [e.text for e in before.action_to_date.all()]

    summer = build_document(stockton, as_at=date(2018, 7, 31))
    row = row_of(summer, task)
    assert row.rag == "amber" and row.rag_label == "On track"
    assert "Advert out for PVP posts" in [e.text for e in row.action_to_date.all()]
    future = [a.text for a in row.open_future_actions]
    assert first_future.text in future  # done only in October
    assert "Second recruitment round" not in future  # added only in October
    assert edited in future  # its wording before the October edit
    assert "Review of temporary resources, widened" not in future
    assert summer.historical and summer.as_at == date(2018, 7, 31)
    police = next(line for line in summer.summary if "Police" in line.section.title)
    assert {c.rag: c.count for c in police.counts}["amber"] == 1

    now = row_of(build_document(stockton), task)
    assert now.rag == "red"
    assert first_future.text not in [a.text for a in now.open_future_actions]


def test_export_command_writes_the_plan_as_at_a_date(stockton, police_history, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "stockton.pdf"
    call_command("export_plan", str(stockton.pk), "-o", str(out), "--as-at", "2018-07-31")
    text = " ".join(page_texts(read(out.read_bytes())))
    assert "as it stood on 31 July 2018" in text
    assert "Advert out for PVP posts" in text
    assert "Second recruitment round" not in text


# --- The URL fetcher: no text typed into a task makes the server fetch anything ------


class ConnectionRecorder:
    """A TCP server on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def recorder():
    server = ConnectionRecorder()
    yield server
    server.close()


def test_recorder_does_see_a_connection(recorder):
    # The control: the recorder would have noticed a fetch.
    socket.create_connection(("127.0.0.1", recorder.port)).close()
    threading.Event().wait(0.5)
    assert recorder.connections == 1


def test_hostile_text_in_a_task_is_printed_as_text_and_fetches_nothing(
    stockton, police_lead, recorder
):
    url = f"http://127.0.0.1:{recorder.port}"
    hostile = [
        f'<img src="{url}/img.png">',
        "file:///etc/passwd",
        f'<link rel="stylesheet" href="{url}/x.css">',
        f"<style>@import url({url}/i.css); body {{ background: url('{url}/bg.png') }}</style>",
        f'<p style="background-image: url({url}/inline.png)">styled</p>',
    ]
    task = police_task(stockton)
    task.description = "Review capacity. " + " ".join(hostile[:2])
    task.save()
    task.leads.create(name=hostile[2], position=9)
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=task.version,
        change=TaskChange(new_actions=hostile[3:]),
    )
    fetcher = pdf.StaticFilesFetcher()
    data = pdf.html_to_pdf(pdf.render_html(build_document(stockton)), fetcher)
    threading.Event().wait(0.5)
    assert recorder.connections == 0
    assert fetcher.log == [(pdf.BASE_URL + "pdf/plan.css", True)]
    text = "".join(page.extract_text() for page in read(data).pages)
    text = re.sub(r"\s+", "", text)
    for item in hostile:
        assert re.sub(r"\s+", "", item) in text


def test_fetcher_refuses_urls_even_when_markup_gets_into_the_html(recorder):
    url = f"http://127.0.0.1:{recorder.port}"
    html = f"""<html lang="en-GB"><head><title>t</title>
      <link rel="stylesheet" href="{url}/a.css">
      <link rel="stylesheet" href="data:text/css,body%7Bbackground:url({url}/d.png)%7D">
      <style>@import url("https://127.0.0.1:{recorder.port}/b.css");</style></head>
      <body><img src="{url}/c.png"><img src="file:///etc/passwd">
      <img src="../../../etc/passwd"><img src="pdf/../../../manage.py">
      <object data="file:///etc/hostname"></object>
      <svg><image href="{url}/e.png"/></svg>
      <p style="background: url({url}/f.png)">text</p></body></html>"""
    fetcher = pdf.StaticFilesFetcher()
    data = pdf.html_to_pdf(html, fetcher)
    threading.Event().wait(0.5)
    assert recorder.connections == 0
    assert fetcher.log and not any(served for _, served in fetcher.log)
    assert b"root:x:0:0" not in data


@pytest.mark.parametrize(
    "url",
    [
        "http://jtai-tracker.invalid/static/pdf/plan.css",
        "https://example.org/static/pdf/plan.css",
        "https://jtai-tracker.invalid/static/build/app.css",
        "https://jtai-tracker.invalid/static/pdf/../build/app.css",
        "https://jtai-tracker.invalid/static/pdf/%2e%2e/%2e%2e/manage.py",
        "https://jtai-tracker.invalid/static/pdf/plan.css?x=1",
        "https://jtai-tracker.invalid/static/pdf/missing.css",
        "file:///etc/passwd",
        "file:///work/static/pdf/plan.css",
        "data:text/css,body{}",
    ],
)
def test_fetcher_serves_nothing_outside_static_pdf(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticFilesFetcher().fetch(url)


def test_fetcher_serves_the_stylesheet():
    response = pdf.StaticFilesFetcher().fetch(pdf.BASE_URL + "pdf/plan.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


# --- The view ----------------------------------------------------------------------


def test_export_view_serves_the_pdf_as_an_attachment(client, board_member, stockton):
    client.force_login(board_member)
    response = client.get(reverse("plan_export_pdf", args=[stockton.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="stockton-on-tees-statement-of-action-{today}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert read(response.content).metadata.title.startswith(stockton.title)


@pytest.mark.usefixtures("empty_export_cache")
def test_export_view_query_count_does_not_grow_with_the_plan(
    client, superuser, stockton, django_assert_num_queries
):
    client.force_login(superuser)
    big = synthetic_plan(60)
    for plan in (stockton, big):
        url = reverse("plan_export_pdf", args=[plan.pk])
        # Not rendered yet (the view works the content version out and finds no PDF),
        # then the render job, run at once by the test run's "immediate" jobs backend.
        first = EXPORT_QUERIES + CONTENT_VERSION_QUERIES + JOB_QUERIES + DOCUMENT_QUERIES
        with django_assert_num_queries(first):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(EXPORT_QUERIES):  # a repeat: from the cache
            assert client.get(url).status_code == 200


# session, user, the plan (the door): a quiet plan's PDF is marked current
# (exports/current.py), so serving it reads none of the plan's rows.
EXPORT_QUERIES = 3
# The content version: inspectorates, introduction, sections, section agencies, tasks,
# task findings, leads, action to date, future actions, letter findings, evidence.
CONTENT_VERSION_QUERIES = 11
DOCUMENT_QUERIES = 13  # test_document_queries_do_not_grow_with_the_plan
# The job loads the plan by id, works out its content version afresh (the plan may have
# changed since it was queued) and counts its tasks for the progress page.
JOB_QUERIES = 1 + CONTENT_VERSION_QUERIES + 1


def test_plan_page_offers_the_export(client, board_member, stockton):
    client.force_login(board_member)
    html = client.get(reverse("plan_detail", args=[stockton.pk])).content.decode()
    assert f'href="{reverse("plan_export_pdf", args=[stockton.pk])}"' in html
    assert ">Export PDF</a>" in html


def test_dashboard_offers_the_pdf(client, board_member, stockton):
    client.force_login(board_member)
    html = client.get(reverse("dashboard", args=[stockton.pk])).content.decode()
    assert f'href="{reverse("plan_export_pdf", args=[stockton.pk])}"' in html
