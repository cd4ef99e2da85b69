"""Board packs: a plan manager asks for one in one click; a background job makes one
PDF (the dashboard's summary, then the plan) with its progress on the page; the board
is emailed a link; the pack shows confirmed completions and evidence."""

import io
from datetime import date, datetime, time

import pdfplumber
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actionplans.models import BoardPack, KeyTask, Rag
from actionplans.services import TaskChange, confirm_completion, record_update
from inspections.models import BoardMeeting

from .sample_files import PDF

TODAY = date(2018, 6, 25)


@pytest.fixture(autouse=True)
def setting(settings, tmp_path):
    settings.DEMO_DATE = TODAY
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://tracker.example.org"


@pytest.fixture
def meetings(stockton):
    area = stockton.inspection.area
    past = BoardMeeting.objects.create(area=area, date=date(2018, 4, 12), title="April LSCB")
    upcoming = BoardMeeting.objects.create(area=area, date=date(2018, 7, 5), title="July LSCB")
    return past, upcoming


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_plan_manager_makes_a_pack_the_board_is_emailed_and_it_shows_completion_and_evidence(
    client, stockton, meetings, police_lead, plan_manager, board_member
):
    board_member.email = "board@example.org"
    board_member.save()
    police_lead.email = "police@example.org"
    police_lead.save()
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    client.force_login(police_lead)
    client.post(
        reverse("evidence_add", args=[task.pk]),
        {"file": SimpleUploadedFile("PVP caseload audit.pdf", PDF), "note": "Caseloads halved"},
    )
    task.refresh_from_db()
    record_update(
        task_id=task.pk,
        user=police_lead,
        expected_version=task.version,
        change=TaskChange(rag=Rag.GREEN, reason="All posts filled"),
        at=timezone.make_aware(datetime.combine(date(2018, 6, 1), time(9))),
    )
    task.refresh_from_db()
    confirm_completion(
        task_id=task.pk, user=plan_manager, expected_version=task.version, reason="Audit seen"
    )

    client.force_login(plan_manager)
    page = client.get(reverse("board_packs", args=[stockton.pk])).content.decode()
    assert "5 July 2018 (July LSCB)" in page
    assert "12 April 2018" not in page  # only meetings still to come
    response = client.post(reverse("board_packs", args=[stockton.pk]), {"meeting": meetings[1].pk})
    pack = BoardPack.objects.get()
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    # The test run's jobs backend runs the job at once; a worker would do it in the background.
    assert (pack.status, pack.progress) == ("ready", "Ready")
    status_page = client.get(pack.get_absolute_url()).content.decode()
    assert "Download the board pack (PDF)" in status_page

    download = client.get(reverse("board_pack_download", args=[stockton.pk, pack.pk]))
    assert download["Content-Disposition"] == (
        'attachment; filename="stockton-on-tees-jtai-2017-board-pack-2018-07-05.pdf"'
    )
    assert "no-store" in download["Cache-Control"]
    text = pdf_text(b"".join(download.streaming_content))
    summary, plan = text.split("Written statement of action in response", 1)
    assert "Board pack: July LSCB, 5 July 2018" in summary
    assert "Completions confirmed since the board meeting of 12 April 2018" in summary
    assert "Review capacity in the PVP" in summary.split("Completions confirmed")[1]
    assert "Evidence attached" in summary and "1 item on 1 key task" in summary
    assert "Key tasks not updated since" in summary
    # The plan follows, with its evidence annex naming the file.
    assert "Annex: evidence" in plan and "PVP caseload audit.pdf" in plan

    # The board is emailed a link, once; leads are not.
    (email,) = [m for m in mail.outbox if "board pack" in m.subject]
    assert email.to == ["board@example.org"]
    assert f"https://tracker.example.org{pack.get_absolute_url()}" in email.body


def test_a_pack_needs_a_meeting_and_board_members_cannot_make_one(
    client, stockton, meetings, plan_manager, board_member
):
    client.force_login(plan_manager)
    response = client.post(reverse("board_packs", args=[stockton.pk]), {})
    assert "Select the board meeting the pack is for" in response.content.decode()
    past = meetings[0]
    response = client.post(reverse("board_packs", args=[stockton.pk]), {"meeting": past.pk})
    assert "Select one of the meetings listed" in response.content.decode()
    client.force_login(board_member)
    assert (
        client.post(
            reverse("board_packs", args=[stockton.pk]), {"meeting": meetings[1].pk}
        ).status_code
        == 403
    )
    assert not BoardPack.objects.exists()


def test_a_pack_being_made_shows_its_progress_and_no_download(
    client, stockton, meetings, board_member
):
    pack = BoardPack.objects.create(
        plan=stockton,
        meeting=meetings[1],
        requested_at=timezone.now(),
        status=BoardPack.Status.RUNNING,
        progress="Laying out the plan",
    )
    client.force_login(board_member)
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "Being made" in page and "Laying out the plan" in page and "Check again" in page
    assert 'data-board-pack-status="running"' in page
    download = client.get(reverse("board_pack_download", args=[stockton.pk, pack.pk]))
    assert download.status_code == 302


def test_board_pack_pages_query_counts_are_fixed(
    client, stockton, meetings, plan_manager, django_assert_num_queries
):
    for _ in range(3):
        BoardPack.objects.create(plan=stockton, meeting=meetings[1], requested_at=timezone.now())
    client.force_login(plan_manager)
    # session, user, memberships, the plan, upcoming meetings, packs
    with django_assert_num_queries(6):
        client.get(reverse("board_packs", args=[stockton.pk]))
    pack = BoardPack.objects.first()
    # session, user, memberships, the plan, the pack with its meeting
    with django_assert_num_queries(5):
        client.get(pack.get_absolute_url())
