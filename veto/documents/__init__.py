"""The four forms of the service as documents: the questions (`questions`), what goes on each
form (`context`, read from the store) and how it is printed (`render`: HTML, Markdown, PDF)."""
