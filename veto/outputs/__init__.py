"""The outputs: rendering rows and reports, Finnish number and date formats, documents."""
