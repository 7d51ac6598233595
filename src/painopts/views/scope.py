"""One article's view of the evidence base (``--article``): the other articles left out.

With several articles in one base (a file added on top of the bundled one), tallies, quality
scores and the treatments a report is about are per article. Each view is built on the base
as that article sees it, so no view needs to know that there are other articles.
"""

from __future__ import annotations

import dataclasses

from painopts.model import KnowledgeBase, UnknownNameError


def scoped(kb: KnowledgeBase, article_id: str | None) -> KnowledgeBase:
    """The base with only this article, its claims and its ratings (all of it for None).

    An unknown article is an UnknownNameError.
    """
    if article_id is None:
        return kb
    if kb.article(article_id) is None:
        raise UnknownNameError("article", article_id, [known.id for known in kb.articles])
    return dataclasses.replace(
        kb,
        articles=tuple(article for article in kb.articles if article.id == article_id),
        claims=tuple(claim for claim in kb.claims if claim.article == article_id),
        ratings=tuple(rating for rating in kb.ratings if rating.article == article_id),
    )
