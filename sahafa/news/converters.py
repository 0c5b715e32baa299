"""Path converters for ids in reader addresses."""

from __future__ import annotations

from django.urls import register_converter

#: The largest id either database stores (a signed 64-bit integer). A larger number
#: in an address names nothing, and passed on to a query it overflows the driver
#: (SQLite: "Python int too large to convert to SQLite INTEGER").
MAX_ID = 2**63 - 1


class IdConverter:
    """Like Django's ``int``, but a number no row can have does not match the pattern
    (Django then tries the next one, and finally answers 404)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        # A ValueError here means "no match" to the resolver; 20 digits already exceed
        # MAX_ID, so a longer string is refused before int() reads it.
        if len(value) > 19 or int(value) > MAX_ID:
            raise ValueError("id out of range")
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


# Registered when this module is first imported (each URL module imports it); a
# second registration of the name would be refused by Django.
ID = "id"
register_converter(IdConverter, ID)
