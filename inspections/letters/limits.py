"""Read a letter in a child process with a time limit and a memory limit.

A PDF is a program of sorts: a crafted one can claim millions of pages, or hold a content
stream that inflates to gigabytes. Reading it in the web worker would let one upload hold
the worker (or the whole machine) for as long as the parser struggles. Here the reading
runs in a fresh Python process whose address space and CPU time are capped with
`setrlimit`, and which is killed when the wall-clock time runs out; the parent only ever
receives the small JSON result. The child imports nothing but this package, so it starts
in a fraction of a second.
"""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from .result import LetterReading
from .text import TOO_HARD, LetterRefused

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# -I (isolated mode) ignores PYTHONPATH and the working directory: the project root is
# passed as an argument instead.
# The child limits itself before it imports anything (no preexec_fn: forking a threaded
# web worker with one is unsafe).
CHILD_PROGRAM = (
    "import resource, sys; "
    "memory, cpu = int(sys.argv[2]), int(sys.argv[3]); "
    "resource.setrlimit(resource.RLIMIT_AS, (memory, memory)); "
    "resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1)); "
    "resource.setrlimit(resource.RLIMIT_CORE, (0, 0)); "
    "sys.path.insert(0, sys.argv[1]); "
    "from inspections.letters.limits import child; child()"
)


def read_letter_limited(
    data: bytes, *, seconds: float = 30, memory_mb: int = 1024
) -> LetterReading:
    """`read_letter(data)` run in a child process; LetterRefused on any failure."""

    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }
    try:
        finished = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
            [
                sys.executable,
                "-I",
                "-c",
                CHILD_PROGRAM,
                str(PROJECT_ROOT),
                str(memory_mb * 1024 * 1024),
                str(int(seconds) + 1),
            ],
            input=data,
            capture_output=True,
            timeout=seconds,
            env=environment,
            cwd=PROJECT_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LetterRefused(TOO_HARD, code="too_hard") from None
    try:
        answer = json.loads(finished.stdout)
    except ValueError:
        answer = None
    if finished.returncode != 0 or not isinstance(answer, dict):
        raise LetterRefused(TOO_HARD, code="too_hard")
    if "refused" in answer:
        raise LetterRefused(answer["refused"], code=answer["code"])
    return LetterReading.from_transport(answer["reading"])


def child() -> None:
    """The child's side: the PDF on stdin, one JSON object on stdout."""
    from .reader import read_letter

    data = sys.stdin.buffer.read()
    try:
        answer = {"reading": read_letter(data).to_transport()}
    except LetterRefused as refused:
        answer = {"refused": str(refused), "code": refused.code}
    json.dump(answer, sys.stdout, default=_iso)


def _iso(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))
