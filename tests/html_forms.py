"""Read a form out of a rendered page the way a browser would submit it.

Tests post what the page really offers (hidden version, ids, pre-filled text, the
checked radios) rather than a hand-built dict that could drift from the template.
"""

from html.parser import HTMLParser

from django.utils.datastructures import MultiValueDict


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (action, MultiValueDict)
        self._form = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = (attrs.get("action", ""), MultiValueDict())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            self._form[1].appendlist(attrs["name"], attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # HTML drops one newline straight after <textarea>.
            self._form[1].appendlist(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "form":
            self._form = None


def read_form(response, action_endswith="/update/") -> dict:
    """The fields of the page's form whose action ends with `action_endswith`, as a
    dict of name -> value (lists for repeated names), csrf token left out."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    for action, data in reader.forms:
        if action.endswith(action_endswith):
            fields = {key: data.getlist(key) for key in data if key != "csrfmiddlewaretoken"}
            return {
                key: values[0] if len(values) == 1 else values for key, values in fields.items()
            }
    raise AssertionError(f"No form posting to *{action_endswith} on the page")
