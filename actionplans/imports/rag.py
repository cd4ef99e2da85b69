"""RAG ratings as plans give them: the plan's own words, Red/Amber/Green, R/A/G, a number
explained by a key, or only the colour a cell is shaded.

A `RagKey` is what the document's key taught us: the label of each colour and, when the
key numbers them, which number is which colour. Each colour is the rating of the same
name; blue is the fourth colour of the plans that rate BRAG ("completed and embedded",
beyond green), and a plan read with blue in its key or its cells uses it
(`ParsedPlan.uses_blue`).
"""

import colorsys
import re
from dataclasses import dataclass, field

from ..models import Rag

RED, AMBER, GREEN, BLUE = Rag.RED.value, Rag.AMBER.value, Rag.GREEN.value, Rag.BLUE.value

_COLOUR_WORDS = {
    "red": RED,
    "r": RED,
    "amber": AMBER,
    "a": AMBER,
    "yellow": AMBER,
    "orange": AMBER,
    "green": GREEN,
    "g": GREEN,
    "blue": BLUE,
    "b": BLUE,
}
# Words plans use for a rating when the key does not name them. Blue comes first: its
# words contain green's ("completed and embedded").
_SYNONYMS = {
    BLUE: ("completed and embedded", "complete and embedded", "embedded"),
    GREEN: ("completed", "complete", "done", "achieved", "closed"),
    AMBER: ("on track", "in progress", "ongoing", "on-going", "progressing", "started"),
    RED: ("behind schedule", "behind", "off track", "delayed", "overdue", "at risk", "late"),
}
_WORD = re.compile(r"[a-z]+")
_LEADING_COLOUR = re.compile(r"^(red|amber|yellow|orange|green|blue|r|a|g|b)\b(?![/'’])")
_NUMBER = re.compile(r"^\d{1,2}$")
# One line of a key: "1 = Red - Behind schedule", "Red: Behind schedule", "R – Behind
# schedule", "1 – Behind schedule (red)". A colour needs a separator after it, so that
# ordinary sentences ("A review of...", "Red flags raised") are never taken for a key.
_KEY_LINE = re.compile(
    r"^\s*(?:(?P<number>\d)\s*(?:[=:.)–-]\s*|\s+))?"
    r"(?:(?P<colour>red|amber|yellow|orange|green|blue|[ragb])\s*(?:[=:–-]\s*|$))?"
    r"(?P<label>[^()]*?)\s*(?:\((?P<colour_after>red|amber|yellow|orange|green|blue)\))?\s*$",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def colour_of_fill(fill: str | None) -> str | None:
    """The RAG colour a shading fill ("FF0000", "92D050", "FFC000") stands for, if any.

    Read by hue so that every red, amber and green Word offers counts; pale or grey
    fills (table styles, headers) stand for no rating.
    """
    if not fill or not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return None
    red, green, blue = (int(fill[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < 0.3 or value < 0.35:
        return None
    degrees = hue * 360
    if degrees < 20 or degrees >= 330:
        return RED
    if degrees < 70:
        return AMBER
    if degrees < 170:
        return GREEN
    if degrees < 260:
        return BLUE
    return None


# Word's highlighter colours (w:highlight) as fills.
HIGHLIGHT_FILLS = {
    "red": "FF0000",
    "darkRed": "8B0000",
    "yellow": "FFFF00",
    "darkYellow": "808000",
    "green": "00FF00",
    "darkGreen": "006400",
    "blue": "0000FF",
}


@dataclass
class RagKey:
    labels: dict[str, str] = field(default_factory=dict)  # colour -> label as written
    numbers: dict[str, str] = field(default_factory=dict)  # "1" -> colour

    def learn(self, colour: str | None, label: str = "", number: str | None = None) -> None:
        if colour is None:
            return
        label = label.strip(" \t:=–-")
        if label and colour not in self.labels and len(label) <= 60:
            self.labels[colour] = label
        if number and number not in self.numbers:
            self.numbers[number] = colour

    def learn_line(self, text: str, fill: str | None = None) -> bool:
        """Learn from one line of a key; True when the line was a key line."""
        if len(text) > 80:
            return False
        match = _KEY_LINE.match(text)
        if not match:
            return False
        word = (match["colour"] or match["colour_after"] or "").lower()
        colour = _COLOUR_WORDS.get(word) or colour_of_fill(fill)
        label = match["label"] or ""
        if colour is None or not (label or word) or (not word and len(label) > 40):
            return False
        # A line that is only a colour ("Red") names that rating with the colour's name.
        self.learn(colour, label or word.title(), match["number"])
        return True

    def merge(self, other: "RagKey") -> None:
        """Take what another part of the document taught, keeping what was learned first."""
        for colour, label in other.labels.items():
            self.labels.setdefault(colour, label)
        for number, colour in other.numbers.items():
            self.numbers.setdefault(number, colour)

    @property
    def colours(self) -> int:
        """How many colours it explains: a key explains at least two."""
        return len(set(self.labels) | set(self.numbers.values()))

    def plan_labels(self) -> dict[str, str]:
        """The plan's label for each of the model's ratings, as far as the key gives them."""
        return {c: self.labels[c] for c in (RED, AMBER, GREEN, BLUE) if c in self.labels}


def read_rag(
    text: str, fill: str | None, key: RagKey, labels: dict[str, str], unrated_label: str
) -> tuple[str, str | None]:
    """(rating, warning or None) for one RAG cell. The text wins over the shading."""
    raw = text.strip()
    words = normalise(raw) or (raw if _NUMBER.match(raw) else "")
    from_fill = colour_of_fill(fill)
    if not words:
        return (from_fill or ""), None
    rating = _rating_from_words(words, raw, key, labels, unrated_label)
    if rating is None:
        if from_fill:
            return from_fill, None
        return "", f'RAG "{raw}" is not a rating the plan\'s key explains: left not yet rated.'
    if from_fill and from_fill != rating:
        return rating, f'The RAG cell says "{raw}" but is shaded {from_fill}: the words were used.'
    return rating, None


def _rating_from_words(words, raw, key, labels, unrated_label) -> str | None:
    for colour, label in labels.items():
        if words == normalise(label):
            return colour
    for colour, label in key.labels.items():
        if words == normalise(label):
            return colour
    if words in {normalise(unrated_label), "not yet rated", "not rated", "n a", "tbc"}:
        return ""
    if _NUMBER.match(raw):
        return key.numbers.get(raw)
    match = _LEADING_COLOUR.match(words)
    if match:
        return _COLOUR_WORDS[match[1]]
    for colour, synonyms in _SYNONYMS.items():
        if words in synonyms:
            return colour
    # The longest label a cell's words hold: "Completed and embedded" before "Completed".
    for colour, label in sorted(labels.items(), key=lambda item: -len(normalise(item[1]))):
        if normalise(label) and normalise(label) in words:
            return colour
    for colour, synonyms in _SYNONYMS.items():
        if any(re.search(rf"\b{s}\b", words) for s in synonyms):
            return colour
    return None
