"""Internal links in rich text carry their full address for print: a printed guide is read on
paper, where "/nl/kennisbank/flyer/" leads nowhere (cms/static/css/print.css prints it)."""

from django.utils.html import escape

from wagtail.rich_text.pages import PageLinkHandler


class PrintablePageLinkHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        links = []
        for page in cls.get_many(attrs_list):
            if page is None:
                links.append("<a>")
                continue
            page = page.localized
            full_url = page.full_url or ""
            links.append(
                f'<a href="{escape(page.url or "")}" data-print-href="{escape(full_url)}">'
                if full_url
                else f'<a href="{escape(page.url or "")}">'
            )
        return links
