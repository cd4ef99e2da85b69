from django.core.management.base import BaseCommand

from actionplans.reminders.sending import send_reminders


class Command(BaseCommand):
    help = (
        "Send today's reminders: before board meetings, overdue notices and statement "
        "deadlines. Each email goes out once, so it is safe to run any number of times "
        "(daily from cron, or by the worker's scheduled job)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead of sending now, queue the daily reminders job for the worker: it "
            "sends each day at 07:00 and queues itself again for the next day.",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            from actionplans.jobs import next_reminders_run, schedule_reminders

            if schedule_reminders() is None:
                self.stderr.write("This jobs backend cannot run jobs later: use cron instead.")
                return
            self.stdout.write(f"The reminders will run at {next_reminders_run():%Y-%m-%d %H:%M}.")
            return
        self.stdout.write(str(send_reminders()))
