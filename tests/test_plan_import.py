"""Import a plan from Word: upload, preview, confirm; bad files; the command; one transaction."""

import io
import zipfile
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans.imports import pending
from actionplans.imports.services import import_plan, read_plan
from actionplans.models import ActionEntry, ActionPlan, FutureAction, KeyTask, Lead
from inspections.models import PendingUpload

from .docx_builder import HEADER, Cell, Doc, seed_layout, with_rows_added
from .pending_uploads import pending_uploads


def small_plan() -> bytes:
    return (
        Doc()
        .paragraph("Neglect plan")
        .paragraph("Draft 1 May 2018")
        .paragraph("1. This plan answers the inspection letter.")
        .table(
            [
                HEADER,
                [Cell("Actions for Cleveland Police", span=6)],
                [
                    "Review capacity in the PVP",
                    "Backlogs cleared",
                    "D. Supt. PVP",
                    ["Recruitment shortened", "Supervision updated"],
                    "Complete CP training by 30/06/18",
                    "On track",
                ],
                ["Agree a shared flag for CIN", "", "Chub", "", "", "Maybe"],
            ]
        )
        .bytes()
    )


def upload(client, inspection, data, name="plan.docx"):
    return client.post(
        reverse("plan_import"),
        {"inspection": inspection.pk, "file": SimpleUploadedFile(name, data)},
    )


def plans_count():
    return ActionPlan.objects.count()


# -- the happy path -----------------------------------------------------------------------


def test_plan_manager_uploads_previews_and_confirms_a_plan(client, plan_manager, stockton):
    client.force_login(plan_manager)
    before = plans_count()
    response = upload(client, stockton.inspection, small_plan())
    assert response.status_code == 302
    preview_url = response["Location"]
    assert preview_url.startswith("/plans/import/")

    # Preview: exactly what will be created, with the warning beside its task; nothing written.
    page = client.get(preview_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Check the plan before you import it" in html
    assert "Actions for Cleveland Police" in html
    assert "Review capacity in the PVP" in html
    assert "30 June 2018" in html
    assert "Cleveland Police (from the section)" in html
    assert "RAG &quot;Maybe&quot; is not a rating" in html  # beside its task
    assert "already has 1 plan" in html
    assert plans_count() == before

    # Confirm: the plan is written and the user lands on it with a success banner.
    response = client.post(preview_url, follow=True)
    assert plans_count() == before + 1
    plan = ActionPlan.objects.latest("pk")
    assert response.redirect_chain[-1][0] == plan.get_absolute_url()
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html
    assert "Plan imported from plan.docx: 2 key tasks in 1 section" in html
    assert plan.title == "Neglect plan" and plan.version_label == "Draft 1 May 2018"
    assert plan.is_draft
    task = KeyTask.objects.get(section__plan=plan, position=1)
    assert task.rag == "amber"
    assert [e.text for e in task.action_to_date.all()] == [
        "Recruitment shortened",
        "Supervision updated",
    ]
    assert {e.added_by for e in task.action_to_date.all()} == {plan_manager}
    assert {e.added_on for e in task.action_to_date.all()} == {timezone.localdate()}
    assert task.future_actions.get().target_date == date(2018, 6, 30)
    assert list(task.leads.get().agencies.values_list("name", flat=True)) == ["Cleveland Police"]
    # The file is gone and the token no longer works.
    assert client.get(preview_url).status_code == 404
    assert not pending_uploads()


def test_upload_page_preselects_the_inspection_given_in_the_address(client, plan_manager, stockton):
    client.force_login(plan_manager)
    url = reverse("plan_import") + f"?inspection={stockton.inspection.pk}"
    html = client.get(url).content.decode()
    assert 'type="radio"' in html and " checked" in html


def test_preview_token_belongs_to_the_session_that_uploaded(
    client, plan_manager, stockton, make_user
):
    client.force_login(plan_manager)
    preview_url = upload(client, stockton.inspection, small_plan())["Location"]
    other_manager = make_user("other.manager", "manager", area=stockton.inspection.area)
    client.force_login(other_manager)  # a new session
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert plans_count() == 1


def test_a_file_changed_on_the_server_between_steps_is_refused(client, plan_manager, stockton):
    client.force_login(plan_manager)
    preview_url = upload(client, stockton.inspection, small_plan())["Location"]
    (name,) = pending_uploads()
    default_storage.delete(name)
    default_storage.save(name, ContentFile(seed_layout(stockton)))
    response = client.post(preview_url, follow=True)
    assert "no longer here" in response.content.decode()
    assert plans_count() == 1


# -- bad files ----------------------------------------------------------------------------


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    # 60 MB of zeros compress to about 60 KB: small to upload, huge to unpack.
    return zip_bytes({"word/document.xml": b"0" * (60 * 1024 * 1024)})


def many_parts() -> bytes:
    return zip_bytes({f"word/media/image{i}.png": b"x" for i in range(1001)})


def password_protected() -> bytes:
    # Word saves an encrypted .docx as an OLE compound file.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096


def no_plan_table() -> bytes:
    return (
        Doc()
        .paragraph("Minutes of the board")
        .table([["Item", "Owner"], ["Budget", "DCS"]])
        .bytes()
    )


def header_only() -> bytes:
    return Doc().paragraph("Plan").table([HEADER]).bytes()


BAD_FILES = [
    (
        "plan.docx",
        lambda: b"Key tasks, How will we know?, Lead(s)\n",
        "This is not a Word document",
    ),
    ("plan.docx", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "This is not a Word document"),
    ("plan.doc", lambda: small_plan(), "must be a Word document ending .docx"),
    ("plan.docx", lambda: small_plan()[:3000], "The file is damaged"),
    (
        "plan.docx",
        lambda: zip_bytes({"xl/workbook.xml": b"<workbook/>"}),
        "This is not a Word document",
    ),
    ("plan.docx", lambda: zip_bytes({"word/document.xml": b"<w:document"}), "The file is damaged"),
    ("plan.docx", password_protected, "password-protected"),
    ("plan.docx", zip_bomb, "unpacks to more than 50 MB"),
    ("plan.docx", many_parts, "too many parts"),
    ("plan.docx", no_plan_table, "could not find the plan's table"),
    ("plan.docx", header_only, "no key tasks"),
]


@pytest.mark.parametrize(
    ("name", "make", "message"),
    BAD_FILES,
    ids=[
        "text",
        "pdf",
        "wrong-extension",
        "truncated",
        "spreadsheet",
        "broken-xml",
        "password-protected",
        "zip-bomb",
        "too-many-parts",
        "no-plan-table",
        "header-only",
    ],
)
def test_bad_files_get_a_clear_message_beside_the_field_and_nothing_is_written(
    client, plan_manager, stockton, name, make, message
):
    client.force_login(plan_manager)
    before = plans_count()
    response = upload(client, stockton.inspection, make(), name=name)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'id="id_file-error"' in html
    assert message in unescape(html)
    assert html.count("govuk-form-group--error") == 1
    assert plans_count() == before
    assert not pending_uploads()
    # What the user chose is kept.
    assert f'value="{stockton.inspection.pk}" checked' in html


def big_document_xml() -> bytes:
    """Issue 11's document: a zip of well under 10 MB whose document.xml unpacks to some
    46 MB, under the 50 MB the whole file may unpack to (its preview took 32 seconds and
    a gigabyte)."""
    return with_rows_added(small_plan(), 1, first_cell="Neglect " * 6_000_000)


def too_many_rows() -> bytes:
    return with_rows_added(small_plan(), 5_001)


def too_many_elements() -> bytes:
    # 260 rows whose first cell holds 1,000 runs: 6 MB of XML, 520,000 elements.
    runs = "a</w:t></w:r>" + "<w:r><w:t>b</w:t></w:r>" * 1000 + "<w:r><w:t>c"
    return with_rows_added(small_plan(), 260, first_cell=runs)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (big_document_xml, "its text and tables unpack to 45.8 MB, more than the 15 MB we read"),
        (too_many_rows, "it has more than 5,000 table rows"),
        (too_many_elements, "it has more than 500,000 elements"),
    ],
    ids=["document-xml-unpacks-big", "too-many-rows", "too-many-elements"],
)
def test_a_document_too_big_to_read_is_refused_before_it_is_read(
    client, plan_manager, stockton, make, message
):
    data = make()
    assert len(data) < 10 * 1024 * 1024  # passes the upload's limit
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # and the unpacked size's
        assert sum(entry.file_size for entry in archive.infolist()) < 50 * 1024 * 1024
    client.force_login(plan_manager)

    response = upload(client, stockton.inspection, data)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "The document is too large to read as an action plan: " + message in html
    assert "Save the plan's table on its own in a new Word document" in html
    assert plans_count() == 1
    assert not pending_uploads()


def test_a_document_that_takes_too_long_to_read_is_refused(
    client, plan_manager, stockton, settings
):
    settings.PLAN_IMPORT_MAX_SECONDS = 0  # any document takes longer than no time at all
    client.force_login(plan_manager)

    response = upload(client, stockton.inspection, small_plan())

    html = unescape(response.content.decode())
    assert (
        "The document is too large to read as an action plan: it takes more than 0 seconds" in html
    )
    assert plans_count() == 1


def test_an_enormous_upload_is_stopped_while_it_arrives(client, plan_manager, stockton):
    client.force_login(plan_manager)
    enormous = b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024 + 1)
    response = upload(client, stockton.inspection, enormous)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The file must be smaller than 10 MB" in html
    assert f'value="{stockton.inspection.pk}" checked' in html
    assert plans_count() == 1
    assert not pending_uploads()


def test_missing_choices_are_explained_beside_each_field(client, plan_manager, stockton):
    client.force_login(plan_manager)
    html = client.post(reverse("plan_import"), {}).content.decode()
    assert "Select the inspection this plan answers" in html
    assert "Choose the plan&#x27;s Word file (.docx)" in html


def test_inspection_of_another_area_cannot_be_chosen(client, plan_manager, stockton, other_area):
    from inspections.models import Inspection

    other = Inspection.objects.create(
        area=other_area,
        fieldwork_start=date(2018, 1, 8),
        fieldwork_end=date(2018, 1, 12),
        letter_published=date(2018, 3, 1),
        report_received=date(2018, 3, 1),
    )
    client.force_login(plan_manager)
    response = upload(client, other, small_plan())
    assert "Select one of the inspections listed" in response.content.decode()
    assert not other.plans.exists()


# -- the service ----------------------------------------------------------------------------


def test_import_writes_everything_in_a_fixed_number_of_queries(
    stockton, plan_manager, django_assert_num_queries
):
    small = read_plan(small_plan(), stockton.inspection)
    large = read_plan(seed_layout(stockton), stockton.inspection)
    assert len(large.tasks) > 10 * len(small.tasks)
    with CaptureQueriesContext(connection) as small_queries:
        import_plan(parsed=small, inspection=stockton.inspection, user=plan_manager)
    # A savepoint and its release, the plan, one insert per kind of row, then the plan's
    # version and its first history row.
    assert len(small_queries) == 13
    with django_assert_num_queries(len(small_queries)):
        import_plan(parsed=large, inspection=stockton.inspection, user=plan_manager)


@pytest.mark.django_db(transaction=True)
def test_a_failure_half_way_through_the_import_writes_nothing(stockton, plan_manager):
    parsed = read_plan(seed_layout(stockton), stockton.inspection)
    parsed.tasks[-1].leads[0].agency_ids = [999_999]  # no such agency: fails at commit
    counts = (ActionPlan.objects.count(), KeyTask.objects.count(), Lead.objects.count())
    with pytest.raises(IntegrityError):
        import_plan(parsed=parsed, inspection=stockton.inspection, user=plan_manager)
    assert (ActionPlan.objects.count(), KeyTask.objects.count(), Lead.objects.count()) == counts
    assert ActionEntry.objects.count() == 34 and FutureAction.objects.count() == 35


# -- the command ----------------------------------------------------------------------------


def test_import_plan_command_prints_a_summary_and_imports(stockton, plan_manager, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(small_plan())
    out = io.StringIO()
    call_command(
        "import_plan", str(path), inspection=stockton.inspection.pk, user="plan.manager", stdout=out
    )
    text = out.getvalue()
    assert "1 sections, 2 key tasks" in text
    assert 'RAG "Maybe" is not a rating' in text  # the warning
    assert "Created plan" in text
    plan = ActionPlan.objects.latest("pk")
    assert ActionEntry.objects.filter(task__section__plan=plan, added_by=plan_manager).count() == 2


def test_import_plan_command_dry_run_writes_nothing(stockton, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(seed_layout(stockton))
    out = io.StringIO()
    call_command(
        "import_plan", str(path), "--dry-run", inspection=stockton.inspection.pk, stdout=out
    )
    assert "5 sections, 25 key tasks" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert plans_count() == 1


@pytest.mark.parametrize(
    ("make", "inspection", "message"),
    [
        (no_plan_table, None, "could not find the plan's table"),
        (password_protected, None, "password-protected"),
        (small_plan, 999_999, "no inspection with id 999999"),
    ],
)
def test_import_plan_command_fails_clearly(stockton, tmp_path, make, inspection, message):
    path = tmp_path / "plan.docx"
    path.write_bytes(make())
    with pytest.raises(CommandError, match=message):
        call_command("import_plan", str(path), inspection=inspection or stockton.inspection.pk)
    assert plans_count() == 1


def test_import_plan_command_exits_non_zero_on_failure(stockton, tmp_path, capsys):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"not a word file")
    argv = ["manage.py", "import_plan", str(path), "--inspection", str(stockton.inspection.pk)]
    with pytest.raises(SystemExit) as exit:
        execute_from_command_line(argv)
    assert exit.value.code == 1
    assert "This is not a Word document" in capsys.readouterr().err


def test_pending_uploads_older_than_a_day_are_removed(rf, plan_manager):
    request = rf.get("/")
    request.session, request.user = {}, plan_manager
    old = pending.save(request, b"old", inspection_id=1, filename="old.docx")
    PendingUpload.objects.filter(token=old.token).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    new = pending.save(request, b"new", inspection_id=1, filename="new.docx")
    assert pending_uploads() == [new.name]
    assert list(PendingUpload.objects.values_list("token", flat=True)) == [new.token]


def test_a_second_confirm_of_the_same_upload_imports_nothing(client, plan_manager, stockton):
    client.force_login(plan_manager)
    preview_url = upload(client, stockton.inspection, small_plan())["Location"]
    waiting = client.session[pending.SESSION_KEY]
    client.post(preview_url)
    # A double click: the second request still carries the session of before the first.
    session = client.session
    session[pending.SESSION_KEY] = waiting
    session.save()
    response = client.post(preview_url, follow=True)
    assert "may have been imported already" in response.content.decode()
    assert plans_count() == 2


def test_manager_of_an_area_with_no_inspection_is_told_so(client, other_area, make_user):
    manager = make_user("durham.manager", "manager", area=other_area)
    client.force_login(manager)
    html = client.get(reverse("plan_import")).content.decode()
    assert "There is no inspection of your area" in html
    assert "<form" not in html.split('id="main-content"')[1]


def test_upload_and_preview_pages_run_a_fixed_number_of_queries(
    client, plan_manager, stockton, django_assert_num_queries
):
    client.force_login(plan_manager)
    with django_assert_num_queries(UPLOAD_QUERIES):
        assert client.get(reverse("plan_import")).status_code == 200
    small = upload(client, stockton.inspection, small_plan())["Location"]
    large = upload(client, stockton.inspection, seed_layout(stockton))["Location"]
    for url in (small, large):
        with django_assert_num_queries(PREVIEW_QUERIES):
            assert client.get(url).status_code == 200


# session, user, memberships, inspections (exists), inspections (radios)
UPLOAD_QUERIES = 5
# session, user, memberships, inspection, agencies, findings, other names of the agencies,
# the inspection's plans
PREVIEW_QUERIES = 8
