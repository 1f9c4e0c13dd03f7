"""The funder's result tables, computed in SQL from the store."""
