"""A commented starting file for one more article, read on top of the bundled one (--add).

Its article and claim have the keys of the knowledge file's records in their order, as does
the draft that `painopts check -f yaml` writes, so a person can move between the two.
"""

from __future__ import annotations

import re

ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")
"""An id as the knowledge file spells one (the model's pattern and length)."""


TEMPLATE = """\
# One article checked against the bundled evidence: read it on top with
#   painopts --add THIS_FILE validate --strict
#   painopts --add THIS_FILE claims --article {article}
#   painopts --add THIS_FILE report --article {article}
# Everything in the bundled file can be referred to by id: treatments (painopts list),
# sources (painopts sources) and the instruments hnr-release, discern and jama.
# docs/knowledge-file.md describes every field; replace each TODO with what the article says.
articles:
  - id: {article}
    title: "TODO: the article's title"
    publisher: "TODO: who published it"
    type: other  # e.g. promotional-article, patient-information, editorial
    url: null  # where it was published (https://...), if known
    conflicts_of_interest: "TODO: declared or evident conflicts of interest, or none found"
    summary: "TODO: what the article argues, in a few neutral sentences"
    author: null  # who wrote it, as the article names them, if it does
    date_published: null  # YYYY-MM-DD, if the article says

# One record per claim; uncomment and copy this one.
# claims:
#   - id: {article}-first-claim
#     article: {article}
#     section: "TODO: where in the article"
#     quote: "TODO: a few of the article's own words"
#     paraphrase: "TODO: the claim in neutral words"
#     treatments: []                 # ids from painopts list
#     attribute: null                # the attribute it is about (painopts show), if one
#     topic: "TODO: what the claim is about"
#     verdict: supported             # partly-supported, misleading, unsupported, contradicted
#     assessment: "TODO: the verdict explained, with what the sources say"
#     sources: []                    # ids from painopts sources

# Ratings on the bundled instruments (see painopts audit for the criteria):
# ratings:
#   - article: {article}
#     instrument: hnr-release
#     basis: "TODO: what was read"
#     criteria:
#       - criterion: costs
#         rating: not-satisfactory   # satisfactory, not-applicable
#         reason: "TODO: why"
#         claims: [{article}-first-claim]
"""


def article_template(article_id: str) -> str:
    """The starting file for an article with this id, or ValueError for an id that is not one."""
    if not ID.match(article_id):
        raise ValueError("an id is lowercase letters, digits, '-' and '_' (at most 64)")
    return TEMPLATE.format(article=article_id)
