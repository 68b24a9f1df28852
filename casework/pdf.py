"""PDFs rendered by WeasyPrint from the same HTML as the printable pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

if TYPE_CHECKING:
    from django.http import HttpRequest


class PdfUnavailable(Exception):
    """This server cannot render PDFs (WeasyPrint's system libraries, such as Pango, are missing)."""


def render_pdf(request: HttpRequest | None, template: str, context: dict[str, Any]) -> bytes:
    """Render a template to HTML, then to PDF bytes (A4, as its print stylesheet says)."""
    # Imported here: WeasyPrint loads Pango and its fonts, which only PDF requests need.
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    from weasyprint.urls import URLFetcher

    class NoFetcher(URLFetcher):
        # The PDF templates carry their stylesheet inline. Fetching nothing means no text in
        # a report can make the server read a file or call another host.
        def fetch(self, url, headers=None):
            raise ValueError(f"The PDF renderer fetches no resources: {url}")

    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=NoFetcher())
    return document.write_pdf()


def merge_pdfs(parts: list[tuple[str, bytes]]) -> bytes:
    """Join PDFs into one, with a bookmark per part (title, content)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for title, content in parts:
        first_page = len(writer.pages)
        writer.append(io.BytesIO(content), import_outline=False)
        writer.add_outline_item(title=title, page_number=first_page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
