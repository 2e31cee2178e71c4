"""Every public name, and every public member of the public classes, has a docstring."""

from __future__ import annotations

import inspect

import docker_schema1

CLASSES = [
    docker_schema1.DockerSchema1Manifest,
    docker_schema1.DockerSchema1ManifestBuilder,
    docker_schema1.Digest,
    docker_schema1.Bytes,
]


def test_public_names_have_docstrings() -> None:
    missing = [
        name
        for name in docker_schema1.__all__
        if not name.isupper() and not inspect.getdoc(getattr(docker_schema1, name))
    ]
    assert missing == []


def test_public_members_have_docstrings() -> None:
    missing = []
    for cls in CLASSES:
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            target = member.fget if isinstance(member, property) else member
            if isinstance(target, (staticmethod, classmethod)):
                target = target.__func__
            if callable(target) and not (target.__doc__ or "").strip():
                missing.append(f"{cls.__name__}.{name}")
    assert missing == []
