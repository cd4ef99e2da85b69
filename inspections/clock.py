"""What "today" is for the app's pages, exports and jobs.

Real use always uses the real date. The demo can run at a chosen date
(`JTAI_DEMO_DATE=2019-02-01`, accepted only with DJANGO_DEBUG on) so that the 2018
Stockton plan looks as the partnership saw it, not years overdue. Everything that
asks "what is today?" or "what time is it?" for the domain asks here.
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def demo_date() -> date | None:
    """The date the demo runs at, or None in real use."""
    return settings.DEMO_DATE


def today() -> date:
    return demo_date() or timezone.localdate()


def now() -> datetime:
    """The current moment; in a demo, the demo date at the current time of day."""
    moment = timezone.now()
    day = demo_date()
    if day is None:
        return moment
    local = timezone.localtime(moment)
    return local.replace(year=day.year, month=day.month, day=day.day)
