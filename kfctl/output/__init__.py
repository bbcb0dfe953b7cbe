"""Terminal output: consoles, tables, YAML/JSON printers, diffs, progress.  Decides nothing."""
