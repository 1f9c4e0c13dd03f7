"""The command line: one Typer app per noun. Commands parse, open the store, call the library,
render. No workflow rule, query or arithmetic lives here."""
