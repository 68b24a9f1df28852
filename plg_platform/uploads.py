"""Uploaded files, one set of rules for every app: what may be uploaded and how it is handed out.

Files are never served from MEDIA_URL: a view checks access first and then calls
`attachment_response`, which sends the file as a download the browser will not run.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from django import forms
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models.fields.files import FieldFile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Common office documents, plain text, pictures and video; nothing a browser would run.
UPLOAD_EXTENSIONS = (
    *("pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "odt", "odp", "ods", "txt"),
    *("jpg", "jpeg", "png", "mp4"),
)


def upload_problems(file: UploadedFile) -> list[str]:
    """Why a file cannot be uploaded (empty list: it can), in the user's language."""
    problems = []
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in UPLOAD_EXTENSIONS:
        problems.append(
            _("Files of this type cannot be added. Allowed: %(extensions)s.")
            % {"extensions": ", ".join(UPLOAD_EXTENSIONS)}
        )
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        problems.append(_("The file is larger than 10 MB. Add a link to it instead."))
    elif not file.size:
        problems.append(_("The file is empty."))
    return problems


def _upload_help() -> str:
    return _("At most 10 MB; allowed: %(extensions)s.") % {
        "extensions": ", ".join(UPLOAD_EXTENSIONS)
    }


# Translated when shown, in the reader's language (a lazy string with % would be fixed at import).
_upload_help_lazy = lazy(_upload_help, str)


def upload_field() -> forms.FileField:
    """An optional file input that tells the limits (the service checks them)."""
    return forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        max_length=150,
        help_text=_upload_help_lazy(),
        widget=forms.FileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in UPLOAD_EXTENSIONS)}
        ),
    )


def attachment_response(file: FieldFile) -> FileResponse:
    """Hand out a stored file as a download, only after the caller checked access; 404 if gone."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True, filename=PurePath(file.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_errors(*, url: str, file: UploadedFile | None) -> dict[str, list[str]]:
    """Check "a link or a file, not both" and the upload rules; field errors for a service."""
    if url and file:
        return {"__all__": [_("Add either a link or a file, not both.")]}
    if not url and not file:
        return {"__all__": [_("Add a link or choose a file.")]}
    problems = upload_problems(file) if file else []
    return {"file": problems} if problems else {}


def delete_file_on_commit(fieldfile: FieldFile) -> None:
    """Remove a stored file once the surrounding transaction commits (kept if it rolls back)."""
    # Read name and storage now: the row and its FieldFile may be gone by the time of the commit.
    name, storage = fieldfile.name, fieldfile.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
