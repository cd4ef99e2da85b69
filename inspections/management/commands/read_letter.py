"""`manage.py read_letter LETTER.pdf [--json]`: what the reader makes of a letter.

Writes nothing: it is how a developer (or a support desk) sees what the upload page would
preview, and how the reader is tried on a new letter.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.letters import LetterRefused, read_letter

KIND_LABELS = {
    "strength": ("Strength", "strengths"),
    "improvement": ("Area for improvement", "areas for improvement"),
    "priority": ("Area for priority action", "areas for priority action"),
}


class Command(BaseCommand):
    help = (
        "Read an inspectorates' findings letter (PDF) and print the inspection's dates, "
        "deadline and findings. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("letter", help="Path to the letter's PDF.")
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object instead of a summary."
        )

    def handle(self, *args, letter, **options):
        try:
            data = Path(letter).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {letter}: {error.strerror}") from None
        try:
            reading = read_letter(data)
        except LetterRefused as refused:
            raise CommandError(str(refused)) from None
        if options["json"]:
            self.stdout.write(json.dumps(reading.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._summary(reading))

    def _summary(self, reading) -> str:
        def day(value):
            return f"{value:%-d %B %Y}" if value else "not found"

        out = [
            f"Area: {reading.area or 'not found'}",
            f"Letter dated: {day(reading.letter_date)}",
            f"Fieldwork: {day(reading.fieldwork_start)} to {day(reading.fieldwork_end)}",
            f"Theme: {reading.theme or 'not found'}",
            f"Inspectorates: {', '.join(reading.inspectorates) or 'not found'}",
            f"Written statement due: {day(reading.statement_due)}",
        ]
        if reading.statement_due_phrase:
            out.append(f"  “{reading.statement_due_phrase}”")
        counts = ", ".join(
            f"{count} {label.lower() if count == 1 else plural}"
            for kind, (label, plural) in KIND_LABELS.items()
            for count in [reading.count(kind)]
        )
        out.append(f"\nFindings ({counts}):")
        for position, finding in enumerate(reading.findings, start=1):
            label = KIND_LABELS[finding.kind][0]
            where = f" [{finding.agency}]" if finding.agency else ""
            number = f" {finding.number}." if finding.number else ""
            out.append(f"{position:3}. {label}{where}{number} {finding.text}")
        if reading.warnings:
            out.append("\nCheck:")
            out.extend(f"  - {warning}" for warning in reading.warnings)
        return "\n".join(out)
