"""The command line: typer apps, one module per command group.  Parsing and printing only."""
