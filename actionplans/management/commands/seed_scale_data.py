"""Synthetic national-scale data for benchmarks: every name says it is fake."""

import random
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from actionplans.models import (
    ActionEntry,
    ActionPlan,
    FutureAction,
    KeyTask,
    Lead,
    PlanSection,
    Rag,
    TaskUpdate,
)
from inspections.models import Agency, Area, BoardMeeting, Finding, Inspection

PREFIX = "Synthetic"
BATCH = 2000
# One section for the whole partnership, then one per kind of agency, as real plans have.
SECTION_KINDS = [
    None,
    Agency.Kind.COUNCIL,
    Agency.Kind.POLICE,
    Agency.Kind.HEALTH_PROVIDER,
    Agency.Kind.PROBATION,
]
# How many neighbouring areas share one agency (a police force serves about four councils).
AREAS_PER_AGENCY = {
    Agency.Kind.COUNCIL: 1,
    Agency.Kind.POLICE: 4,
    Agency.Kind.HEALTH_PROVIDER: 3,
    Agency.Kind.PROBATION: 10,
}
# Tasks answer the first ten; the last two are left for the dashboard to flag as uncovered.
FINDINGS_PER_INSPECTION = 12
UPDATE_INTERVAL = timedelta(days=30)
MEETING_INTERVAL = timedelta(days=91)


class Command(BaseCommand):
    help = (
        "Benchmarks only (DEBUG on): generate synthetic areas, plans, key tasks and years of "
        "task updates and board meetings, all with clearly fake names, using bulk inserts. "
        "Run it on an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--areas", type=int, default=150)
        parser.add_argument("--plans-per-area", type=int, default=3)
        parser.add_argument("--tasks-per-plan", type=int, default=40)
        parser.add_argument("--updates-per-task", type=int, default=20)
        parser.add_argument("--seed", type=int, default=2018, help="Random seed (repeatable).")

    def handle(self, *args, **options):
        if not settings.DEBUG and not getattr(settings, "TESTING", False):
            raise CommandError(
                "seed_scale_data fills the database with fake areas: it runs only with "
                "DJANGO_DEBUG=1, never in production."
            )
        sizes = [options[k] for k in ("areas", "plans_per_area", "tasks_per_plan")]
        if min(sizes) < 1 or options["updates_per_task"] < 0:
            raise CommandError("Give at least one area, plan and task, and no negative numbers.")
        if Area.objects.filter(name__startswith=PREFIX).exists():
            raise CommandError("Synthetic data is already here: use an empty database.")
        self.rng = random.Random(options["seed"])
        self.now = timezone.now()
        # Updates run back from now, one a month; meetings cover the same years.
        self.start = self.now - UPDATE_INTERVAL * (options["updates_per_task"] + 1)
        agencies = self._agencies(options["areas"])
        for number in range(1, options["areas"] + 1):
            with transaction.atomic():
                self._area(number, agencies, options)
        if connection.vendor == "postgresql":
            # After a bulk load the planner has no statistics until autovacuum gets round
            # to it, and picks plans hundreds of times slower for the dashboard's queries.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {options['areas']} synthetic areas x {options['plans_per_area']} plans "
                f"x {options['tasks_per_plan']} tasks x {options['updates_per_task']} updates."
            )
        )

    def _agencies(self, areas):
        """kind -> list of agencies; area n uses agency (n - 1) // AREAS_PER_AGENCY[kind]."""
        made = {}
        for kind, share in AREAS_PER_AGENCY.items():
            count = (areas + share - 1) // share
            label = Agency.Kind(kind).label
            made[kind] = Agency.objects.bulk_create(
                Agency(name=f"{PREFIX} {label} {i:03d}", short_name=f"S{kind[:3]}{i}", kind=kind)
                for i in range(1, count + 1)
            )
        return made

    def _area(self, number, agencies, options):
        area = Area.objects.create(
            name=f"{PREFIX} Area {number:03d}",
            partnership_name=f"{PREFIX} Area {number:03d} Safeguarding Partnership (fake data)",
        )
        partners = {
            kind: agencies[kind][(number - 1) // share] for kind, share in AREAS_PER_AGENCY.items()
        }
        area.agencies.add(*partners.values())
        BoardMeeting.objects.bulk_create(
            BoardMeeting(area=area, date=day, title=f"{PREFIX} board meeting {day:%B %Y}")
            for day in self._meeting_days()
        )
        for plan_number in range(1, options["plans_per_area"] + 1):
            self._plan(area, plan_number, partners, options)

    def _meeting_days(self):
        day = self.start.date() + timedelta(days=45)
        # The last one is still to come: "the next meeting".
        while day <= self.now.date() + MEETING_INTERVAL:
            yield day
            day += MEETING_INTERVAL

    def _plan(self, area, plan_number, partners, options):
        fieldwork = date(2016 + plan_number, 3, 6)
        inspection = Inspection.objects.create(
            area=area,
            theme=f"{PREFIX} theme {plan_number}",
            fieldwork_start=fieldwork,
            fieldwork_end=fieldwork + timedelta(days=4),
            letter_published=fieldwork + timedelta(days=60),
            report_received=fieldwork + timedelta(days=60),
        )
        findings = Finding.objects.bulk_create(
            Finding(
                inspection=inspection,
                kind=Finding.Kind.IMPROVEMENT,
                position=i,
                text=f"{PREFIX} area for improvement {i} (fake data).",
            )
            for i in range(1, FINDINGS_PER_INSPECTION + 1)
        )
        plan = ActionPlan.objects.create(
            inspection=inspection,
            title=f"{PREFIX} action plan {plan_number} for {area.name} (fake data)",
            status=ActionPlan.Status.SUBMITTED,
        )
        sections = PlanSection.objects.bulk_create(
            PlanSection(
                plan=plan,
                position=i,
                title="Actions across the whole partnership"
                if kind is None
                else f"Actions for {partners[kind].name}",
                whole_partnership=kind is None,
            )
            for i, kind in enumerate(SECTION_KINDS, start=1)
        )
        tasks = KeyTask.objects.bulk_create(
            KeyTask(
                section=sections[i % len(sections)],
                position=i,
                description=f"{PREFIX} key task {i} of plan {plan.pk}: improve how partners "
                "work together for children (fake data).",
                success_measures=f"{PREFIX} measure one\n{PREFIX} measure two",
            )
            for i in range(options["tasks_per_plan"])
        )
        self._leads(tasks, sections, partners)
        self._entries(tasks, findings)
        self._history(tasks, options["updates_per_task"])

    def _leads(self, tasks, sections, partners):
        kinds = {section.pk: kind for section, kind in zip(sections, SECTION_KINDS, strict=True)}
        leads = Lead.objects.bulk_create(
            Lead(
                task=task,
                name=f"{PREFIX} lead {task.position}",
                all_partners=kinds[task.section_id] is None,
            )
            for task in tasks
        )
        Lead.agencies.through.objects.bulk_create(
            Lead.agencies.through(lead=lead, agency=partners[kinds[lead.task.section_id]])
            for lead in leads
            if not lead.all_partners
        )

    def _entries(self, tasks, findings):
        today = self.now.date()
        ActionEntry.objects.bulk_create(
            ActionEntry(task=t, position=1, text=f"{PREFIX} action taken", added_on=today)
            for t in tasks
        )
        FutureAction.objects.bulk_create(
            [
                FutureAction(
                    task=t,
                    position=p,
                    text=f"{PREFIX} future action {p}",
                    # About one task in five has an action past its date.
                    target_date=today + timedelta(days=self.rng.randint(-60, 240)),
                )
                for t in tasks
                for p in (1, 2)
            ],
            batch_size=BATCH,
        )
        KeyTask.findings.through.objects.bulk_create(
            KeyTask.findings.through(keytask=t, finding=findings[t.position % 10])
            for t in tasks
            if t.position % 6  # some tasks answer no finding
        )

    def _history(self, tasks, updates_per_task):
        """A monthly update per task, the rating drifting, then the task left as the last
        update put it. Tasks were in the plan from the start (created_at empty)."""
        history = []
        for task in tasks:
            rag = Rag.UNRATED
            at = self.start
            for version in range(2, updates_per_task + 2):
                at += UPDATE_INTERVAL + timedelta(minutes=self.rng.randint(0, 600))
                new = self._next_rating(rag)
                history.append(
                    TaskUpdate(
                        task=task,
                        created_at=min(at, self.now),
                        user_name=f"{PREFIX} lead",
                        reason=f"{PREFIX} reason for the change (fake data)." if new != rag else "",
                        changes={"rag": [rag, new]} if new != rag else {},
                        rag_from=rag,
                        rag_to=new,
                        version=version,
                    )
                )
                rag = new
            task.rag, task.version = rag, updates_per_task + 1
            task.updated_at = min(at, self.now) if updates_per_task else None
        TaskUpdate.objects.bulk_create(history, batch_size=BATCH)
        KeyTask.objects.bulk_update(tasks, ["rag", "version", "updated_at"], batch_size=BATCH)
        # bulk_create stamped created_at with now (auto_now_add): these tasks were there
        # from the start.
        KeyTask.objects.filter(pk__in=[t.pk for t in tasks]).update(created_at=None)

    def _next_rating(self, rag):
        if rag == Rag.UNRATED:
            return Rag.AMBER
        roll = self.rng.random()
        if roll < 0.7:
            return rag
        return self.rng.choice([Rag.RED, Rag.AMBER, Rag.GREEN])
