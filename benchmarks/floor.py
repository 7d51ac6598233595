"""Floor F: a ten-line Typer app that takes two arguments and prints a two-row Rich table."""

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def main(first: str, second: str) -> None:
    table = Table("name", "value")
    table.add_row(first, "1")
    table.add_row(second, "2")
    Console().print(table)


if __name__ == "__main__":
    app()
