"""Adding an inspection from its letter in the browser's requests: upload, check, confirm.

Reading happens on upload (in a child process) and nothing is written before the plan
manager confirms; a double confirm writes once; pointed at an existing inspection, only
the findings it lacks are added and key tasks keep their links; every bad file gets its
own message and writes nothing.
"""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from actionplans.models import KeyTask
from inspections.models import Finding, Inspection
from tests.pdf_builder import Letter, Page, build, findings_letter
from tests.pending_uploads import pending_uploads

NEW_IMPROVEMENT = (
    "The quality of information shared by health agencies with the front door, so that "
    "decisions about children are well informed."
)
POLICE_IMPROVEMENT = (
    "Officers do not always record the voice of the child when they attend incidents of "
    "domestic abuse."
)
STRENGTH = "Leaders know their services well and act quickly on what they learn."


def _stockton_letter(**extra):
    return findings_letter(
        area="Stockton-on-Tees",
        improvements=[NEW_IMPROVEMENT, *extra.get("improvements", [])],
        police=[POLICE_IMPROVEMENT],
        strengths=[STRENGTH],
    )


def _upload(client, data, *, name="letter.pdf", inspection=None):
    url = reverse("letter_upload") + (f"?inspection={inspection.pk}" if inspection else "")
    return client.post(url, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _confirm_data(area, findings, **dates):
    data = {"area": area.pk, "theme": "Domestic abuse", "findings": findings}
    wanted = {
        "fieldwork_start": date(2021, 2, 1),
        "fieldwork_end": date(2021, 2, 5),
        "letter_published": date(2021, 3, 3),
        "report_received": date(2021, 3, 3),
        "statement_due_stated": date(2021, 6, 11),
    } | dates
    for name, day in wanted.items():
        data |= _date(name, day)
    return data


def _counts():
    return Inspection.objects.count(), Finding.objects.count()


def test_upload_check_confirm_creates_the_inspection_its_findings_and_deadline(
    client, plan_manager, stockton
):
    client.force_login(plan_manager)
    before = _counts()
    response = _upload(client, _stockton_letter())
    assert response.status_code == 302
    preview_url = response["Location"]
    assert _counts() == before, "nothing is written before the plan manager confirms"

    page = client.get(preview_url).content.decode()
    assert "Check what was read from the letter" in page
    assert "by 11 June 2021." in page  # the deadline's sentence
    assert NEW_IMPROVEMENT in page and POLICE_IMPROVEMENT in page and STRENGTH in page
    assert "Under the heading “Police”" in page
    area = stockton.inspection.area
    assert re.search(rf'<option value="{area.pk}" selected>', page), "the area is matched"
    assert _counts() == before

    # Untick the strength (index 2): only the two areas for improvement are added.
    response = client.post(preview_url, _confirm_data(area, [0, 1]))
    assert response.status_code == 302
    inspection = Inspection.objects.exclude(pk=stockton.inspection_id).get()
    assert response["Location"] == inspection.get_absolute_url()
    assert inspection.area == area
    assert inspection.statement_due_stated == date(2021, 6, 11)
    assert inspection.statement_due == date(2021, 6, 11)
    assert inspection.letter_published == date(2021, 3, 3)
    assert (inspection.fieldwork_start, inspection.fieldwork_end) == (
        date(2021, 2, 1),
        date(2021, 2, 5),
    )
    assert sorted(inspection.inspectorates.values_list("code", flat=True)) == [
        "CQC",
        "HMICFRS",
        "Ofsted",
    ]
    findings = list(inspection.findings.order_by("kind", "position"))
    assert [(f.kind, f.position, f.text) for f in findings] == [
        ("improvement", 1, NEW_IMPROVEMENT),
        ("improvement", 2, POLICE_IMPROVEMENT),
    ]
    assert list(findings[0].agencies.all()) == []
    assert [a.name for a in findings[1].agencies.all()] == ["Cleveland Police"]

    # The new finding can be answered by a key task of a plan.
    task = KeyTask.objects.filter(section__plan=stockton).first()
    task.findings.add(findings[1])
    assert list(findings[1].tasks.all()) == [task]


def test_double_confirm_writes_once(client, plan_manager, stockton):
    client.force_login(plan_manager)
    preview_url = _upload(client, _stockton_letter())["Location"]
    data = _confirm_data(stockton.inspection.area, [0, 1, 2])
    first = client.post(preview_url, data)
    after_first = _counts()
    second = client.post(preview_url, data)
    assert _counts() == after_first
    assert second.status_code == 302
    assert second["Location"] == first["Location"], "the second confirm shows what was made"


def test_corrections_are_checked_and_nothing_is_written_until_they_are_right(
    client, plan_manager, stockton
):
    client.force_login(plan_manager)
    preview_url = _upload(client, _stockton_letter())["Location"]
    before = _counts()
    data = _confirm_data(stockton.inspection.area, [0], fieldwork_end=date(2021, 1, 20))
    response = client.post(preview_url, data)
    assert response.status_code == 200
    assert (
        "The last day of the fieldwork must be on or after the first" in response.content.decode()
    )
    assert _counts() == before
    # Corrected, the same preview confirms.
    response = client.post(preview_url, _confirm_data(stockton.inspection.area, [0]))
    assert response.status_code == 302
    assert _counts() == (before[0] + 1, before[1] + 1)


def test_existing_inspection_gets_only_the_findings_it_lacks_and_keeps_task_links(
    client, plan_manager, stockton
):
    inspection = stockton.inspection
    recorded = inspection.findings.get(kind="improvement", position=1)
    linked = {f.pk: list(f.tasks.values_list("pk", flat=True)) for f in inspection.findings.all()}
    letter = findings_letter(
        area="Stockton-on-Tees",
        improvements=[recorded.text, NEW_IMPROVEMENT],
        strengths=[STRENGTH],
    )
    client.force_login(plan_manager)
    response = _upload(client, letter, inspection=inspection)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Already recorded" in page
    assert "of which 1 already recorded" in page

    last_improvement = inspection.findings.filter(kind="improvement").count()
    last_strength = inspection.findings.filter(kind="strength").count()
    response = client.post(response["Location"], {"findings": [1, 2]})  # 0 is recorded
    assert response.status_code == 302
    assert response["Location"] == inspection.get_absolute_url()
    added = inspection.findings.exclude(pk__in=linked)
    assert sorted((f.kind, f.position, f.text) for f in added) == sorted(
        [
            ("improvement", last_improvement + 1, NEW_IMPROVEMENT),
            ("strength", last_strength + 1, STRENGTH),
        ]
    )
    for finding in inspection.findings.filter(pk__in=linked):
        assert list(finding.tasks.values_list("pk", flat=True)) == linked[finding.pk]


def test_existing_inspection_needs_one_finding_ticked(client, plan_manager, stockton):
    client.force_login(plan_manager)
    preview_url = _upload(client, _stockton_letter(), inspection=stockton.inspection)["Location"]
    before = _counts()
    response = client.post(preview_url, {})
    assert "Select at least one finding to add" in response.content.decode()
    assert _counts() == before


def _encrypted():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_stockton_letter())))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _send_report():
    letter = Letter()
    letter.heading("Area SEND inspection of Stockton-on-Tees Local Area Partnership")
    for _ in range(10):
        letter.paragraph(
            "Children and young people with special educational needs are helped well."
        )
    return letter.pdf()


def _no_lists():
    letter = Letter()
    letter.heading("Joint targeted area inspection of Stockton-on-Tees", size=12)
    for _ in range(10):
        letter.paragraph("Inspectors found that children are mostly safe, written as prose only.")
    return letter.pdf()


BAD_FILES = [
    ("not_pdf", lambda: b"PK\x03\x04 a Word document", "This is not a PDF"),
    ("damaged", lambda: _stockton_letter()[:900], "damaged"),
    ("encrypted", _encrypted, "password-protected"),
    ("too_many_pages", lambda: build([Page().text(72, 90, "Page")] * 151), "151 pages"),
    ("scan", lambda: build([Page(), Page()]), "pages are pictures"),
    ("send_report", _send_report, "looks like an area SEND inspection report"),
    ("no_lists", _no_lists, "lists of strengths and areas for improvement could not be found"),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_get_a_clear_message_and_write_nothing(
    client, plan_manager, stockton, case, make, message
):
    client.force_login(plan_manager)
    before = _counts()
    response = _upload(client, make())
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "There is a problem" in page
    assert message in page
    assert _counts() == before
    assert pending_uploads() == []
    if case in {"scan", "no_lists"}:
        assert reverse("letter_by_hand") in page, "offers to add the inspection by hand"


def test_file_over_20_mb_is_refused_while_it_arrives(client, plan_manager, stockton):
    client.force_login(plan_manager)
    before = _counts()
    response = _upload(client, b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 10))
    assert response.status_code == 200
    assert "The file must be smaller than 20 MB" in response.content.decode()
    assert _counts() == before


def test_scan_can_be_added_by_hand_without_findings(client, plan_manager, stockton):
    client.force_login(plan_manager)
    area = stockton.inspection.area
    data = _confirm_data(area, [])
    data.pop("findings")
    response = client.post(reverse("letter_by_hand"), data)
    assert response.status_code == 302
    inspection = Inspection.objects.exclude(pk=stockton.inspection_id).get()
    assert inspection.findings.count() == 0
    assert inspection.statement_due_stated == date(2021, 6, 11)


# Who may: plan managers of the area (superusers for any area). The permission table
# (tests/test_permissions.py) covers the URLs for every role; these cover an inspection
# of another area and another user's upload.


def test_manager_of_another_area_cannot_reach_this_areas_inspection(
    client, other_area, make_user, stockton
):
    manager = make_user("durham.manager", "manager", area=other_area)
    client.force_login(manager)
    url = reverse("letter_upload") + f"?inspection={stockton.inspection_id}"
    assert client.get(url).status_code == 404


def test_manager_cannot_choose_another_area(client, plan_manager, stockton, other_area):
    client.force_login(plan_manager)
    preview_url = _upload(client, _stockton_letter())["Location"]
    before = _counts()
    response = client.post(preview_url, _confirm_data(other_area, [0]))
    assert response.status_code == 200
    assert "Choose one of the areas listed" in response.content.decode()
    assert _counts() == before


def test_another_users_upload_is_not_found(client, plan_manager, superuser, stockton):
    client.force_login(plan_manager)
    preview_url = _upload(client, _stockton_letter())["Location"]
    client.force_login(superuser)
    assert client.get(preview_url).status_code == 404


def test_superuser_may_add_for_any_area(client, superuser, stockton, other_area):
    client.force_login(superuser)
    preview_url = _upload(client, _stockton_letter())["Location"]
    response = client.post(preview_url, _confirm_data(other_area, [0]))
    assert response.status_code == 302
    assert Inspection.objects.filter(area=other_area).count() == 1


def test_preview_says_when_a_letter_of_that_date_is_already_recorded(
    client, plan_manager, stockton
):
    inspection = stockton.inspection
    inspection.letter_published = date(2021, 3, 3)  # the date of the test letter
    inspection.fieldwork_start = inspection.fieldwork_end = date(2021, 2, 1)
    inspection.save()
    client.force_login(plan_manager)
    page = client.get(_upload(client, _stockton_letter())["Location"]).content.decode()
    assert "A letter of this date is already recorded" in page
    assert inspection.get_absolute_url() in page


def test_preview_makes_the_same_number_of_queries_however_many_findings(
    client, plan_manager, stockton, django_assert_num_queries
):
    client.force_login(plan_manager)
    few = _upload(client, _stockton_letter())["Location"]
    many = _upload(
        client,
        _stockton_letter(
            improvements=[f"Area for improvement number {n} of a long letter." for n in range(30)]
        ),
    )["Location"]
    # Session, user, memberships (the door); the areas offered (listed, counted, and the
    # choices); the letters already recorded for the area. The findings come from the
    # upload, not the database, so a longer letter costs no query.
    with django_assert_num_queries(7):
        assert client.get(few).status_code == 200
    with django_assert_num_queries(7):
        page = client.get(many).content.decode()
    assert "Area for improvement number 29 of a long letter." in page
