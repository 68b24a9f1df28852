"""JSON answers hold no markup characters, and read back as what was put in."""

from __future__ import annotations

import json

from plg_platform.responses import json_response


def test_markup_characters_go_out_escaped_and_read_back_the_same():
    data = {"text": "<b>Tom & Jerry</b>", "errors": ["</script><script>x()</script>"], "n": 3}

    response = json_response(data, status=409)

    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    for character in b"<>&":
        assert bytes([character]) not in response.content
    assert json.loads(response.content) == data
