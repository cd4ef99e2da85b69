"""What every page needs to know: whether the demo runs at a chosen date (inspections.clock)."""

from . import clock


def demo_date(request):
    return {"demo_date": clock.demo_date()}
