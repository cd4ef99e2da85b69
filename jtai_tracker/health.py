"""A health check for load balancers and uptime monitors: no login, no database.

It answers "ok" when a worker can serve a request through the whole middleware stack,
which also makes it the ceiling a benchmark compares the app's pages with.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
