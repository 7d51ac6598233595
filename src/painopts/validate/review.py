"""The review policy: a file reviewed too long ago, sources never checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from painopts.codes import problem
from painopts.model import (
    KnowledgeBase,
    Problem,
)


def overdue(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    """The overdue review, if the file declares a review interval and ``today`` is past it.

    Display commands show this as a warning on every run (it depends on the day, so it is never
    cached).
    """
    interval = kb.meta.review_interval_days
    if interval is None:
        return
    try:
        due = kb.meta.last_reviewed + dt.timedelta(days=interval)
    except OverflowError:  # a review date near the end of the calendar: never due
        return
    if today > due:
        message = (
            f"last reviewed {kb.meta.last_reviewed.isoformat()}, more than {interval} days "
            f"before {today.isoformat()}; the review was due {due.isoformat()}"
        )
        yield problem("PO324", message, ("meta", "last_reviewed"))


def review_policy(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    """Problems with the review policy, judged on ``today``: an overdue review, unchecked sources.

    Applies only to a file that declares ``meta.review_interval_days``.
    """
    if kb.meta.review_interval_days is None:
        return
    yield from overdue(kb, today)
    for index, source in enumerate(kb.sources):
        if source.checked is None:
            message = f"source '{source.id}' does not say when it was last checked"
            yield problem("PO325", message, ("sources", index))
