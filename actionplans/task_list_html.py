"""The task list's table as the page shows it, written as HTML in Python: its caption
and headings (TABLE, HEADING), its rows (ROW), each row's rating, move, text, leads and
last update, and GOV.UK pagination. The markup is the GOV.UK Frontend's, as the
templates wrote it; the template engine's cost for 25 rows of seven cells, their
headings and pages' links was a third of the page's. tables.TaskTable fills it in
(`page_html`). Every value from a record or a request is escaped here.
"""

from html import escape as _escape

from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe

# The table around the page's rows: its caption says how many tasks match, and which
# of them the page shows when there are several pages.
TABLE = """<table {attrs}>
  <caption class="govuk-table__caption govuk-table__caption--m">{count} key task{plural}\
{showing}</caption>
  <thead class="govuk-table__head">
    <tr class="govuk-table__row">{headings}
    </tr>
  </thead>
  <tbody class="govuk-table__body">
    {rows}
  </tbody>
</table>

{pagination}"""
SHOWING = '<span class="govuk-caption-m govuk-!-font-size-16">Showing {start} to {end}</span>'
# A column's heading; a sortable one links to its sort, and says which way it sorts.
HEADING = """
      <th scope="col" class="govuk-table__header app-task-table__col--{name}"{aria_sort}>
        {heading}
      </th>"""
SORT_LINK = (
    '<a class="govuk-link app-sort-link" href="{href}">{heading}'
    '<span class="govuk-visually-hidden"> (sort {direction})</span></a>'
)
NO_ROWS = (
    '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{columns}">'
    "{text}</td></tr>\n    "
)

# A row of the page: its cells in the order of the visible columns, each labelled with
# its heading for narrow screens, filled in for each task (tables.TaskTable.page_rows).
# The text, leads and last update are written as actionplans/_task_text.html,
# _task_leads.html and _updated_at.html write them.
ROW = """<tr class="govuk-table__row">
  <td class="govuk-table__cell" data-label="{section_label}">{section}</td>
  <td class="govuk-table__cell" data-label="{description_label}">{withdrawn}\
<a class="govuk-link" href="{url}">{text}</a></td>
  <td class="govuk-table__cell" data-label="{leads_label}">\
<ul class="govuk-list app-leads">{leads}</ul></td>
  <td class="govuk-table__cell" data-label="{rag_label}">{rag_tag}</td>
  <td class="govuk-table__cell" data-label="{travel_label}">{travel}</td>
  <td class="govuk-table__cell" data-label="{updated_at_label}">{updated}</td>
  <td class="govuk-table__cell" data-label="{overdue_count_label}">{overdue_count}</td>
</tr>
"""
# The fields of a task, and of its section, that a row writes: the page loads only
# these (not the success measures and the rest, which only the exports write).
ROW_FIELDS = ("description", "rag", "updated_at", "withdrawn_at", "section__title")
WITHDRAWN = mark_safe('<strong class="govuk-tag govuk-tag--grey">Withdrawn</strong> ')  # noqa: S308
NO_LEAD = mark_safe('<li class="app-empty">None named</li>')  # noqa: S308
NEVER = mark_safe('<span class="app-empty">Never</span>')  # noqa: S308


# GOV.UK pagination (tables.TaskTable.pagination): the links before and after the pages', and
# the pages' own, with the current one marked.
PREVIOUS = """
  <div class="govuk-pagination__prev">
    <a class="govuk-link govuk-pagination__link" href="{href}" rel="prev">
      <svg class="govuk-pagination__icon govuk-pagination__icon--prev" \
xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" \
viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856\
-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>
      <span class="govuk-pagination__link-title">Previous\
<span class="govuk-visually-hidden"> page</span></span>
    </a>
  </div>"""
NEXT = """
  <div class="govuk-pagination__next">
    <a class="govuk-link govuk-pagination__link" href="{href}" rel="next">
      <span class="govuk-pagination__link-title">Next\
<span class="govuk-visually-hidden"> page</span></span>
      <svg class="govuk-pagination__icon govuk-pagination__icon--next" \
xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" \
viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 \
3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>
    </a>
  </div>"""
PAGE = """
    <li class="govuk-pagination__item"><a class="govuk-link govuk-pagination__link" \
href="{href}" aria-label="Page {number}">{number}</a></li>"""
CURRENT_PAGE = """
    <li class="govuk-pagination__item govuk-pagination__item--current">\
<a class="govuk-link govuk-pagination__link" href="{href}" aria-label="Page {number}" \
aria-current="page">{number}</a></li>"""
ELLIPSES = """
    <li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>"""


# A rating as a tag, and a move since the comparison, as the shared partials
# includes/_rag_tag.html and actionplans/_travel.html write them (rendering the
# partials cost the page more than all its rows' other cells; tests/test_task_list.py
# holds these to them).
RAG_TAG_COLOURS = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--yellow",
    "green": "govuk-tag--green",
    "blue": "govuk-tag--blue",
}
TRAVEL_ARROWS = {"up": "↑", "down": "↓", "same": "→", "new": "+"}


def rag_tag_html(rag, label):
    """A rating as a tag (`label`: the plan's word for it)."""
    colour = RAG_TAG_COLOURS.get(rag, "govuk-tag--grey")
    return f'<strong class="govuk-tag app-rag {colour}">{_escape(label)}</strong>'


def travel_html(travel, then_label):
    """A move (a ratings.Travel), and the rating it moved from (`then_label`, None when
    the task was not in the plan then)."""
    arrow = TRAVEL_ARROWS.get(travel.value, "•")
    html = (
        f'<span class="app-travel app-travel--{_escape(travel.value)}">'
        f'<span class="app-travel__arrow" aria-hidden="true">{arrow}</span>'
        f" {_escape(travel.label)}</span>"
    )
    if then_label and travel.value != "same":
        html += f'<span class="app-travel__then">was {_escape(then_label)}</span>'
    return html


def first_words(text, count):
    """The first `count` words of `text`, and " …" when there were more: the cut the
    truncatewords filter makes (Truncator.words), which makes the space between words
    one space, without its lazy object a row."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    cut = " ".join(words[:count])
    return cut if cut.endswith(" …") else f"{cut} …"


def leads_html(labels):
    """The items of a row's list of leads (escaped here: it is written without
    format_html, a third of whose cost a row was). The rows escape their text with
    the standard library's html.escape (`_escape`), which Django's escape wraps."""
    if not labels:
        return NO_LEAD
    return "".join(
        f'<li>{_escape(name)} <span class="app-leads__agency">({_escape(agencies)})</span></li>'
        if agencies
        else f"<li>{_escape(name)}</li>"
        for name, agencies in labels
    )


def updated_on(moment, zone, months):
    """(ISO 8601 moment, "1 Feb 2019") in local time (`zone`, the current time zone),
    as the `date` filter writes them with "c" and "j M Y" (None: never updated): a
    tenth of its cost, 25 rows a page. `months` keeps the short names of the months
    the page has needed (number -> name): each is a translation lookup."""
    if moment is None:
        return None
    moment = moment.astimezone(zone)
    month = months.get(moment.month)
    if month is None:
        month = months[moment.month] = MONTHS_3[moment.month].title()
    return moment.isoformat(), f"{moment.day} {month} {moment.year:04d}"
