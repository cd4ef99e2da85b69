"""Links to the app's own pages, each reversed once a process rather than on every page.

reverse() walks the URLconf each time it is asked (about as long as a small query takes
to build); the header and the task list ask for a dozen links a page. A link's path
depends only on its URL name, the URLconf and the script prefix the request came in
under (SCRIPT_NAME, which Django sets for each request), so it is kept for each of those.
A link to an object is kept with stand-in ids, and the object's ids are put in when
asked: the URLs take ids as `<int:...>`, which are written as they are.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins for ids (no real id is this long); the n-th id of a link is ANY_ID + n.
ANY_ID = 9876543210
_kept = {}  # (script prefix, URLconf, name, number of ids) -> (path, stand-ins)


def link(name, *ids):
    """reverse(name, args=ids), for a URL whose arguments are whole-number ids."""
    key = (get_script_prefix(), get_urlconf(), name, len(ids))
    kept = _kept.get(key)
    if kept is None:
        stand_ins = [str(ANY_ID + n) for n in range(len(ids))]
        kept = _kept[key] = (reverse(name, args=stand_ins), stand_ins)
    path, stand_ins = kept
    for stand_in, value in zip(stand_ins, ids, strict=True):
        path = path.replace(stand_in, str(int(value)))
    return path


@receiver(setting_changed)
def _forget_links(*, setting, **kwargs):
    # A new ROOT_URLCONF (as tests set it) makes new paths, as Django clears its own caches.
    if setting == "ROOT_URLCONF":
        _kept.clear()
