"""`veto import table`: the coaches' own spreadsheets and CSV files, read through a column
mapping into the records of the tracking workbook, and stored all or nothing."""
