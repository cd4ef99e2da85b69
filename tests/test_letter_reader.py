"""The letter reader's pieces, on small letters written for each layout the inspectorates
have used: bullets as symbol-font glyphs or numbers, running headers and page numbers,
footnotes, agency sub-headings, sub-bullets, boxed studies, lists across pages."""

import io
import json
import time
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader, PdfWriter

from inspections.letters import LetterRefused, read_letter
from inspections.letters.agencies import agencies_named, names_a_body
from inspections.letters.dates import deadlines, fieldwork, find_date, letter_date
from inspections.letters.limits import read_letter_limited
from inspections.letters.structure import list_kind
from inspections.letters.text import extract_lines
from inspections.models import Agency
from tests.pdf_builder import Letter, Page, build

LONG = "as the partnership knows."


def _opening(letter, *, area="Testshire"):
    return letter.opening(area)


def _next_steps(letter, due="Friday 11 June 2021"):
    return letter.next_steps("Testshire", due)


def newer_letter():
    """The 2022-on layout: short lists of one-line or two-line bullets."""
    letter = _opening(Letter(header="Joint targeted area inspection of Testshire"))
    letter.heading("Headline findings", size=12)
    letter.paragraph("Children in Testshire are mostly well protected by agencies that work well")
    letter.heading("What needs to improve?", size=12)
    letter.bullet("The timeliness of strategy discussions when children are at risk of harm.")
    letter.bullet(
        "The quality of information shared by health agencies with the front door, so",
        "that decisions are well informed.",
    )
    letter.heading("Strengths", size=12)
    letter.bullet("Leaders know their services well " + "and act on what they know.")
    letter.heading("Main findings", size=12)
    letter.paragraph(
        "Inspectors saw strong work in many cases. This paragraph is not a finding and",
        "must not be read as one.",
    )
    return _next_steps(letter).pdf()


def test_newer_layout_lists_dates_and_deadline():
    reading = read_letter(newer_letter())
    assert [(f.kind, f.text) for f in reading.findings] == [
        (
            "improvement",
            "The timeliness of strategy discussions when children are at risk of harm.",
        ),
        (
            "improvement",
            "The quality of information shared by health agencies with the front door, so "
            "that decisions are well informed.",
        ),
        ("strength", "Leaders know their services well and act on what they know."),
    ]
    assert reading.area == "Testshire"
    assert reading.letter_date == date(2021, 3, 3)
    assert (reading.fieldwork_start, reading.fieldwork_end) == (date(2021, 2, 1), date(2021, 2, 5))
    assert reading.theme == "children who are victims of domestic abuse"
    assert reading.inspectorates == ["Ofsted", "CQC", "HMICFRS"]
    assert reading.statement_due == date(2021, 6, 11)
    assert reading.statement_due_phrase == (
        "Testshire should send the written statement of action to "
        "ProtectionOfChildren@ofsted.gov.uk by Friday 11 June 2021."
    )


def test_long_list_runs_across_pages_without_page_numbers_headers_or_footnotes():
    letter = _opening(Letter(header="Testshire JTAI letter of findings"))
    letter.heading("Key strengths")
    for number in range(1, 41):
        letter.bullet(
            f"Strength {number} is written over two lines so that the list runs over",
            f"several pages, {LONG}",
        )
        if number == 3:
            # A footnote at the foot of the page, and its marker in the running text.
            letter.footnote("1 The Children Act 2004, section 20.")
    letter.heading("Areas for improvement")
    letter.bullet("The police do not always share information on time with the front door.")
    data = _next_steps(letter).pdf()

    lines, pages, _ = extract_lines(data)
    texts = [line.text for line in lines]
    assert pages >= 3
    assert not any(text.isdigit() for text in texts), "page numbers are dropped"
    assert "Testshire JTAI letter of findings" not in texts, "the running header is dropped"
    assert not any("Children Act 2004, section 20" in text for text in texts)

    reading = read_letter(data)
    strengths = [f for f in reading.findings if f.kind == "strength"]
    assert len(strengths) == 40
    assert all(f.text.endswith(f"several pages, {LONG}") for f in strengths)
    assert strengths[-1].text.startswith("Strength 40 is written")
    assert [f.kind for f in reading.findings][-1] == "improvement"


def test_footnote_marker_inside_a_finding_is_dropped():
    page = Page()
    page.text(72, 90, "3 March 2021")
    page.text(72, 120, "Joint targeted area inspection of Testshire", font="bold")
    page.text(72, 140, "This joint targeted area inspection took place from 1 to 5 February 2021.")
    page.text(72, 170, "Areas for improvement", font="bold", size=14)
    page.text(72, 195, "n", font="symbol")
    # The marker: smaller and raised, straight after the word.
    page.runs_in_line(
        90,
        195,
        [
            ("The Local Safeguarding Children Partnership (LSCP", "body", 12, 0),
            ("1", "body", 7, 4),
            (") does not", "body", 12, 0),
        ],
    )
    page.text(90, 209.5, "check the quality of practice at the front door often enough.")
    page.text(72, 260, "Strengths", font="bold", size=14)
    page.text(72, 285, "n", font="symbol")
    page.text(90, 285, "Leaders across the partnership know their services well and act on it.")
    page.text(72, 800, "1 The partnership's multi-agency safeguarding arrangements.", size=7)
    reading = read_letter(build([page] * 1) + b"")
    assert reading.findings[0].text == (
        "The Local Safeguarding Children Partnership (LSCP) does not check the quality of "
        "practice at the front door often enough."
    )


def test_agency_sub_headings_topics_and_boxed_studies():
    letter = _opening(Letter())
    letter.heading("Areas for improvement")
    letter.bullet("Strategy discussions are not always held when children are at risk.")
    letter.heading("Leadership and management", size=12)
    letter.bullet("Leaders do not have a shared picture of the risks children face.")
    letter.heading("Cleveland Police", size=12)
    letter.bullet("Officers do not always record the voice of the child at incidents.")
    letter.bullet("Referrals from the control room are sometimes delayed by a day or more.")
    letter.line("Case study: area for improvement", x=96, font="bold", gap=16)
    letter.line("A boxed study of one child's case, which is not a finding.", x=96)
    letter.line("It runs over two lines of its own inside the box.", x=96)
    letter.heading("Key strengths")
    letter.bullet("Health visitors know their families well and share what they know.")
    reading = read_letter(_next_steps(letter).pdf())
    assert [(f.kind, f.agency) for f in reading.findings] == [
        ("improvement", None),
        ("improvement", None),  # a topic, not an agency
        ("improvement", "Cleveland Police"),
        ("improvement", "Cleveland Police"),
        ("strength", None),
    ]
    assert not any("boxed study" in f.text for f in reading.findings)


def test_numbered_paragraphs_and_sub_bullets():
    letter = _opening(Letter())
    letter.heading("Areas for priority action")
    letter.paragraph("Leaders across the partnership need to take swift action to ensure that:")
    letter.bullet("the needs of children at the front door are understood. This includes:")
    letter.pages[-1].text(90, letter.top + 4, "-", font="symbol")  # a sub-bullet glyph
    letter.top += 4
    letter.line("ensuring that there is enough capacity in the front door", x=108)
    letter.heading("Areas for improvement")
    letter.bullet("Managers check the quality of assessments in children's social care.", number=1)
    letter.bullet("Schools are part of strategy discussions when they know the child.", number=2)
    reading = read_letter(_next_steps(letter).pdf())
    assert [(f.kind, f.number) for f in reading.findings] == [
        ("priority", None),
        ("improvement", "1"),
        ("improvement", "2"),
    ]
    assert reading.findings[0].text == (
        "the needs of children at the front door are understood. This includes: ensuring "
        "that there is enough capacity in the front door"
    )
    assert "Leaders across the partnership" not in reading.findings[0].text


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Key Strengths", "strength"),
        ("Strengths", "strength"),
        ("Areas for improvement", "improvement"),
        ("What needs to improve?", "improvement"),
        ("Area(s) for priority action", "priority"),
        ("Areas for priority action", "priority"),
        ("Case study: area(s) for improvement", None),
        ("Main findings", None),
        ("Next steps", None),
    ],
)
def test_list_headings_of_every_period(heading, kind):
    assert list_kind(heading) == kind


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Between 20 and 24 November 2017, Ofsted", date(2017, 11, 20), date(2017, 11, 24)),
        (
            "This inspection took place from 9 to 13 December 2024.",
            date(2024, 12, 9),
            date(2024, 12, 13),
        ),
        (
            "Between 3 December 2018 and 7 December 2018, Ofsted",
            date(2018, 12, 3),
            date(2018, 12, 7),
        ),
        ("took place from 30 September to 4 October 2019.", date(2019, 9, 30), date(2019, 10, 4)),
        ("took place from 29 December to 2 January 2020.", date(2019, 12, 29), date(2020, 1, 2)),
    ],
)
def test_fieldwork_dates(text, start, end):
    assert fieldwork(text) == (start, end)


def test_letter_date_is_the_date_line_before_the_salutation():
    assert letter_date(["Ofsted", "Piccadilly Gate", "18 July 2024", "Dear Somerset"]) == date(
        2024, 7, 18
    )
    assert find_date("by Tuesday 25 October 2022.") == date(2022, 10, 25)
    assert find_date("on 31 February 2022") is None


def test_deadlines_of_next_steps_including_a_priority_action_draft():
    due, phrase, others = deadlines(
        [
            "Because of the areas for priority action, the local authority should send an "
            "initial draft of the statement within 20 working days of receiving this letter.",
            "The director of children's services should send the written statement of action "
            "to ProtectionOfChildren@ofsted.gov.uk by 10 May 2019, 70 working days from "
            "pre-publication. This statement will inform the lines of enquiry.",
        ]
    )
    assert due == date(2019, 5, 10)
    assert phrase.endswith("by 10 May 2019, 70 working days from pre-publication.")
    assert [(o.working_days, o.due) for o in others] == [(20, None)]


def test_sub_headings_naming_bodies():
    assert names_a_body("The Local Safeguarding Children Board")
    assert names_a_body("Health")
    assert not names_a_body("Leadership and management")
    assert not names_a_body("Identifying and managing risk of harm at the ‘front door’")


def test_agencies_named_by_a_heading():
    police = Agency(name="Cleveland Police", short_name="", kind="police")
    trust = Agency(
        name="Tees, Esk and Wear Valleys NHS Trust", short_name="TEWV", kind="health_provider"
    )
    ccg = Agency(name="Hartlepool and Stockton CCG", short_name="CCG", kind="health_commissioner")
    council = Agency(name="Stockton-on-Tees Borough Council", short_name="SBC", kind="council")
    partners = [police, trust, ccg, council]
    assert agencies_named("Cleveland Police", partners) == [police]
    assert agencies_named("Health", partners) == [trust, ccg]
    assert agencies_named("TEWV", partners) == [trust]
    assert agencies_named("Children's social care", partners) == [council]
    assert agencies_named("The Local Safeguarding Children Board", partners) == []
    assert agencies_named(None, partners) == []


# Bad files: each refused with its own message.


def test_not_a_pdf():
    with pytest.raises(LetterRefused, match="This is not a PDF") as refused:
        read_letter(b"PK\x03\x04 a Word file perhaps")
    assert refused.value.code == "not_pdf"


def test_damaged_pdf():
    data = newer_letter()
    with pytest.raises(LetterRefused, match="damaged") as refused:
        read_letter(data[: len(data) // 3])
    assert refused.value.code == "damaged"


def test_encrypted_pdf():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(newer_letter())))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(LetterRefused, match="password-protected") as refused:
        read_letter(out.getvalue())
    assert refused.value.code == "encrypted"


def test_too_large():
    data = newer_letter()
    padded = data + b"%" + b"x" * (20 * 1024 * 1024)
    with pytest.raises(LetterRefused, match="well under 20 MB") as refused:
        read_letter(padded)
    assert refused.value.code == "too_large"


def test_too_many_pages():
    page = Page().text(72, 90, "A page of a very long document.")
    with pytest.raises(LetterRefused, match="151 pages") as refused:
        read_letter(build([page] * 151))
    assert refused.value.code == "too_many_pages"


def test_scan_without_text():
    # Pages that hold only a picture of the text (here: nothing but a drawn box).
    pages = [Page() for _ in range(3)]
    with pytest.raises(LetterRefused, match="pages are pictures") as refused:
        read_letter(build(pages))
    assert refused.value.code == "no_text"
    assert "enter them by hand" in str(refused.value)


@pytest.mark.parametrize(
    ("title", "looks_like"),
    [
        ("Area SEND inspection of Testshire Local Area Partnership", "an area SEND inspection"),
        (
            "Inspection of local authority children's services (ILACS) in Testshire",
            "an ILACS report",
        ),
        ("Minutes of the safeguarding board", "does not look like a joint targeted"),
    ],
)
def test_not_a_findings_letter(title, looks_like):
    letter = Letter()
    letter.heading(title)
    for _ in range(12):
        letter.paragraph(
            "Children and young people in the area are helped by services that know them."
        )
    with pytest.raises(LetterRefused, match=looks_like) as refused:
        read_letter(letter.pdf())
    assert refused.value.code == "not_letter"


def test_letter_whose_lists_cannot_be_found():
    letter = _opening(Letter())
    for _ in range(6):
        letter.paragraph("Inspectors found that children are mostly safe, and wrote it as prose.")
    with pytest.raises(
        LetterRefused, match="lists of strengths and areas for improvement"
    ) as refused:
        read_letter(_next_steps(letter).pdf())
    assert refused.value.code == "no_lists"


def test_hostile_pdf_is_stopped_by_the_limits():
    """A content stream that inflates to hundreds of megabytes of text operators: the
    child process runs out of its memory or time and is stopped; the caller gets a clear
    refusal within the time limit."""
    import zlib

    squeeze = zlib.compressobj(9)
    chunk = b"BT /body 1 Tf 0 0 Td " + b"(xxxxxxxx) Tj " * 10_000 + b"ET\n"
    compressed = b"".join(squeeze.compress(chunk) for _ in range(2_000)) + squeeze.flush()
    data = build([Page()], raw_contents=[compressed])
    assert len(data) < 2 * 1024 * 1024  # small on the wire
    started = time.monotonic()
    with pytest.raises(LetterRefused, match="could not be read within the limits") as refused:
        read_letter_limited(data, seconds=8, memory_mb=400)
    assert refused.value.code == "too_hard"
    assert time.monotonic() - started < 15


def test_reading_in_the_child_process_gives_the_same_result():
    data = newer_letter()
    assert read_letter_limited(data).as_json() == read_letter(data).as_json()


# The command


@pytest.mark.django_db
def test_read_letter_command_json_writes_nothing(tmp_path):
    from inspections.models import Finding, Inspection

    path = tmp_path / "letter.pdf"
    path.write_bytes(newer_letter())
    out = io.StringIO()
    call_command("read_letter", str(path), "--json", stdout=out)
    assert Inspection.objects.count() == 0 and Finding.objects.count() == 0
    printed = json.loads(out.getvalue())
    assert printed["statement_due"] == "2021-06-11"
    assert printed["letter_date"] == "2021-03-03"
    assert [f["kind"] for f in printed["findings"]] == ["improvement", "improvement", "strength"]


def test_read_letter_command_summary(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(newer_letter())
    out = io.StringIO()
    call_command("read_letter", str(path), stdout=out)
    text = out.getvalue()
    assert "Written statement due: 11 June 2021" in text
    assert "1 strength" in text
    assert "2 areas for improvement" in text


def test_read_letter_command_refuses_clearly(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(CommandError, match="This is not a PDF"):
        call_command("read_letter", str(path))


def test_slow_pdf_is_stopped_at_the_time_limit():
    """The same kind of file with room in memory: the wall-clock limit stops it instead."""
    import zlib

    squeeze = zlib.compressobj(9)
    chunk = b"BT /body 1 Tf 0 0 Td " + b"(xxxxxxxx) Tj " * 10_000 + b"ET\n"
    compressed = b"".join(squeeze.compress(chunk) for _ in range(300)) + squeeze.flush()
    data = build([Page()], raw_contents=[compressed])
    started = time.monotonic()
    with pytest.raises(LetterRefused) as refused:
        read_letter_limited(data, seconds=1, memory_mb=1500)
    assert refused.value.code == "too_hard"
    assert time.monotonic() - started < 5


def test_list_without_bullets_reads_each_paragraph_with_a_warning():
    """Bullets drawn as shapes leave no glyph: the list's paragraphs are its findings."""
    letter = _opening(Letter())
    letter.heading("Areas for priority action", size=12)
    letter.paragraph(
        "Leaders need to understand the needs of children at the front door, and",
        "act on them.",
        x=90,
    )
    letter.paragraph("The police need to improve the records held on their systems.", x=90)
    letter.heading("What needs to improve?", size=12)
    letter.bullet("The timeliness of strategy discussions when children are at risk of harm.")
    reading = read_letter(_next_steps(letter).pdf())
    assert [(f.kind, f.text) for f in reading.findings] == [
        (
            "priority",
            "Leaders need to understand the needs of children at the front door, and act on them.",
        ),
        ("priority", "The police need to improve the records held on their systems."),
        (
            "improvement",
            "The timeliness of strategy discussions when children are at risk of harm.",
        ),
    ]
    assert reading.findings[0].warning and not reading.findings[2].warning


def test_a_second_column_beside_the_findings_is_not_part_of_them():
    """A table of priority actions with the agencies responsible in a second column."""
    letter = _opening(Letter())
    letter.heading("Areas for priority action", size=12)
    top = letter.top + 6
    letter.bullet("The sharing of information by partner", "agencies to protect children at risk.")
    letter.pages[-1].text(420, top, "Police, health")
    letter.pages[-1].text(420, top + letter.LINE, "and the council")
    letter.heading("Strengths", size=12)
    letter.bullet("Leaders know their services well.")
    reading = read_letter(_next_steps(letter).pdf())
    assert reading.findings[0].text == (
        "The sharing of information by partner agencies to protect children at risk."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The local authority should send the written statement of action to X by 18 April 2018.",
        "Send the written statement of action no later than 5pm on 18 April 2018.",
        "The written statement should reach us before Wednesday 18 April 2018.",
    ],
)
def test_deadline_wordings(sentence):
    assert deadlines([sentence])[0] == date(2018, 4, 18)


def test_bold_heading_that_begins_with_a_lists_name():
    letter = _opening(Letter())
    letter.heading("Areas for improvement for the partnership", size=12)
    letter.bullet("The timeliness of strategy discussions when children are at risk of harm.")
    letter.paragraph(
        "Areas for improvement were also found in 2016, and have been addressed since."
    )
    reading = read_letter(_next_steps(letter).pdf())
    assert [f.kind for f in reading.findings] == ["improvement"]
    assert list_kind("Areas for improvement were also found in 2016") is None
