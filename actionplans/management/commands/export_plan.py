"""Write a plan's board-ready written statement of action to a file."""

import argparse
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actionplans.exports import pdf
from actionplans.exports.docx import render_plan_docx
from actionplans.models import ActionPlan
from inspections import clock

# Each format: the function that renders a plan to the file's bytes.
FORMATS = {"pdf": pdf.render_plan_pdf, "docx": render_plan_docx}
# The formats that can show the plan as it stood at a past date.
AS_AT_FORMATS = {"pdf"}


def past_date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date: give it as YYYY-MM-DD, e.g. 2018-07-12"
        ) from None
    if day > clock.today():
        raise argparse.ArgumentTypeError(f"{value} is in the future: the plan has no history yet")
    return day


class Command(BaseCommand):
    help = (
        "Write a plan's written statement of action to a file, as the board gets it: "
        "title page and sign-off, introduction, RAG key and summary, each section's table, "
        "and the annex of findings (PDF), or as an editable Word document (docx). With "
        "--as-at, the plan as it stood at the end of that day (e.g. a board meeting), rebuilt "
        "from the task history (PDF only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help="The plan's id (see the plan page's URL).")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            help="The file to write, e.g. plan.pdf or plan.docx.",
        )
        parser.add_argument(
            "--as-at",
            type=past_date,
            metavar="YYYY-MM-DD",
            help="Show the plan as it stood at the end of this day (default: as it is now).",
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=sorted(FORMATS),
            help="The file format (default: from the output's extension, else pdf).",
        )

    def handle(self, *args, plan_id, output, as_at=None, file_format=None, **options):
        output = output.expanduser()
        extension = output.suffix.lstrip(".").lower()
        file_format = file_format or (extension if extension in FORMATS else "pdf")
        if as_at and file_format not in AS_AT_FORMATS:
            raise CommandError(f"--as-at works only with --format pdf, not {file_format}.")
        # Checked before the export, which can take seconds for a large plan.
        if output.is_dir():
            raise CommandError(
                f"{output} is a folder: give a file name, e.g. {output / 'plan.pdf'}"
            )
        if not output.parent.is_dir():
            raise CommandError(f"Cannot write {output}: the folder {output.parent} does not exist.")
        try:
            plan = ActionPlan.objects.select_related("inspection__area").get(pk=plan_id)
        except ActionPlan.DoesNotExist:
            raise CommandError(f"There is no plan with id {plan_id}.{_known_plans()}") from None
        content = FORMATS[file_format](plan, **({"as_at": as_at} if as_at else {}))
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        when = f"as at {as_at:%d %B %Y}" if as_at else "as it is now"
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {output} ({len(content) // 1024} KB): {plan}, {when}.")
        )


def _known_plans() -> str:
    plans = ActionPlan.objects.select_related("inspection__area").order_by("pk")[:20]
    if not plans:
        return " There are no plans yet."
    return " Plans: " + "; ".join(f"{p.pk} ({p.inspection.area}, {p.title})" for p in plans)
