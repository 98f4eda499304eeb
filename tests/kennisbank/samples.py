"""Real sample files generated with the same libraries people's word processors produce."""

import io


def make_pdf(paragraphs, title="", creation_date=None):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if title:
        pdf.setTitle(title)
    y = 800
    for paragraph in paragraphs:
        pdf.drawString(50, y, paragraph)
        y -= 20
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(paragraphs, title=""):
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "tabelcel"
    table.rows[0].cells[1].text = "vrijwilligers"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt(paragraphs, title=""):
    from odfdo import Document, Header, List, ListItem, Paragraph

    document = Document("text")
    document.body.clear()
    if title:
        document.meta.set_title(title)
    document.body.append(Header(1, "Kop van het document"))
    for paragraph in paragraphs:
        document.body.append(Paragraph(paragraph))
    item_list = List()
    item_list.append(ListItem("lijstpunt in een opsomming"))
    document.body.append(item_list)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BROKEN_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without trailer"
BROKEN_DOCX = b"PK\x03\x04 this is not really a zip archive"
