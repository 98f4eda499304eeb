"""Admin form of the kennisbank items: choices limited to the page's own language."""

from wagtail.admin.forms import WagtailAdminPageForm


class KennisbankItemPageForm(WagtailAdminPageForm):
    """Offers only the themes (and stadsdorpen) in the page's own language.

    Themes and stadsdorp pages exist once per language; without this, an editor of a Dutch
    report would see every theme twice (Dutch and English) and could pick the wrong one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
        if not locale_id:
            return
        for name in ("themes", "participating_stadsdorpen"):
            if name in self.fields:
                field = self.fields[name]
                field.queryset = field.queryset.filter(locale_id=locale_id)
        if "themes" in self.fields:
            self.fields["themes"].queryset = self.fields["themes"].queryset.order_by("name")
        if "participating_stadsdorpen" in self.fields:
            self.fields["participating_stadsdorpen"].queryset = self.fields[
                "participating_stadsdorpen"
            ].queryset.order_by("title")
