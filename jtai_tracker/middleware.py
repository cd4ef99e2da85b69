"""Security headers and methods for every page the app itself serves.

Static files are answered by WhiteNoise before this middleware (they keep their long
cache); everything else is a page of safeguarding data, a form or a download, so:

- `Cache-Control: private, no-store`: no browser or proxy keeps a copy of a page or of
  a CSV, Excel, Word or PDF download (a shared computer, a proxy's disk);
- `Permissions-Policy`: the pages use no camera, microphone, location or the like, so
  they are switched off for the page and anything it might embed;
- only GET, HEAD and POST are answered: TRACE (which echoes a request back) and the
  rest get 405 before any view runs, as does OPTIONS (no cross-origin use to answer for).

The Content-Security-Policy itself is django-csp's (settings.CONTENT_SECURITY_POLICY).
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils.cache import patch_cache_control

ALLOWED_METHODS = ("GET", "HEAD", "POST")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            response = HttpResponseNotAllowed(ALLOWED_METHODS)
        else:
            response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        return response
