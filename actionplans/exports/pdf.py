"""The written statement of action as a PDF, laid out by WeasyPrint.

`render_plan_pdf(plan)` is what the `export_plan` command and other code ask for; the
view serves what a background job rendered (prerender.py, jobs.py) with `current_pdf`.
It keeps the PDF in the shared "exports" cache under the plan's content version (a
digest of every row the document reads, see `document.content_version`) and the version
of the template, stylesheet and WeasyPrint, so any change to the plan, a task or
anything the document shows makes a new PDF. Working the content version out reads the
whole plan; "Export PDF" skips that while the plan's PDF is marked current (current.py)
and costs two cache reads. Only a miss loads the document, renders
templates/actionplans/exports/plan_pdf.html and has WeasyPrint lay it out.

WeasyPrint fetches every URL a document names. The HTML is built from text people
type, so it is given `StaticFilesFetcher`, which serves the few files of static/pdf/
and refuses everything else: no http(s), file or data URL, whatever a task says.
"""

import gc
import hashlib
import logging
import mimetypes
import re
import threading
import zlib
from datetime import date
from urllib.parse import unquote, urlsplit

import pydyf
import tinyhtml5.constants
import tinyhtml5.inputstream
import weasyprint
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.template.loader import get_template, render_to_string
from django.utils.text import slugify
from weasyprint.text.fonts import FontConfiguration

from inspections import clock

from ..models import ActionPlan
from . import current
from .document import PlanDocument, build_document, content_version

logger = logging.getLogger(__name__)

TEMPLATE = "actionplans/exports/plan_pdf.html"
# The template and what it includes: part of the cache key, so a new layout is a new PDF.
TEMPLATES = [TEMPLATE, "actionplans/exports/_rag_key.html", "includes/_date_range.html"]

# Relative URLs in the document resolve against this base. The .invalid top-level
# domain (RFC 2606) can never resolve, so even a fetch that slipped past the fetcher
# could not reach a server; the fetcher only maps it back onto static files.
BASE_URL = "https://jtai-tracker.invalid/static/"
# Only files under this folder of the static files are served to WeasyPrint.
STATIC_FOLDER = "pdf/"

# PDF/UA-1: tagged structure (headings, tables with header cells, paragraphs), the
# document title shown in the title bar, and the language, from <html lang="en-GB">.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# zlib's level for the PDF's streams. pydyf compresses at level 9, whose slow search for
# matches gains little on a PDF's text-drawing streams: level 6 compresses Stockton's
# streams in a fifth of the time (about 75 ms less a render) for about 5% more bytes.
STREAM_COMPRESSION = 6


class RefusedURL(ValueError):
    """The document named a URL outside the app's own PDF static files."""


class StaticFilesFetcher(weasyprint.urls.URLFetcher):
    """A WeasyPrint URL fetcher that serves static/pdf/ files and refuses everything else.

    It never opens a network connection or a file outside the static files: the
    parent's urllib machinery is never called. `log` records every URL WeasyPrint
    asked for and whether it was served, for the tests and for logging.
    """

    def __init__(self):
        super().__init__(fail_on_errors=False)
        self.log: list[tuple[str, bool]] = []

    def fetch(self, url, headers=None):
        path = static_path(url)
        self.log.append((url, path is not None))
        if path is None:
            logger.warning("PDF export refused to fetch %.200s", url)
            raise RefusedURL(f"Only the app's own PDF static files are fetched, not {url!r}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            body = file.read()
        return weasyprint.urls.URLFetcherResponse(
            url, body=body, headers={"Content-Type": content_type}
        )

    # WeasyPrint calls the fetcher; urllib-style callers call open(). Both go to fetch().
    def open(self, url, data=None, timeout=None):
        return self.fetch(getattr(url, "full_url", url))


def static_path(url: str) -> str | None:
    """The file a URL under BASE_URL stands for, if it is one of static/pdf/'s files."""
    if not url.startswith(BASE_URL):
        return None
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return None
    name = unquote(parts.path.removeprefix(urlsplit(BASE_URL).path))
    if not name.startswith(STATIC_FOLDER) or ".." in name.split("/") or "\\" in name:
        return None
    try:
        found = finders.find(name)
    except Exception:  # SuspiciousFileOperation and the like: a name we will not serve
        return None
    return found if isinstance(found, str) else None


def stylesheet_bytes() -> bytes:
    path = static_path(BASE_URL + STATIC_FOLDER + "plan.css")
    assert path, "static/pdf/plan.css is missing"
    with open(path, "rb") as file:
        return file.read()


# When a row counts as tall: characters a line of each column holds at the least (8.5pt
# text in static/pdf/plan.css, widths from its <col>s, rounded down), and the estimated
# lines of its tallest cell, out of about 40 in a page's table body.
COLUMN_CHARACTERS = {"task": 28, "measures": 26, "leads": 16, "done": 28, "future": 28}
ROW_LINES_THAT_MAY_BREAK = 24


def may_break(task) -> bool:
    """Whether a row is tall enough to break across pages rather than move whole.

    Short rows move whole to the next page when they do not fit; a tall one would leave
    half a page empty, so it may break, and the page that carries it on says so (see
    static/pdf/plan.css). A row taller than a whole page breaks in any case; should the
    estimate miss one, that page only lacks the footer note.
    """

    def lines(texts, column):
        width = COLUMN_CHARACTERS[column]
        return sum(len(text) // width + 2 for text in texts)

    cells = [
        lines(task.description_paragraphs, "task"),
        lines(task.success_measure_list, "measures"),
        lines([lead.name for lead in task.leads.all()], "leads"),
        lines([entry.text for entry in task.action_to_date.all()], "done"),
        lines([f"{a.text} Target: 30 September 2018" for a in task.open_future_actions], "future"),
    ]
    return max(cells) > ROW_LINES_THAT_MAY_BREAK


def render_html(document: PlanDocument) -> str:
    plan = document.plan
    for section in document.sections:
        for task in section.tasks.all():
            task.may_break = may_break(task)
    return render_to_string(
        TEMPLATE,
        {
            "doc": document,
            "plan": plan,
            "inspection": document.inspection,
            "area": document.area,
            "rag_key": document.rag_key,
        },
    )


_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """This thread's font configuration, made on its first render and kept.

    A new one loads Fontconfig's configuration and font list and starts an empty Pango
    font map; kept, later renders also reuse the fonts Pango has loaded. One a thread, as Pango's font maps are not
    safe to share between threads. The stylesheet uses system fonts only (no
    @font-face), so nothing one document adds to it can change the next.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def compress_streams(document, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher: compress the PDF's streams at STREAM_COMPRESSION.

    WeasyPrint calls it with the finished pydyf.PDF just before writing it. Each stream
    that pydyf would compress (page contents, fonts) is compressed here instead and
    marked done, so pydyf writes its bytes as they are; the content is the same bytes
    pydyf would have compressed. Only the object stream that pydyf makes while writing
    (the small dictionaries: tags, pages, fonts' descriptions) keeps level 9.
    """
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress:
            data = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
            stream.stream = [zlib.compress(data, STREAM_COMPRESSION)]
            stream.extra["Filter"] = "/FlateDecode"
            stream.compress = False


# What WeasyPrint's HTML parser (tinyhtml5) scans for, most often: the end of a run of text
# (&, < or NUL), of whitespace, of an attribute's name, of a quoted value, of a <title>.
HTML_SCANS = [
    (("&", "<", "\u0000"), False),
    (tinyhtml5.constants.space_characters, True),
    (tinyhtml5.constants.ascii_letters, True),
    (('"', "&", "\u0000"), False),
    (("'", "&", "\u0000"), False),
    (("<", "\u0000"), False),
]


def cache_html_scan_patterns() -> None:
    """Put the parser's most used scanning patterns in its cache, under the keys it asks.

    tinyhtml5 2.1.0 keeps each pattern it compiles for a scan under the pattern itself
    rather than under what it was asked, so it never finds one and builds it again on
    every text run, whitespace run, attribute name and value: 45% of parsing Stockton's
    HTML (callgrind: 271 M -> 148 M instructions). The patterns are the ones it would
    build: a run of characters outside the set, or inside it when `inside` is true. A
    scan not listed here, or a tinyhtml5 without this cache, parses as before.
    """
    cache = getattr(tinyhtml5.inputstream, "characters_until_regex", None)
    if not isinstance(cache, dict):
        return
    for characters, inside in HTML_SCANS:
        members = re.escape("".join(sorted(characters)))
        cache.setdefault(
            (characters, inside), re.compile(f"[{members}]+" if inside else f"[^{members}]+")
        )


cache_html_scan_patterns()


def html_to_pdf(html: str, fetcher: StaticFilesFetcher | None = None) -> bytes:
    """Lay out the HTML as a PDF, fetching only static/pdf/ files.

    The garbage collector is paused meanwhile, from the parsing of the HTML on:
    WeasyPrint makes hundreds of thousands of small objects (elements, boxes, styles,
    PDF objects) that live until the PDF is written, and the collector would walk them
    again and again for nothing (parsing a 480-task plan alone takes a sixth longer with
    it running). With the kept font configuration, this takes about a tenth off a
    Stockton render (`make bench BENCH=pdf`). What the render made is freed by reference
    counting when it returns, and the collector runs again as before. The switch is the
    whole process's: when renders overlap in several threads, the one that turned it
    off turns it back on. The streams are compressed by compress_streams.
    """
    fetcher = fetcher or StaticFilesFetcher()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(
            font_config=font_configuration(), finisher=compress_streams, **PDF_OPTIONS
        )
    finally:
        if was_enabled:
            gc.enable()


def layout_version() -> str:
    """A digest of what lays every PDF out: WeasyPrint, the templates and the stylesheet.

    Part of every cache key, so a deploy that changes the layout makes new PDFs.
    """
    digest = hashlib.sha256(f"{weasyprint.__version__} {PDF_OPTIONS}".encode())
    for name in TEMPLATES:
        digest.update(get_template(name).template.source.encode())
    digest.update(stylesheet_bytes())
    return digest.hexdigest()


def cache_key(plan: ActionPlan, *, as_at: date | None = None, layout: str | None = None) -> str:
    """The plan's content version, and the version of everything that lays it out."""
    digest = hashlib.sha256(content_version(plan, as_at=as_at).encode())
    digest.update((layout or layout_version()).encode())
    return f"plan-pdf:{plan.pk}:{digest.hexdigest()}"


def current_version(
    plan: ActionPlan, *, stamp: str | None = None, layout: str | None = None
) -> current.Version:
    """Today's cache key of the plan, worked out from its rows after its change stamp
    was read (see current.py): what may be marked as the plan's current PDF."""
    layout = layout or layout_version()
    stamp = stamp or current.stamp(plan.pk)
    day = clock.today()
    return current.Version(plan.pk, cache_key(plan, layout=layout), stamp, day, layout)


def current_pdf(plan: ActionPlan) -> bytes | None:
    """The plan's PDF as it is now, if it is in the shared cache; None if it must be
    rendered. What "Export PDF" serves.

    When the plan's mark holds (current.py: nothing it shows has changed since its PDF
    was rendered or last served, today), that is two cache reads and no query. Else its
    content version is worked out (a dozen queries) and, when that PDF is there, marked
    for the next export.
    """
    layout = layout_version()
    data, stamp = _marked(plan, layout)
    if data is None:
        version = current_version(plan, stamp=stamp, layout=layout)
        data = caches["exports"].get(version.key)
        if data is not None:
            current.mark(version)
    return data


def marked_pdf(plan: ActionPlan) -> bytes | None:
    """The plan's PDF if it is marked current and in the cache: two cache reads."""
    return _marked(plan, layout_version())[0]


def _marked(plan, layout) -> tuple[bytes | None, str]:
    key, stamp = current.look(plan.pk, layout)
    return (None if key is None else caches["exports"].get(key)), stamp


def cached_plan_pdf(plan: ActionPlan, *, key: str | None = None) -> bytes | None:
    """The PDF under `key` (the plan's content key by default) if it is in the shared
    cache; None if it must be rendered."""
    return caches["exports"].get(key or cache_key(plan))


def store_plan_pdf(plan: ActionPlan, *, as_at: date | None = None, key: str | None = None) -> bytes:
    """Render the plan's PDF and keep it in the shared cache under its content key."""
    key = key or cache_key(plan, as_at=as_at)
    data = html_to_pdf(render_html(build_document(plan, as_at=as_at)))
    caches["exports"].set(key, data)
    return data


def render_plan_pdf(plan: ActionPlan, *, as_at: date | None = None) -> bytes:
    """The PDF of the plan, now or as it stood at the end of `as_at`; cached by content.

    The one call for code that needs the PDF itself (the export command, a submitted
    statement, a board pack): from the cache when it is there, else rendered here and
    kept; today's is then marked current for "Export PDF". A repeat is one look-up by
    the plan's content version: no document loaded, no HTML rendered, no layout.
    Requests do not call this for a plan that may be large: they ask
    prerender.request_render and serve the PDF when the job has made it.
    """
    version = current_version(plan) if as_at is None else None
    key = version.key if version else cache_key(plan, as_at=as_at)
    data = caches["exports"].get(key)
    if data is None:
        data = store_plan_pdf(plan, as_at=as_at, key=key)
    if version:
        current.mark(version)
    return data


# The name the first callers knew.
plan_pdf = render_plan_pdf


def filename(plan: ActionPlan, *, as_at: date | None = None) -> str:
    """A download name such as "stockton-on-tees-statement-of-action-2018-04-18.pdf"."""
    day = as_at or clock.today()
    return f"{slugify(plan.inspection.area.name)}-statement-of-action-{day.isoformat()}.pdf"
