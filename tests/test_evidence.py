"""Evidence behind "How will we know?": a lead attaches a file (checked by its content)
or a link with a note; bad uploads are refused with a clear message and nothing stored;
downloads go through the door as uncached attachments; another area's evidence is 404."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans.dashboard import Dashboard
from actionplans.evidence.uploads import MAX_BYTES
from actionplans.exports import pdf
from actionplans.exports.document import build_document
from actionplans.models import Evidence, KeyTask, TaskUpdate

from .sample_files import PDF, PNG, excel_file, word_file


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media):
    return [p for p in Path(media).rglob("*") if p.is_file()]


@pytest.fixture
def police_task(stockton):
    return KeyTask.objects.get(description__startswith="Review capacity in the PVP")


def attach(client, task, **data):
    data.setdefault("note", "Shows the audit found fewer drift cases")
    return client.post(reverse("evidence_add", args=[task.pk]), data)


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("audit.pdf", PDF, "application/pdf"),
        (
            "audit.docx",
            word_file(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            excel_file(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("photo.png", PNG, "image/png"),
    ],
)
def test_lead_attaches_a_file_that_is_kept_with_who_and_when(
    client, police_lead, police_task, media, name, content, mime
):
    client.force_login(police_lead)
    version = police_task.version
    response = attach(client, police_task, file=SimpleUploadedFile(name, content, "text/plain"))
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{police_task.pk}/#evidence"

    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name,
        mime,
        len(content),
    )
    assert evidence.added_by == police_lead and evidence.added_by_name == "Police"
    # Stored through the storage API, under the plan and task, with a random name.
    path = evidence.file.name
    assert path.startswith(f"evidence/plan-{police_task.section.plan_id}/task-{police_task.pk}/")
    assert name not in path
    assert evidence.file.read() == content
    # Recorded in the task's history, one version on.
    update = TaskUpdate.objects.get(task=police_task)
    assert update.changes == {"evidence_added": {"id": evidence.pk, "name": name}}
    assert update.version == version + 1


def test_link_with_a_note(client, police_lead, police_task, media):
    client.force_login(police_lead)
    response = attach(client, police_task, url="https://www.example.org/audit-report")
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.kind == Evidence.Kind.LINK and not evidence.file
    assert stored_files(media) == []
    page = client.get(reverse("task_detail", args=[police_task.pk])).content.decode()
    assert 'href="https://www.example.org/audit-report"' in page
    assert "Shows the audit found fewer drift cases" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"file": ("report.pdf", b"<html><body>Not a PDF</body></html>")},
            "The selected file must be a PDF, a Word document, an Excel spreadsheet or an image",
        ),
        (
            {"file": ("script.exe", b"MZ\x90\x00\x03" + b"\x00" * 100)},
            "The selected file must be a PDF, a Word document, an Excel spreadsheet or an image",
        ),
        (
            {"file": ("notes.pdf", b"just some text that claims to be a pdf")},
            "The selected file must be a PDF",
        ),
        ({"file": ("empty.pdf", b"")}, "The selected file is empty"),
        (
            {"file": ("big.pdf", PDF + b"0" * (MAX_BYTES + 1 - len(PDF)))},
            "The selected file must be smaller than 10 MB",
        ),
        ({}, "Select a file to upload or give a link"),
        ({"url": "javascript:alert(1)"}, "Enter a link that starts with https:// or http://"),
        ({"url": "ftp://example.org/report"}, "Enter a link that starts with https:// or http://"),
        (
            {"url": "https://example.org/r", "file": ("audit.pdf", PDF)},
            "Give a link or upload a file, not both",
        ),
        ({"url": "https://example.org/r", "note": ""}, "Enter what this evidence shows"),
    ],
)
def test_bad_evidence_is_refused_with_a_message_and_nothing_is_stored(
    client, police_lead, police_task, media, data, message
):
    client.force_login(police_lead)
    post = dict(data)
    if "file" in post:
        name, content = post["file"]
        post["file"] = SimpleUploadedFile(name, content, "application/pdf")
    response = attach(client, police_task, **post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert Evidence.objects.count() == 0
    assert TaskUpdate.objects.count() == 0
    assert stored_files(media) == []
    # What was typed stays on the page.
    if post.get("url"):
        assert post["url"].replace("&", "&amp;") in html


def test_download_is_an_uncached_attachment_through_the_door(
    client, police_lead, board_member, other_board_member, other_area_lead, police_task
):
    client.force_login(police_lead)
    attach(client, police_task, file=SimpleUploadedFile("Audit June.pdf", PDF))
    evidence = Evidence.objects.get()
    url = reverse("evidence_download", args=[evidence.pk])

    client.force_login(board_member)  # board members read evidence
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Audit June.pdf"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    # ... and cannot add to it.
    assert attach(client, police_task, url="https://example.org").status_code == 403

    for outsider in (other_board_member, other_area_lead):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_task_page_lists_evidence_dashboard_counts_it_pdf_annex_names_it(
    client, police_lead, plan_manager, police_task, stockton
):
    client.force_login(police_lead)
    attach(client, police_task, file=SimpleUploadedFile("Caseload audit.pdf", PDF))
    client.force_login(plan_manager)  # plan managers may attach too
    attach(client, police_task, url="https://example.org/hub-review", note="Hub review")

    page = client.get(reverse("task_detail", args=[police_task.pk])).content.decode()
    assert "Caseload audit.pdf" in page and "Added by Police on" in page
    assert "https://example.org/hub-review" in page

    board = Dashboard(stockton)
    assert board.evidence == {"items": 2, "tasks": 1}
    dashboard = client.get(reverse("dashboard", args=[stockton.pk])).content.decode()
    assert "item" in dashboard and "<strong>2</strong> items of evidence attached to" in dashboard

    html = pdf.render_html(build_document(stockton))
    assert "Annex: evidence" in html
    assert "Caseload audit.pdf" in html and "https://example.org/hub-review" in html


def test_evidence_page_query_count_is_fixed(
    client, police_lead, police_task, django_assert_num_queries
):
    client.force_login(police_lead)
    url = reverse("evidence_add", args=[police_task.pk])
    # session, user, memberships, the task, may the user edit
    with django_assert_num_queries(EVIDENCE_PAGE_QUERIES):
        assert client.get(url).status_code == 200


EVIDENCE_PAGE_QUERIES = 5
