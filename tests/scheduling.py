"""How pytest-xdist hands the tests to its workers (`make test` runs `pytest -n auto`).

pytest-xdist's `--dist loadgroup` no longer groups anything with pytest 9.2: it marks a
grouped test by appending "@group" to the test's id, and pytest 9.2 ignores that change
(pytest-xdist issue #1386). The letters accuracy tests were then spread over both workers,
and each worker read every letter, at the end of the run.

This scheduler does the grouping itself, from the test ids the workers collect, and hands
out the longest work first: a worker that starts a long piece last keeps the run going
after the other worker has finished. The rest follows in the order pytest collects it,
one test at a time, so the last pieces are short.
"""

from collections import OrderedDict

from xdist.scheduler import LoadGroupScheduling

# Modules run whole on one worker: their tests share a result computed once per process
# (and marked with `xdist_group`, which pytest-xdist honours again once it is fixed).
ONE_WORKER = ("tests/test_letters_accuracy.py",)

# Handed out first, in this order: the longest work (a whole-module unit above, then the
# browser tests, each a person's journey through several pages, the longest first).
FIRST = (
    *ONE_WORKER,
    "tests/browser/test_plan_life.py",
    "tests/browser/test_board_cycle.py",
    "tests/browser/test_fourth_colour.py",
    "tests/browser/",
    "tests/test_two_app_servers.py",
)


class LongestFirstScheduling(LoadGroupScheduling):
    """`--dist loadgroup` with the grouping of ONE_WORKER and the order of FIRST."""

    def __init__(self, config, log=None):
        super().__init__(config, log)
        self.ordered = False

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        if module in ONE_WORKER:
            return module
        return super()._split_scope(nodeid)

    @staticmethod
    def rank(scope: str) -> int:
        return next(
            (index for index, prefix in enumerate(FIRST) if scope.startswith(prefix)), len(FIRST)
        )

    def _assign_work_unit(self, node) -> None:
        if not self.ordered:
            # `schedule` has built the queue in collection order; sorted is stable.
            queue = sorted(self.workqueue.items(), key=lambda item: self.rank(item[0]))
            self.workqueue = OrderedDict(queue)
            self.ordered = True
        super()._assign_work_unit(node)
