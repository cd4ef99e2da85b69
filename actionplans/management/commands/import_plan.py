"""python manage.py import_plan plan.docx --inspection 3 [--dry-run] [--user name]"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from actionplans.imports.files import ImportRefused, megabytes
from actionplans.imports.services import import_plan, read_plan
from inspections.models import Inspection


class Command(BaseCommand):
    help = (
        "Import an action plan from a Word (.docx) file for an inspection. Prints what was "
        "read (sections, key tasks, warnings); --dry-run writes nothing. Exits non-zero "
        "when the file cannot be imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The plan as a .docx file.")
        parser.add_argument(
            "--inspection", type=int, required=True, help="Id of the inspection the plan answers."
        )
        parser.add_argument("--dry-run", action="store_true", help="Read and report only.")
        parser.add_argument(
            "--user",
            help="Username recorded as having added the action-to-date entries "
            "(the plan manager); none by default.",
        )

    def handle(self, *args, file, inspection, dry_run=False, user=None, **options):
        target = Inspection.objects.select_related("area").filter(pk=inspection).first()
        if target is None:
            raise CommandError(f"There is no inspection with id {inspection}.")
        manager = None
        if user:
            manager = get_user_model().objects.filter(username=user).first()
            if manager is None:
                raise CommandError(f"There is no user called {user!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        if path.stat().st_size > settings.PLAN_IMPORT_MAX_UPLOAD_BYTES:
            limit = megabytes(settings.PLAN_IMPORT_MAX_UPLOAD_BYTES)
            raise CommandError(f"The file must be smaller than {limit}.")
        try:
            parsed = read_plan(path.read_bytes(), target)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        self._summary(parsed)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        plan = import_plan(parsed=parsed, inspection=target, user=manager)
        self.stdout.write(self.style.SUCCESS(f"Created plan {plan.pk}: {plan.title}"))

    def _summary(self, parsed):
        write = self.stdout.write
        write(f"Title: {parsed.title}")
        if parsed.version_label:
            write(f"Version: {parsed.version_label}")
        write(
            f"{len(parsed.sections)} sections, {len(parsed.tasks)} key tasks, "
            f"{len(parsed.introduction)} introduction paragraphs, "
            f"{parsed.warning_count} warnings"
        )
        for warning in parsed.warnings:
            write(f"  ! {warning}")
        for section in parsed.sections:
            write(f"- {section.title}: {len(section.tasks)} key tasks")
            for warning in section.warnings:
                write(f"    ! {warning}")
            for task in section.tasks:
                for warning in task.warnings:
                    write(f"    ! {task.source}: {warning}")
