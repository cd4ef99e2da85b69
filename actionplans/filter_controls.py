"""The controls of the board's GET forms, written as HTML in Python: the task list's
filters (`task_list_controls`) and the comparison with a past meeting or date that the
task list and the dashboard share (`comparison_fields`).

GOV.UK Frontend's markup, as the templates wrote it before; written here, as the list's
rows are (task_list_html), because the template engine's cost for these few dozen inputs,
options and tick boxes was a tenth of the uncached task list's. Every value from a
request or a record is escaped (`_e`); the labels are the fields' own.
"""

from django.utils.html import conditional_escape as _e
from django.utils.safestring import mark_safe


def _error_message(field, errors, separator=""):
    """The error message of a field (GOV.UK's error message component)."""
    messages = separator.join(
        f'<span class="govuk-visually-hidden">Error:</span> {_e(error)}' for error in errors
    )
    return f'<p id="{field.auto_id}_error" class="govuk-error-message">{messages}</p>'


def _group_class(errors):
    return "govuk-form-group govuk-form-group--error" if errors else "govuk-form-group"


def text_or_select(field, options=None):
    """A labelled text box, or a select of `options` ((value, label, chosen), from
    TaskFilter.options), in its form group."""
    errors = field.errors
    field_id = field.auto_id
    invalid = f' aria-invalid="true" aria-describedby="{field_id}_error"' if errors else ""
    if options:
        items = "".join(
            f'<option value="{_e(value)}"{" selected" if chosen else ""}>{_e(label)}</option>\n  '
            for value, label, chosen in options
        )
        control = (
            f'<select name="{field.html_name}" class="govuk-select"{invalid} id="{field_id}">\n'
            f"  {items}</select>"
        )
    else:
        value = field.value()
        value = f' value="{_e(value)}"' if value else ""
        control = (
            f'<input type="text" name="{field.html_name}"{value} class="govuk-input"{invalid}'
            f' id="{field_id}">'
        )
    return (
        f'<div class="{_group_class(errors)}">\n'
        f'  <label class="govuk-label govuk-label--s" for="{field_id}">{_e(field.label)}</label>\n'
        f"  {_error_message(field, errors) if errors else ''}\n"
        f"  {control}\n"
        "</div>"
    )


def _tick_box(name, box_id, label, ticked, value=None, extra=""):
    value = f' value="{_e(value)}"' if value is not None else ""
    return (
        '\n<div class="govuk-checkboxes__item">\n'
        f'  <input type="checkbox" name="{name}"{value} class="govuk-checkboxes__input"'
        f' id="{box_id}"{extra}{" checked" if ticked else ""}>\n'
        f'  <label class="govuk-label govuk-checkboxes__label" for="{box_id}">{_e(label)}</label>\n'
        "</div>"
    )


def _withdrawn_box(box):
    """The tick box that lists withdrawn tasks too, with its hint."""
    box_id = box.auto_id
    return (
        '<div class="govuk-checkboxes__item">\n'
        f'  <input class="govuk-checkboxes__input" id="{box_id}" name="{box.html_name}"'
        f' type="checkbox"{" checked" if box.value() else ""} aria-describedby="{box_id}-hint">\n'
        f'  <label class="govuk-label govuk-checkboxes__label" for="{box_id}">{_e(box.label)}</label>\n'
        f'  <div id="{box_id}-hint" class="govuk-hint govuk-checkboxes__hint">Withdrawn key tasks'
        " are no longer live work: the counts leave them out.</div>\n"
        "</div>"
    )


def tick_boxes(legend, boxes, field=None):
    """A fieldset of small GOV.UK checkboxes. `boxes` are (name, id, label, ticked,
    value); `field`, when given, is the one field they all belong to, whose errors
    are shown and tie the boxes to its message."""
    errors = field.errors if field is not None else ()
    described = f' aria-describedby="{field.auto_id}_error"' if errors else ""
    invalid = ' aria-invalid="true"' if errors else ""
    items = "".join(
        _tick_box(name, box_id, label, ticked, value, invalid)
        for name, box_id, label, ticked, value in boxes
    )
    return (
        f'<div class="{_group_class(errors)}">\n'
        f'<fieldset class="govuk-fieldset"{described}>\n'
        f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{_e(legend)}</legend>\n'
        f"{_error_message(field, errors) if errors else ''}\n"
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
        f"{items}\n"
        "</div>\n</fieldset>\n</div>"
    )


def date_field(field, hint):
    """A GOV.UK date input in its fieldset, with a hint, as includes/_date_field.html
    writes it (legend: the field's label, size s)."""
    errors = field.errors
    field_id = field.auto_id
    described = f"{field_id}_hint" + (f" {field_id}_error" if errors else "")
    return (
        f'<div class="{_group_class(errors)}">\n'
        f'  <fieldset class="govuk-fieldset" role="group" aria-describedby="{described}">\n'
        f'    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{_e(field.label)}'
        "</legend>\n"
        f'    <div id="{field_id}_hint" class="govuk-hint">{_e(hint)}</div>\n'
        f"    {_error_message(field, errors, '<br>') if errors else ''}\n"
        f"    {field}\n"
        "  </fieldset>\n</div>"
    )


def comparison_fields(form, choices):
    """The "compare with" fields of a GET form: a past board meeting (`choices`, the
    meetings as (value, label, selected), from ratings.Meetings.choices), or another
    date. `form` is a filters.ComparisonForm."""
    field = form["since"]
    errors = field.errors
    field_id = field.auto_id
    options = "".join(
        f'<option value="{_e(value)}"{" selected" if selected else ""}>{_e(label)}</option>'
        for value, label, selected in choices
    )
    error_class = " govuk-select--error" if errors else ""
    described = f' aria-describedby="{field_id}_error"' if errors else ""
    since = (
        f'<div class="{_group_class(errors)}">\n'
        f'  <label class="govuk-label govuk-label--s" for="{field_id}">{_e(field.label)}</label>\n'
        f"  {_error_message(field, errors) if errors else ''}\n"
        f'  <select class="govuk-select{error_class}" id="{field_id}" name="{field.html_name}"'
        f"{described}>\n    {options}\n  </select>\n</div>\n"
    )
    other = date_field(
        form["other"], "For example, 27 3 2019. It wins over the meeting when given."
    )
    return mark_safe(since + other)  # noqa: S308 (every value is escaped or safe HTML)


def task_list_controls(filters, section_options, agency_options, rag_options):
    """The task list's filters' controls, by name, for the page's layout
    (templates/actionplans/task_list.html): `filters` is a filters.TaskFilter, the
    options its `options` of each choice."""
    form = filters.form
    rag = form["rag"]
    only_with = [form[name] for name in ("overdue", "stale", "changed")]
    controls = {
        "q": text_or_select(form["q"]),
        "section": text_or_select(form["section"], section_options),
        "agency": text_or_select(form["agency"], agency_options),
        "rag": tick_boxes(
            rag.label,
            [
                ("rag", f"{rag.auto_id}_{i}", label, chosen, value)
                for i, (value, label, chosen) in enumerate(rag_options)
            ],
            field=rag,
        ),
        "only_with": tick_boxes(
            "Only key tasks with",
            [(box.html_name, box.auto_id, box.label, box.value(), None) for box in only_with],
        ),
        "withdrawn": _withdrawn_box(form["withdrawn"]),
    }
    return {name: mark_safe(html) for name, html in controls.items()}  # noqa: S308
