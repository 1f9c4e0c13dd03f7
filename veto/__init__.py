"""veto: case records, forms and funder reports for supported-employment coaching."""

__version__ = "0.1.0"
