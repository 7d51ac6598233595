"""The display commands: each one loads the knowledge file, builds a view and emits it."""

from __future__ import annotations

from typing import Annotated

import typer

from painopts.cli.app import app
from painopts.cli.options import (
    ArticleOption,
    ConditionOption,
    ReviewUrlOption,
    TreatmentArgument,
    complete_attributes,
    complete_treatments,
    condition_of,
    format_option,
    output_option,
)
from painopts.cli.session import (
    choose,
    emit,
    load_for,
)
from painopts.model import (
    Verdict,
    resolve_attribute,
    resolve_treatment,
)
from painopts.render import (
    Format,
)
from painopts.views import audit, catalog, claims, compare
from painopts.views.scope import scoped


@app.command("compare", short_help="The bottom line, then treatments side by side.")
def compare_command(
    ctx: typer.Context,
    treatments: Annotated[
        list[str] | None,
        typer.Argument(
            help="Two or more treatments: id, name or alias (e.g. ketamine opioids).",
            autocompletion=complete_treatments,
            show_default=False,
            metavar="TREATMENT",
        ),
    ] = None,
    attributes: Annotated[
        list[str] | None,
        typer.Option(
            "--attr",
            help="Only this attribute (repeat for more).",
            metavar="ATTRIBUTE",
            autocompletion=complete_attributes,
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every treatment.")] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Every detail, source, effect and claim.")
    ] = False,
    long: Annotated[
        bool, typer.Option("--long", help="Tidy rows: one per treatment and attribute.")
    ] = False,
    condition: ConditionOption = None,
    article: ArticleOption = None,
    fmt: Annotated[Format | None, format_option("compare")] = None,
    output: Annotated[str | None, output_option("compare")] = None,
) -> None:
    """The bottom line, then the treatments side by side; --full gives every detail.

    Examples: painopts compare ketamine opioids;
    painopts compare exercise psychological-therapy --condition fibromyalgia;
    painopts compare --all --attr addiction_risk -f csv --long
    """
    kb = scoped((loaded := load_for(ctx)).kb, article)
    about = condition_of(kb, condition)
    chosen = compare.choose(kb, treatments or [], every)
    rows = [resolve_attribute(kb, name) for name in attributes or []]
    if long:
        document = compare.long_form(kb, chosen, rows)
    else:
        fmt = choose(ctx, "compare", fmt, output)
        document = compare.compare(kb, chosen, rows, full or fmt.complete, about)
    emit(ctx, loaded, document, fmt, output)


@app.command("list", short_help="List the treatments and their place in therapy.")
def list_command(
    ctx: typer.Context,
    condition: ConditionOption = None,
    fmt: Annotated[Format | None, format_option("list")] = None,
    output: Annotated[str | None, output_option("list")] = None,
) -> None:
    """List the treatments: class, route, US schedule, place in therapy.

    With --condition, only those with a guideline position or a figure for that condition.
    Example: painopts list --condition neuropathic
    """
    kb = (loaded := load_for(ctx)).kb
    emit(ctx, loaded, catalog.list_view(kb, condition_of(kb, condition)), fmt, output)


@app.command("show")
def show_command(
    ctx: typer.Context,
    treatment: TreatmentArgument,
    condition: ConditionOption = None,
    fmt: Annotated[Format | None, format_option("show")] = None,
    output: Annotated[str | None, output_option("show")] = None,
) -> None:
    """Show one treatment in full, with the claims about it (its figures for one condition).

    Example: painopts show Ketalar --condition crps
    """
    kb = (loaded := load_for(ctx)).kb
    chosen = resolve_treatment(kb, treatment)
    emit(ctx, loaded, catalog.show(kb, chosen, condition_of(kb, condition)), fmt, output)


@app.command("claims")
def claims_command(
    ctx: typer.Context,
    claim: Annotated[
        str | None,
        typer.Argument(help="One claim id: show it in full.", metavar="CLAIM", show_default=False),
    ] = None,
    treatment: Annotated[
        list[str] | None,
        typer.Option(
            "--treatment",
            help="Only claims about this treatment (repeat for any of several).",
            autocompletion=complete_treatments,
            metavar="TREATMENT",
        ),
    ] = None,
    verdict: Annotated[
        list[Verdict] | None,
        typer.Option(
            "--verdict",
            help="Only claims with this verdict (repeat for any of several).",
            case_sensitive=False,
            metavar="VERDICT",
        ),
    ] = None,
    article: Annotated[
        list[str] | None,
        typer.Option(
            "--article",
            help="Only claims of this article (id; repeat for any of several).",
            metavar="ARTICLE",
        ),
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", help="Each claim with its assessment and sources.")
    ] = False,
    fmt: Annotated[Format | None, format_option("claims")] = None,
    output: Annotated[str | None, output_option("claims")] = None,
    review_url: ReviewUrlOption = None,
) -> None:
    """A verdict tally and the article's claims, one line each; one claim id shows it in full.

    Examples: painopts claims --verdict contradicted; painopts claims ketamine-not-addictive;
    painopts claims -f claimreview --review-url https://example.org/review
    """
    one = article[0] if article and len(article) == 1 else None  # several: a filter only
    kb = scoped((loaded := load_for(ctx)).kb, one)
    fmt = choose(ctx, "claims", fmt, output)
    about = [resolve_treatment(kb, name) for name in treatment or []]
    if claim is not None:
        document = claims.claim_view(kb, claim, filtered=bool(about or verdict or article))
    else:
        chosen = claims.select_claims(kb, about, verdict or (), article or ())
        document = claims.claims_view(kb, chosen, long=long or fmt.complete)
    emit(ctx, loaded, document, fmt, output, review_url=review_url)


@app.command("sources")
def sources_command(
    ctx: typer.Context,
    cited_by: Annotated[
        str | None,
        typer.Option(
            "--cited-by", help="Only sources cited by this treatment or claim (id).", metavar="ID"
        ),
    ] = None,
    fmt: Annotated[Format | None, format_option("sources")] = None,
    output: Annotated[str | None, output_option("sources")] = None,
) -> None:
    """List the sources: title, publisher, year, type, link.

    Example: painopts sources --cited-by ketamine-not-addictive
    """
    kb = (loaded := load_for(ctx)).kb
    keys = catalog.cited_by(kb, cited_by) if cited_by is not None else ()
    emit(ctx, loaded, catalog.sources_view(kb, keys), fmt, output)


@app.command("info")
def info_command(
    ctx: typer.Context,
    fmt: Annotated[Format | None, format_option("info")] = None,
    output: Annotated[str | None, output_option("info")] = None,
) -> None:
    """Show the knowledge file's version, review date and policies."""
    loaded = load_for(ctx)
    document = catalog.info(loaded.kb, loaded.name, loaded.sha256, loaded.layers)
    emit(ctx, loaded, document, fmt, output)


@app.command("report")
def report_command(
    ctx: typer.Context,
    condition: ConditionOption = None,
    article: ArticleOption = None,
    fmt: Annotated[Format | None, format_option("report")] = None,
    output: Annotated[str | None, output_option("report")] = None,
    review_url: ReviewUrlOption = None,
) -> None:
    """Write one printable document (Markdown unless asked): comparison, claims, audit, sources.

    Example: painopts report -f html -o report.html
    """
    kb = scoped((loaded := load_for(ctx)).kb, article)
    document = claims.report(kb, condition_of(kb, condition))
    emit(ctx, loaded, document, fmt, output, Format.MARKDOWN, review_url)


@app.command("audit", short_help="Rate the article on HealthNewsReview, DISCERN and JAMA.")
def audit_command(
    ctx: typer.Context,
    article: ArticleOption = None,
    fmt: Annotated[Format | None, format_option("audit")] = None,
    output: Annotated[str | None, output_option("audit")] = None,
) -> None:
    """Rate the article as a source: HealthNewsReview's criteria, DISCERN, the JAMA benchmarks.

    Each criterion gets a rating, a one-line reason and its sources; each instrument a score
    by its own rule. Example: painopts audit -f markdown -o audit.md
    """
    loaded = load_for(ctx)
    emit(ctx, loaded, audit.audit(scoped(loaded.kb, article), article), fmt, output)
