class Bytes:
    """Encoded bytes; like Quay's, it takes nothing but ``bytes``."""

    def __init__(self, data):
        assert isinstance(data, bytes)
        self._data = data

    @classmethod
    def for_string_or_unicode(cls, value):
        return cls(value.encode("utf-8") if isinstance(value, str) else value)

    def as_encoded_str(self):
        return self._data

    def as_unicode(self):
        return self._data.decode("utf-8")
