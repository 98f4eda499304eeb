"""Spreadsheet exports that cannot run formulas (CSV injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel and LibreOffice: ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` typed into a public form
runs when an editor opens the export. Such cells get a leading apostrophe, which spreadsheets show
as plain text. Every CSV the site writes goes through ``neutralise_formula`` — our own exports
directly, Wagtail's exports (form submissions, reports) through ``FormulaSafeExportMixin``.
Wagtail's XLSX export already stores such cells as text.
https://owasp.org/www-community/attacks/CSV_Injection
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """For Wagtail views with ``SpreadsheetExportMixin``: every CSV cell goes through
    ``neutralise_formula``. https://docs.wagtail.org/en/stable/reference/viewsets.html#wagtail.admin.viewsets.model.ModelViewSet.list_export
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == SpreadsheetExportMixin.FORMAT_CSV:
            return neutralise_formula(value)
        return value
