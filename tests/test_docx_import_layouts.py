"""Plans laid out in many ways import to the right sections, tasks and fields.

Each document is built here with python-docx in a layout real partnerships use; the
importer reads it against the Stockton partnership's agencies and findings.
"""

from datetime import date

import pytest

from actionplans.imports.dates import read_target_date
from actionplans.imports.rag import RagKey, read_rag
from actionplans.imports.services import import_plan, read_plan
from actionplans.models import FutureAction, KeyTask
from inspections.models import Agency

from .docx_builder import HEADER, Cell, Doc, seed_layout

RED, AMBER, GREEN = "FF0000", "FFC000", "92D050"


def names(parsed_leads):
    return [lead.name for lead in parsed_leads]


def agencies_of(lead):
    return set(Agency.objects.filter(pk__in=lead.agency_ids).values_list("name", flat=True))


# -- the seed's layout ------------------------------------------------------------------


def test_seed_layout_with_rows_broken_across_tables_reads_back_the_stockton_plan(stockton):
    broken = ("All agencies will commence", "Improve information sharing from partners")
    parsed = read_plan(seed_layout(stockton, broken=broken), stockton.inspection)

    assert parsed.title == stockton.title
    assert parsed.version_label == "Final Draft 18/04/18"
    assert parsed.running_heading == stockton.running_heading
    assert parsed.rag_labels == {
        "red": "Behind schedule",
        "amber": "On track",
        "green": "Completed",
    }
    assert [(p.number, p.heading, p.text) for p in parsed.introduction] == [
        (p.number, p.heading, p.text) for p in stockton.introduction.all()
    ]
    sections = list(stockton.sections.all())
    assert [s.title for s in parsed.sections] == [s.title for s in sections]
    for section, expected in zip(parsed.sections, sections, strict=True):
        assert section.whole_partnership == expected.whole_partnership
        assert set(section.agency_ids) == {a.pk for a in expected.agencies.all()}
        tasks = list(expected.tasks.order_by("position"))
        assert len(section.tasks) == len(tasks)
        for task, original in zip(section.tasks, tasks, strict=True):
            assert task.description == original.description
            assert task.success_measures == original.success_measure_list
            assert names(task.leads) == [lead.name for lead in original.leads.all()]
            assert task.action_to_date == [e.text for e in original.action_to_date.all()]
            open_actions = original.future_actions.filter(status=FutureAction.Status.OPEN)
            assert [(a.text, a.target_date) for a in task.future_actions] == [
                (a.text, a.target_date) for a in open_actions
            ]
            assert task.rag == ""
    # The broken rows were joined back: task 4 has its three measures, not two tasks.
    chronology = parsed.sections[0].tasks[3]
    assert len(chronology.success_measures) == 3
    assert len(parsed.tasks) == 25


def test_seed_layout_matches_leads_to_the_areas_agencies(stockton):
    parsed = read_plan(seed_layout(stockton), stockton.inspection)
    leads = {lead.name: lead for task in parsed.tasks for lead in task.leads}
    assert agencies_of(leads["TEWV"]) == {"Tees, Esk and Wear Valleys NHS Foundation Trust"}
    assert agencies_of(leads["SBC Public Health"]) == {"Stockton-on-Tees Borough Council"}
    assert agencies_of(leads["NHS England DC"]) == {"NHS England"}
    assert leads["All agencies"].all_partners
    # Not named in the text, but the section is the police's alone.
    assert agencies_of(leads["D. Supt. PVP"]) == {"Cleveland Police"}
    assert leads["D. Supt. PVP"].from_section
    # Left as written, with a warning beside the task.
    people = leads["Sheila Whitehead & Sharon Barnett"]
    assert people.agency_ids == [] and not people.all_partners
    task = next(t for t in parsed.tasks if people in t.leads)
    assert any("Sheila Whitehead" in warning for warning in task.warnings)


# -- numbered recommendations as merged rows, sub-tasks below ------------------------------


def recommendations_layout() -> bytes:
    header = ["Ref", "Action", "Success measure", "Lead", "Progress update", "Next steps", "RAG"]
    return (
        Doc()
        .paragraph("Stockton-on-Tees Safeguarding Children Partnership")
        .paragraph("Improvement plan following the inspection of November 2017")
        .table(
            [
                header,
                [Cell("Recommendation 1: Improve the quality of assessments of neglect", span=7)],
                [
                    "1.1",
                    "Refresh the assessment guidance",
                    ["Audit shows the child's lived experience in 80% of assessments"],
                    "Head of Service, SBC",
                    ["Draft written", "Consulted practitioners"],
                    "Publish the guidance by 31st August 2018",
                    "Amber",
                ],
                [
                    "1.2",
                    "Train every social worker in the new guidance",
                    "Training records",
                    "Workforce development manager",
                    "",
                    ["Book sessions June 2018", "Evaluate the training"],
                    "G",
                ],
                header,  # the header row again, where the author pasted a second page
                [Cell("Recommendation 2: Strengthen information sharing with the police", span=7)],
                [
                    "2.1",
                    "Share CIN status with Cleveland Police",
                    "Flags on NICHE",
                    "D. Supt. PVP",
                    "Flags agreed",
                    "Introduce enhanced flagging by 30/09/18",
                    "Red",
                ],
            ]
        )
        .bytes()
    )


def test_numbered_recommendations_as_merged_rows_become_sections_with_their_tasks(stockton):
    parsed = read_plan(recommendations_layout(), stockton.inspection)
    assert [s.title for s in parsed.sections] == [
        "Recommendation 1: Improve the quality of assessments of neglect",
        "Recommendation 2: Strengthen information sharing with the police",
    ]
    first, second = parsed.sections
    assert [t.description for t in first.tasks] == [
        "Refresh the assessment guidance",
        "Train every social worker in the new guidance",
    ]
    guidance, training = first.tasks
    assert guidance.action_to_date == ["Draft written", "Consulted practitioners"]
    assert [(a.text, a.target_date) for a in guidance.future_actions] == [
        ("Publish the guidance by 31st August 2018", date(2018, 8, 31))
    ]
    assert (guidance.rag, training.rag, second.tasks[0].rag) == ("amber", "green", "red")
    assert [a.target_date for a in training.future_actions] == [date(2018, 6, 30), None]
    assert agencies_of(guidance.leads[0]) == {"Stockton-on-Tees Borough Council"}
    assert agencies_of(second.tasks[0].leads[0]) == {"Cleveland Police"}
    assert second.agency_names == ["Cleveland Police"]
    # The "Ref" column is noted once for the document, not beside every task.
    assert any("“Ref” column is not imported" in w for w in parsed.warnings)
    assert not any(t.warnings for t in parsed.tasks if t.leads[0].agency_ids)


# -- other columns, other order, sections as headings ------------------------------------


def reordered_layout() -> bytes:
    header = [
        "RAG status",
        "Owner",
        "What we will do",
        "Evidence of impact",
        "Next steps / timescale",
        "Progress to date",
    ]
    return (
        Doc()
        .paragraph("Post-inspection improvement plan", style="Title")
        .paragraph("Version 3 - June 2018")
        .paragraph("Actions for Cleveland Police", style="Heading 2")
        .table(
            [
                header,
                [
                    "On track",
                    "Detective Superintendent",
                    "Review capacity in the PVP",
                    ["New arrangements in place", "Backlogs cleared"],
                    ["Fill vacancies\nby 30/06/18", "Complete CP training for all staff"],
                    "• Recruitment process shortened\n• Supervision approach updated",
                ],
                [
                    "Behind schedule",
                    "Cleveland Police and SBC",
                    "Review flags on NICHE",
                    "Better understanding of history",
                    "Review use for CIN plans",
                    "",
                ],
            ]
        )
        .paragraph("Actions for health commissioners and providers", style="Heading 2")
        .table(
            [
                header,
                ["", "TEWV", "Share mental health information", "", "Roll out to CIN", ""],
            ]
        )
        .bytes()
    )


def test_columns_in_another_order_with_other_headings_land_in_the_right_fields(stockton):
    parsed = read_plan(reordered_layout(), stockton.inspection)
    assert parsed.title == "Post-inspection improvement plan"
    assert parsed.version_label == "Version 3 - June 2018"
    assert [s.title for s in parsed.sections] == [
        "Actions for Cleveland Police",
        "Actions for health commissioners and providers",
    ]
    capacity, flags = parsed.sections[0].tasks
    assert capacity.description == "Review capacity in the PVP"
    assert capacity.success_measures == ["New arrangements in place", "Backlogs cleared"]
    assert names(capacity.leads) == ["Detective Superintendent"]
    assert agencies_of(capacity.leads[0]) == {"Cleveland Police"}  # from the section
    # Typed bullets in one paragraph are separate entries, without the bullet.
    assert capacity.action_to_date == [
        "Recruitment process shortened",
        "Supervision approach updated",
    ]
    assert [(a.text, a.target_date) for a in capacity.future_actions] == [
        ("Fill vacancies\nby 30/06/18", date(2018, 6, 30)),
        ("Complete CP training for all staff", None),
    ]
    assert (capacity.rag, flags.rag) == ("amber", "red")
    assert agencies_of(flags.leads[0]) == {"Cleveland Police", "Stockton-on-Tees Borough Council"}
    health = parsed.sections[1]
    assert len(health.agency_ids) == 5
    assert health.tasks[0].rag == ""
    assert agencies_of(health.tasks[0].leads[0]) == {
        "Tees, Esk and Wear Valleys NHS Foundation Trust"
    }


# -- RAG only as shading ------------------------------------------------------------------


def test_rag_given_only_as_cell_shading_is_read_from_the_colour(stockton):
    data = (
        Doc()
        .paragraph("Neglect action plan")
        .paragraph("Red = Off track")
        .paragraph("Amber = Some progress")
        .paragraph("Green = Complete")
        .table(
            [
                HEADER,
                [Cell("Actions across the whole partnership", span=6)],
                ["Task one", "", "All agencies", "", "", Cell("", fill=RED)],
                ["Task two", "", "All agencies", "", "", Cell("", fill=AMBER)],
                ["Task three", "", "All agencies", "", "", Cell("", fill=GREEN)],
                ["Task four", "", "All agencies", "", "", Cell("", fill="D9D9D9")],
                ["Task five", "", "All agencies", "", "", ""],
            ]
        )
        .bytes()
    )
    parsed = read_plan(data, stockton.inspection)
    assert [t.rag for t in parsed.tasks] == ["red", "amber", "green", "", ""]
    assert parsed.rag_labels == {"red": "Off track", "amber": "Some progress", "green": "Complete"}
    assert [t.rag_label for t in parsed.tasks][:3] == ["Off track", "Some progress", "Complete"]
    assert parsed.sections[0].whole_partnership
    assert not any(t.warnings for t in parsed.tasks)


# -- nine columns, paragraph references, "by when" -----------------------------------------


def nine_column_layout(stockton) -> bytes:
    finding = stockton.inspection.findings.get(kind="improvement", position=2)
    header = [
        "No.",
        "Para ref",
        "Area for improvement",
        "Action",
        "How will we know",
        "Responsibility",
        "Update",
        "By when",
        "RAG rating",
    ]
    return (
        Doc()
        .paragraph("Written statement of action")
        .paragraph("RAG key")
        .table([["1", "Red", "Behind"], ["2", "Amber", "On track"], ["3", "Green", "Complete"]])
        .table(
            [
                header,
                [Cell("Actions for Stockton-on-Tees Borough Council", span=9)],
                [
                    "1",
                    "AFI 2",
                    Cell(finding.text, down=2),
                    "Increase attendance of children at conferences",
                    "Attendance data",
                    "Service Manager, Review",
                    "Guidance refreshed",
                    "30/09/2018",
                    "2",
                ],
                [
                    "2",
                    "Para 14",
                    "Seek children's views before every conference",
                    "Views recorded",
                    "IRO manager",
                    "",
                    ["Survey designed by June 2018", "Report to board by 31st December 2018"],
                    "3",
                ],
                [
                    "3",
                    "",
                    "A recommendation the letter does not make",
                    "Develop the new framework",
                    "Framework in place",
                    "DCS",
                    "",
                    "Ongoing",
                    "1",
                ],
            ]
        )
        .bytes()
    )


def test_nine_column_layout_with_paragraph_references_and_a_by_when_column(stockton):
    parsed = read_plan(nine_column_layout(stockton), stockton.inspection)
    (section,) = parsed.sections
    assert section.title == "Actions for Stockton-on-Tees Borough Council"
    attendance, views, framework = section.tasks
    assert attendance.description == "Increase attendance of children at conferences"
    assert attendance.success_measures == ["Attendance data"]
    assert attendance.action_to_date == ["Guidance refreshed"]
    # With no future actions column, "By when" holds the future actions and their dates.
    assert [(a.text, a.target_date) for a in attendance.future_actions] == [
        ("30/09/2018", date(2018, 9, 30))
    ]
    assert [(a.text, a.target_date) for a in views.future_actions] == [
        ("Survey designed by June 2018", date(2018, 6, 30)),
        ("Report to board by 31st December 2018", date(2018, 12, 31)),
    ]
    # RAG as a number, with the key's numbers.
    assert (attendance.rag, views.rag, framework.rag) == ("amber", "green", "red")
    # "AFI 2" and the finding's own words both link the finding.
    assert attendance.finding_references == ["AFI 2"]
    # A paragraph reference has no place: listed beside its task.
    assert any("Para 14" in w for w in views.warnings)
    # The merged "Area for improvement" cell belongs to the first row only.
    assert not any("Area for improvement" in w for w in views.warnings)
    assert any("does not make" in w for w in framework.warnings)
    assert [(a.text, a.target_date) for a in framework.future_actions] == [("Ongoing", None)]
    assert any("“No.” column is not imported" in w for w in parsed.warnings)


# -- the small readers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Case studies shared by 30/06/18", date(2018, 6, 30)),
        ("Strategic review of CHub – June 2018", date(2018, 6, 30)),
        ("Audit completed by 31st August 2018", date(2018, 8, 31)),
        ("Framework to be adopted 1 April 2018", date(2018, 4, 1)),
        ("Sept 2018", date(2018, 9, 30)),
        ("from 1 May 2018, first report by 30.06.2018", date(2018, 6, 30)),
        ("Review the 3 pilots and 2 audits", None),
        ("31/02/18", None),
        ("Ongoing", None),
    ],
)
def test_target_dates_are_read_from_the_words_as_british_dates(text, expected):
    assert read_target_date(text) == expected


@pytest.mark.parametrize(
    ("text", "fill", "expected"),
    [
        ("Behind schedule", None, "red"),
        ("On track", None, "amber"),
        ("Completed", None, "green"),
        ("R", None, "red"),
        ("Amber", None, "amber"),
        ("green - done", None, "green"),
        ("", "C00000", "red"),
        ("", "FFFF00", "amber"),
        ("", "00B050", "green"),
        ("", "DBE5F1", ""),
        ("Not yet rated", None, ""),
    ],
)
def test_rag_is_read_from_labels_colour_words_letters_and_shading(text, fill, expected):
    labels = {"red": "Behind schedule", "amber": "On track", "green": "Completed"}
    assert read_rag(text, fill, RagKey(), labels, "Not yet rated") == (expected, None)


def test_rag_words_no_key_explains_are_left_unrated_with_a_warning():
    rag, warning = read_rag("Maybe", None, RagKey(), {}, "Not yet rated")
    assert rag == "" and "Maybe" in warning


def test_a_four_colour_key_gives_each_colour_its_own_rating_blue_included():
    key = RagKey()
    for line in [
        "Blue = Completed and embedded",
        "Green = Completed",
        "Amber = On track",
        "Red = Off track",
    ]:
        assert key.learn_line(line)
    labels = key.plan_labels()
    assert labels == {
        "red": "Off track",
        "amber": "On track",
        "green": "Completed",
        "blue": "Completed and embedded",
    }
    assert read_rag("Blue", None, key, labels, "")[0] == "blue"
    assert read_rag("", "1D70B8", key, labels, "")[0] == "blue"
    assert read_rag("", GREEN, key, labels, "")[0] == "green"
    # The longer label wins over the shorter one it contains.
    assert read_rag("Completed and embedded (see audit)", None, key, labels, "")[0] == "blue"
    assert read_rag("Completed", None, key, labels, "")[0] == "green"


def test_without_a_key_embedded_reads_as_blue_and_completed_as_green():
    assert read_rag("Completed and embedded", None, RagKey(), {}, "")[0] == "blue"
    assert read_rag("Completed", None, RagKey(), {}, "")[0] == "green"


# -- a fourth colour: blue --------------------------------------------------------------

WORD_BLUE = "0070C0"  # Word's standard blue


def brag_document(key=True) -> bytes:
    """A plan rated BRAG: a key (as a shaded table) naming blue, and RAG cells shaded
    with no words, one of them blue."""
    doc = Doc().paragraph("Neglect improvement plan", style="Title")
    if key:
        doc.table(
            [
                [Cell("Off track", fill=RED), Cell("On track", fill=AMBER)],
                [Cell("Done", fill=GREEN), Cell("Embedded and sustained", fill=WORD_BLUE)],
            ]
        )
    doc.table(
        [
            HEADER,
            [Cell("Actions for Cleveland Police", span=6)],
            [
                "Review capacity in the PVP",
                "Caseloads",
                "D. Supt. PVP",
                "",
                "",
                Cell("", fill=WORD_BLUE),
            ],
            [
                "Review flags on NICHE",
                "History known",
                "D. Supt. PVP",
                "",
                "",
                Cell("", fill=GREEN),
            ],
            [
                "Train officers in neglect",
                "Training records",
                "D. Supt. PVP",
                "",
                "",
                Cell("", fill=RED),
            ],
        ]
    )
    return doc.bytes()


def test_a_blue_cell_imports_as_blue_and_the_new_plan_uses_the_keys_word_for_it(
    stockton, plan_manager
):
    parsed = read_plan(brag_document(), stockton.inspection)
    assert [task.rag for task in parsed.tasks] == ["blue", "green", "red"]
    assert parsed.rag_labels["blue"] == "Embedded and sustained"
    assert parsed.tasks[0].rag_label == "Embedded and sustained"
    assert parsed.uses_blue and not parsed.warnings

    plan = import_plan(parsed=parsed, inspection=stockton.inspection, user=plan_manager)
    assert plan.rag_blue_enabled and plan.rag_blue_label == "Embedded and sustained"
    assert plan.rag_green_label == "Done"
    assert list(
        KeyTask.objects.filter(section__plan=plan)
        .order_by("position")
        .values_list("rag", flat=True)
    ) == ["blue", "green", "red"]


def test_a_blue_cell_without_a_key_turns_the_fourth_colour_on_with_its_usual_word(
    stockton, plan_manager
):
    parsed = read_plan(brag_document(key=False), stockton.inspection)
    assert parsed.tasks[0].rag == "blue" and "blue" not in parsed.rag_labels
    assert parsed.tasks[0].rag_label == "Completed and embedded"
    plan = import_plan(parsed=parsed, inspection=stockton.inspection, user=plan_manager)
    assert plan.rag_blue_enabled and plan.rag_blue_label == "Completed and embedded"


def test_a_document_without_blue_gives_a_plan_without_the_fourth_colour(stockton, plan_manager):
    parsed = read_plan(seed_layout(stockton), stockton.inspection)
    assert not parsed.uses_blue
    plan = import_plan(parsed=parsed, inspection=stockton.inspection, user=plan_manager)
    assert not plan.rag_blue_enabled
