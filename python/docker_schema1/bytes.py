"""``Bytes``: the byte-string wrapper Quay passes manifests around in."""

from __future__ import annotations

from .errors import MalformedSchema1Manifest

__all__ = ["Bytes"]


class Bytes:
    """Immutable encoded bytes with their text view."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        if not isinstance(data, bytes):
            raise TypeError(f"Bytes needs bytes, got {type(data).__name__}")
        self._data = data

    @classmethod
    def for_string_or_unicode(cls, value: str | bytes | Bytes) -> Bytes:
        """Wrap text (encoded as UTF-8) or UTF-8 bytes.

        Raises ``MalformedSchema1Manifest`` for bytes that are not UTF-8 and for text that
        cannot be encoded (lone surrogates).
        """
        if isinstance(value, Bytes):
            return value
        if isinstance(value, str):
            try:
                return cls(value.encode("utf-8"))
            except UnicodeEncodeError as e:
                raise MalformedSchema1Manifest(f"manifest text is not encodable: {e}") from None
        if isinstance(value, (bytearray, memoryview)):
            value = bytes(value)
        if not isinstance(value, bytes):
            raise TypeError(f"expected str or bytes, got {type(value).__name__}")
        try:
            value.decode("utf-8")
        except UnicodeDecodeError as e:
            raise MalformedSchema1Manifest(f"manifest bytes are not UTF-8: {e}") from None
        return cls(value)

    def as_encoded_str(self) -> bytes:
        """The bytes."""
        return self._data

    def as_unicode(self) -> str:
        """The bytes decoded as UTF-8."""
        return self._data.decode("utf-8")

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bytes) and self._data == other._data

    def __hash__(self) -> int:
        return hash(self._data)

    def __repr__(self) -> str:
        return f"Bytes({self._data[:40]!r}{'...' if len(self._data) > 40 else ''})"
