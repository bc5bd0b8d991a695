"""The browser's own date and time pickers, with the ISO value format they require.

``<input type="date">`` and ``type="datetime-local"`` send and expect ISO values
whatever the user's language (the browser shows them in the user's locale), so
the widgets render ISO and the matching fields should accept it (``DATETIME_INPUT_FORMAT``).
"""

from __future__ import annotations

from typing import Any

from django import forms

DATE_INPUT_FORMAT = "%Y-%m-%d"
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATE_INPUT_FORMAT, **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_INPUT_FORMAT, **kwargs)
