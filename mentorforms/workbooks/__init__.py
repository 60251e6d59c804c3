"""The workbook boundary: the one way text reaches a cell (safe_cell), the printed Form sheet,
the machine sheet, and a submission workbook written and read back (workbook)."""
