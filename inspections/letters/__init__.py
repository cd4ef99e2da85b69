"""Reading an inspectorates' findings letter (PDF) into an inspection, its findings and
the deadline for the written statement of action.

The reading is in layers, each a module named for what it knows:

- `text`: the PDF's text layer as lines, with their positions and fonts, without
  page numbers, running headers and footers, footnotes or footnote markers;
- `structure`: headings and lists: which list a line belongs to (strengths, areas for
  improvement, areas for priority action), the agency sub-heading it sits under, and
  each finding's whole text, joined across lines and pages;
- `dates`: the letter's date, the fieldwork dates and the deadlines of "Next steps";
- `result`: `LetterReading`, the plain result (and its JSON form for `read_letter`);
- `reader`: puts them together and says when a PDF is not a findings letter;
- `limits`: runs a reading in a child process with a time and memory limit, so a hostile
  PDF cannot hold a web worker;
- `services`, `forms`, `views`: the browser flow that writes what was read.

The library is pdfplumber (on pdfminer.six): unlike a text dump, it gives every
character with its position, size and font name, which is what tells a heading (bold) from
body text, a bullet (a Wingdings or Symbol glyph) from a letter, a footnote marker (a
smaller, raised digit) from a number, and a page's running header from the text. pypdfium2
renders and extracts text faster but does not expose per-character font names as simply.
Nothing here imports Django below `services`, so the child process starts quickly.
"""

from .reader import read_letter
from .result import LetterFinding, LetterReading
from .text import LetterRefused

__all__ = ["LetterFinding", "LetterReading", "LetterRefused", "read_letter"]
