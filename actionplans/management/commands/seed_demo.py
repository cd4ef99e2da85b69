"""Load the Stockton demo plan, create demo logins and (clearly invented) sample progress."""

from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actionplans.models import ActionPlan, KeyTask, Rag, TaskUpdate
from actionplans.services import TaskChange, record_update
from inspections.models import Agency, Area, BoardMeeting, Membership

DEMO_PASSWORD = "stockton-demo-2018"  # noqa: S105 - a published demo password, DEBUG only
AREA = "Stockton-on-Tees"

# username -> (first name, last name, agency name)
DEMO_LEADS = {
    "council.lead": ("Carol", "Council", "Stockton-on-Tees Borough Council"),
    "police.lead": ("Pat", "Police", "Cleveland Police"),
    "ccg.lead": (
        "Chris",
        "Commissioner",
        "NHS Hartlepool and Stockton-on-Tees Clinical Commissioning Group",
    ),
    "nhse.lead": ("Nadia", "England", "NHS England"),
    "nthft.lead": ("Nina", "Trust", "North Tees and Hartlepool NHS Foundation Trust"),
    "tewv.lead": ("Tom", "Wear", "Tees, Esk and Wear Valleys NHS Foundation Trust"),
    "hdft.lead": ("Hana", "Visitor", "Harrogate and District NHS Foundation Trust"),
    "yot.lead": ("Yusuf", "Youth", "Stockton-on-Tees Youth Offending Team"),
    "nps.lead": ("Nora", "Probation", "National Probation Service"),
    "crc.lead": ("Carl", "Rehabilitation", "Durham Tees Valley Community Rehabilitation Company"),
}

# Invented board meetings and progress, so the pages have something to show.
SAMPLE_MEETINGS = [date(2018, 7, 12), date(2018, 10, 11)]


class Command(BaseCommand):
    help = (
        "Demo only (DEBUG on): load the Stockton-on-Tees plan, create one demo login per "
        "agency, a board member and a plan manager (password printed), and with "
        "--sample-progress add invented RAG ratings and updates across two board meetings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample-progress",
            action="store_true",
            help="Add invented progress across two board meetings (marked as sample data).",
        )

    def handle(self, *args, sample_progress=False, **options):
        if not settings.DEBUG and not getattr(settings, "TESTING", False):
            raise CommandError(
                "seed_demo creates logins with a published password: it runs only with "
                "DJANGO_DEBUG=1, never in production."
            )
        if not ActionPlan.objects.filter(inspection__area__name=AREA).exists():
            call_command("loaddata", "stockton_2017_neglect", verbosity=0)
            self.stdout.write("Loaded the Stockton-on-Tees 2018 action plan.")
        with transaction.atomic():
            users = self._create_users()
            if sample_progress:
                self._sample_progress(users)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, role in self._logins():
            self.stdout.write(f"  {username:<14} {role}")

    def _logins(self):
        yield "plan.manager", "plan manager, Stockton-on-Tees (edits, exports, people)"
        yield "board.member", "board member, Stockton-on-Tees (read only)"
        for username, (_, _, agency) in DEMO_LEADS.items():
            yield username, f"lead for {agency} in {AREA}"

    def _user(self, username, first, last, **extra):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            # An address on the reserved example domain: the demo's reminders and board
            # pack emails print to the console (no EMAIL_HOST) addressed to someone.
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                **extra,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _create_users(self):
        area = Area.objects.get(name=AREA)
        users = {}
        # A plan manager works in the app (People, imports, exports), not the admin: the
        # admin is for the site's operators (superusers).
        manager = self._user("plan.manager", "Martina", "Manager")
        Membership.objects.get_or_create(user=manager, role=Membership.Role.MANAGER, area=area)
        users["plan.manager"] = manager
        board = self._user("board.member", "Bob", "Board")
        Membership.objects.get_or_create(user=board, role=Membership.Role.BOARD, area=area)
        users["board.member"] = board
        for username, (first, last, agency_name) in DEMO_LEADS.items():
            user = self._user(username, first, last)
            agency = Agency.objects.get(name=agency_name)
            Membership.objects.get_or_create(
                user=user, role=Membership.Role.LEAD, agency=agency, area=area
            )
            users[username] = user
        return users

    def _sample_progress(self, users):
        if TaskUpdate.objects.filter(task__section__plan__inspection__area__name=AREA).exists():
            self.stdout.write("Sample progress already present; left as it is.")
            return
        area = Area.objects.get(name=AREA)
        for day in SAMPLE_MEETINGS:
            BoardMeeting.objects.get_or_create(
                area=area, date=day, defaults={"title": f"LSCB meeting (sample) {day:%B %Y}"}
            )
        BoardMeeting.objects.get_or_create(
            area=area,
            date=date(2019, 1, 17),
            defaults={"title": "LSCB meeting (sample) January 2019"},
        )
        tasks = list(
            KeyTask.objects.filter(section__plan__inspection__area=area)
            .select_related("section")
            .prefetch_related("future_actions")
            .order_by("section__position", "position")
        )
        police = users["police.lead"]
        council = users["council.lead"]
        manager = users["plan.manager"]
        # Quarter one: most tasks rated, a few early completions of future actions.
        quarter_one = timezone.make_aware(datetime.combine(date(2018, 6, 28), time(10)))
        quarter_two = timezone.make_aware(datetime.combine(date(2018, 10, 1), time(10)))
        pattern_one = [Rag.AMBER, Rag.AMBER, Rag.RED, Rag.AMBER, Rag.GREEN]
        for index, task in enumerate(tasks):
            actor = {"Cleveland Police": police}.get(
                task.section.title.removeprefix("Actions for "), manager
            )
            if "Borough Council" in task.section.title:
                actor = council
            rag = pattern_one[index % len(pattern_one)]
            record_update(
                task_id=task.pk,
                user=actor,
                expected_version=task.version,
                change=TaskChange(
                    rag=rag,
                    reason="(Sample data) First rating after the plan was agreed.",
                    new_actions=["(Sample data) Progress reported to the June 2018 LSCB."],
                ),
                at=quarter_one,
            )
        for index, task in enumerate(tasks[::3]):
            task.refresh_from_db()
            open_actions = [fa.pk for fa in task.future_actions.all() if fa.status == "open"]
            rag = Rag.GREEN if index % 2 == 0 else Rag.RED
            record_update(
                task_id=task.pk,
                user=manager,
                expected_version=task.version,
                change=TaskChange(
                    rag=rag,
                    reason=(
                        "(Sample data) Actions completed and evidence seen by the board."
                        if rag == Rag.GREEN
                        else "(Sample data) Recruitment delayed; milestone missed."
                    ),
                    completed_future_actions=open_actions[:1],
                ),
                at=quarter_two,
            )
        self.stdout.write(
            self.style.WARNING("Added invented sample progress (marked 'Sample data').")
        )
