import re


class InvalidDigestException(RuntimeError):
    pass


class Digest:
    """``alg:hex``; equal only to another ``Digest`` of this module, hashed as a tuple."""

    def __init__(self, hash_alg, hash_bytes):
        self._hash_alg = hash_alg
        self._hash_bytes = hash_bytes

    def __str__(self):
        return f"{self._hash_alg}:{self._hash_bytes}"

    def __eq__(self, other):
        return isinstance(other, Digest) and str(self) == str(other)

    def __hash__(self):
        return hash((self._hash_alg, self._hash_bytes))

    @staticmethod
    def parse_digest(text):
        match = re.fullmatch(r"([A-Za-z0-9_+.-]+):([A-Fa-f0-9]+)", text)
        if match is None:
            raise InvalidDigestException(text)
        return Digest(match.group(1), match.group(2))

    @property
    def hash_alg(self):
        return self._hash_alg

    @property
    def hash_bytes(self):
        return self._hash_bytes
