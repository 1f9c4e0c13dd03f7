"""The tracking workbook (seurantaexcel): its layout, export and import."""
