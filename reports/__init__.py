"""The client reports: one Qt-free `ReportData` (reports.data), rendered as a PDF (reports.pdf)
and as a live Excel workbook (reports.xlsx); `reports.export.export_reports` does it all from a
database. reportlab and openpyxl are imported only when a report is actually rendered.
"""
