"""The admin's export of form submissions, without spreadsheet formulas (cms.spreadsheets)."""

from wagtail.contrib.forms.views import SubmissionsListView

from cms.spreadsheets import FormulaSafeExportMixin


class FormulaSafeSubmissionsListView(FormulaSafeExportMixin, SubmissionsListView):
    pass
