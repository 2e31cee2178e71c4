"""The exceptions of docker_schema1, with Quay's names.

Both backends raise exactly these classes. ``ManifestException`` also derives from
``ValueError`` so that callers catching bad input generically keep working.
"""

from __future__ import annotations

__all__ = ["InvalidSchema1Signature", "MalformedSchema1Manifest", "ManifestException"]


class ManifestException(ValueError):
    """Base class of every error about a manifest."""


class MalformedSchema1Manifest(ManifestException):
    """The manifest is not valid schema 1: bad JSON, structure, digest or layer metadata."""


class InvalidSchema1Signature(ManifestException):
    """A signature of the manifest is missing, unsupported or does not verify."""
