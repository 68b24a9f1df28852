"""JSON answers that repeat no markup: `<`, `>` and `&` go out as \\u escapes.

Browsers never render our JSON as HTML (it is sent as application/json with nosniff), but some
answers repeat what a person typed (the live notes' autosave, form errors). Escaping them the
way `json_script` does keeps a raw `<script>` out of every answer, whatever reads it later.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse

_MARKUP_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class MarkupSafeJSONEncoder(DjangoJSONEncoder):
    def encode(self, o: Any) -> str:
        # Inside JSON strings these escapes read back as the same characters.
        return super().encode(o).translate(_MARKUP_ESCAPES)


def json_response(data: dict[str, Any], *, status: int = 200) -> JsonResponse:
    """A JsonResponse whose text holds no `<`, `>` or `&`."""
    return JsonResponse(data, status=status, encoder=MarkupSafeJSONEncoder)
