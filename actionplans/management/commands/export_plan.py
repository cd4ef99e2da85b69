"""python manage.py export_plan <plan id> -o plan.docx [--format docx]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actionplans.exports.docx import render_plan_docx
from actionplans.models import ActionPlan


class Command(BaseCommand):
    help = "Export an action plan to a file: --format docx writes an editable Word document."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help="Id of the plan.")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument(
            "--format",
            choices=["docx", "pdf"],
            help="The file's format; by default read from the output file's extension.",
        )

    def handle(self, *args, plan_id, output, format=None, **options):
        path = Path(output)
        format = format or path.suffix.lstrip(".").lower() or "docx"
        plan = ActionPlan.objects.select_related("inspection__area").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"There is no plan with id {plan_id}.")
        if format == "docx":
            content = render_plan_docx(plan)
        elif format == "pdf":
            raise CommandError("PDF export not available")
        else:
            raise CommandError(f"Unknown format {format!r}: use --format docx or pdf.")
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(content):,} bytes)."))
