"""The domain rules: workflow, references, dates. Imports the store, never the command line."""
