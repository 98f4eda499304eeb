"""The import as a screen: upload, see the per-row report, then "Inlezen" — nothing is saved before.

The preview is the importer's own dry run, so what the coordinator sees is exactly what will
happen. The uploaded file waits in ``MemberImport`` (private storage) until it is read in.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members_area.posting import no_access

from . import permissions
from .forms import ImportUploadForm
from .importer import ImportFileError, import_members
from .member_views import _chosen_stadsdorp
from .models import MemberImport
from .views import administration_view


def _run(member_import, dry_run):
    overrides = {}
    if member_import.binnenbuurt_column:
        overrides["binnenbuurt"] = member_import.binnenbuurt_column
    with member_import.file.open("rb") as handle:
        data = handle.read()
    return import_members(
        data, member_import.filename, member_import.stadsdorp, dry_run=dry_run, overrides=overrides
    )


@administration_view
@require_http_methods(["GET", "POST"])
def upload(request):
    stadsdorp, stadsdorpen = _chosen_stadsdorp(request)
    if stadsdorp is None:
        return no_access(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"stadsdorp": stadsdorp, "stadsdorpen": stadsdorpen, "form": form}
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        member_import = MemberImport.objects.create(
            stadsdorp=stadsdorp,
            uploaded_by=request.user,
            file=upload_file,
            filename=upload_file.name[:255],
            binnenbuurt_column=form.cleaned_data["binnenbuurt_column"],
        )
        try:
            context["result"] = _run(member_import, dry_run=True)
        except ImportFileError as error:
            member_import.file.delete()
            member_import.delete()
            form.add_error("file", str(error))
        else:
            context["member_import"] = member_import
    return render(request, "membership/import.html", context)


@administration_view
@require_POST
def apply_import(request, import_id):
    member_import = MemberImport.objects.filter(pk=import_id, applied_at__isnull=True).first()
    if member_import is None or not permissions.is_coordinator(
        request.user, member_import.stadsdorp
    ):
        return no_access(request)
    try:
        result = _run(member_import, dry_run=False)
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("membership:import")
    if not result.ok:
        messages.error(request, _("Er zijn fouten; er is niets opgeslagen. Verbeter het bestand."))
        return redirect("membership:import")
    member_import.applied_at = timezone.now()
    member_import.save(update_fields=["applied_at"])
    member_import.file.delete(save=False)
    messages.success(
        request, _("De ledenlijst is ingelezen: %(summary)s.") % {"summary": result.summary}
    )
    return redirect(f"{reverse('membership:members')}?stadsdorp={member_import.stadsdorp_id}")
