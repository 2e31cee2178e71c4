"""A small Docker Registry HTTP API v2 client on ``requests`` (the ``cli`` extra): image
references, manifests and blobs in and out, cross-repository mounts, and the three ways a
registry lets one in: anonymously, with HTTP Basic, or with a Bearer token fetched from the
realm its ``WWW-Authenticate`` challenge names (with the credentials, when given).

Errors are ``RegistryError`` (a ``RuntimeError``) naming the request and the status."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

try:
    import requests
except ImportError as e:  # pragma: no cover - depends on the install
    raise ImportError(
        "the registry client needs requests: pip install 'docker-schema1[cli]'"
    ) from e

__all__ = ["ImageReference", "RegistryClient", "RegistryError"]

CHUNK = 1 << 20
DEFAULT_REGISTRY = "registry-1.docker.io"


class RegistryError(RuntimeError):
    """A registry request that failed: refused, not found, or not reachable."""


_REFERENCE = re.compile(
    r"^(?:docker://)?(?P<name>[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*"
    r"|[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)+)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$"
)


@dataclass(frozen=True)
class ImageReference:
    """``[docker://][HOST[:PORT]/]NAME[:TAG][@DIGEST]``; the host defaults to Docker Hub
    (with ``library/`` for one-part names), the tag to ``latest``."""

    registry: str
    repository: str
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, text: str) -> ImageReference:
        match = _REFERENCE.match(text)
        if match is None:
            raise ValueError(f"not an image reference: {text!r}")
        name = match["name"]
        first, sep, rest = name.partition("/")
        if sep and ("." in first or ":" in first or first == "localhost"):
            registry, repository = first, rest
        elif name != name.lower():
            raise ValueError(f"not an image reference (upper case in the name): {text!r}")
        else:
            registry, repository = DEFAULT_REGISTRY, name
            if "/" not in repository:
                repository = f"library/{repository}"
        tag, digest = match["tag"], match["digest"]
        if tag is None and digest is None:
            tag = "latest"
        return cls(registry, repository, tag, digest)

    @property
    def ref(self) -> str:
        """What goes after ``/manifests/``: the digest when there is one, else the tag."""
        return self.digest or self.tag or "latest"

    def __str__(self) -> str:
        tail = (f":{self.tag}" if self.tag else "") + (f"@{self.digest}" if self.digest else "")
        return f"{self.registry}/{self.repository}{tail}"


_CHALLENGE_PARAM = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))')


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """``WWW-Authenticate: Scheme k="v", ...`` as ``(scheme in lower case, params)``."""
    scheme, _, rest = header.strip().partition(" ")
    params = {
        m[1].lower(): m[2] if m[2] is not None else m[3] for m in _CHALLENGE_PARAM.finditer(rest)
    }
    return scheme.lower(), params


class RegistryClient:
    """One registry. ``plain_http``: talk HTTP (for a loopback test registry); ``verify``:
    check TLS certificates (or a CA bundle path); ``username``/``password``: for Basic and
    for the token server."""

    def __init__(
        self,
        registry: str,
        *,
        username: str | None = None,
        password: str | None = None,
        plain_http: bool = False,
        verify: bool | str = True,
        session: requests.Session | None = None,
        timeout: float = 60.0,
    ) -> None:
        host = "registry-1.docker.io" if registry == "docker.io" else registry
        self.base = f"{'http' if plain_http else 'https'}://{host}"
        self.auth = (username, password or "") if username is not None else None
        self.session = session or requests.Session()
        self.session.verify = verify
        self.timeout = timeout
        self._tokens: dict[str, str] = {}
        self._basic = False

    # ---------------------------------------------------------------- auth

    def _headers(self, scope: str) -> dict[str, str]:
        if scope in self._tokens:
            return {"Authorization": f"Bearer {self._tokens[scope]}"}
        return {}

    def _authenticate(self, response: requests.Response, scope: str) -> bool:
        """Answer a 401's challenge; whether a retry can help."""
        scheme, params = parse_challenge(response.headers.get("WWW-Authenticate", ""))
        if scheme == "basic" and self.auth is not None and not self._basic:
            self._basic = True
            return True
        if scheme != "bearer" or "realm" not in params or scope in self._tokens:
            return False
        query: dict[str, str | list[str]] = {}
        if "service" in params:
            query["service"] = params["service"]
        # one `scope` parameter per scope, as the token spec has it
        wanted = (params.get("scope") or scope).split()
        if wanted:
            query["scope"] = wanted
        got = self.session.get(params["realm"], params=query, auth=self.auth, timeout=self.timeout)
        if got.status_code != 200:
            raise RegistryError(f"token from {params['realm']}: HTTP {got.status_code}")
        body = got.json()
        token = body.get("token") or body.get("access_token")
        if not isinstance(token, str):
            raise RegistryError(f"token from {params['realm']}: no token in the answer")
        self._tokens[scope] = token
        return True

    def request(
        self, method: str, path: str, scope: str, ok: tuple[int, ...] = (200,), **kwargs: Any
    ) -> requests.Response:
        """``method`` on ``path`` (below the registry's base URL, or a full URL), answering
        one authentication challenge; a status outside ``ok`` raises ``RegistryError``."""
        url = path if path.startswith(("http://", "https://")) else self.base + path
        extra = kwargs.pop("headers", {})
        for _ in range(2):
            auth = self.auth if self._basic else None
            try:
                response = self.session.request(
                    method,
                    url,
                    headers={**extra, **self._headers(scope)},
                    auth=auth,
                    timeout=self.timeout,
                    **kwargs,
                )
            except requests.RequestException as e:
                raise RegistryError(f"{method} {url}: {e}") from e
            if response.status_code == 401 and self._authenticate(response, scope):
                body = kwargs.get("data")
                if body is not None and hasattr(body, "seek"):
                    body.seek(0)
                continue
            break
        if response.status_code not in ok:
            detail = response.text[:300].strip()
            raise RegistryError(f"{method} {url}: HTTP {response.status_code} {detail}")
        return response

    @staticmethod
    def scope(repository: str, push: bool = False) -> str:
        return f"repository:{repository}:{'pull,push' if push else 'pull'}"

    # ---------------------------------------------------------------- manifests and blobs

    def get_manifest(self, repository: str, ref: str, accept: list[str]) -> tuple[bytes, str]:
        """The manifest's bytes and content type."""
        response = self.request(
            "GET",
            f"/v2/{repository}/manifests/{ref}",
            self.scope(repository),
            headers={"Accept": ", ".join(accept)},
        )
        return response.content, response.headers.get("Content-Type", "")

    def put_manifest(self, repository: str, ref: str, data: bytes, media_type: str) -> str:
        """Store a manifest; the registry's ``Docker-Content-Digest``."""
        response = self.request(
            "PUT",
            f"/v2/{repository}/manifests/{ref}",
            self.scope(repository, push=True),
            ok=(200, 201),
            data=data,
            headers={"Content-Type": media_type},
        )
        return response.headers.get("Docker-Content-Digest", "")

    def blob_chunks(self, repository: str, digest: str) -> Iterator[bytes]:
        """A blob's bytes, streamed."""
        response = self.request(
            "GET", f"/v2/{repository}/blobs/{digest}", self.scope(repository), stream=True
        )
        with response:
            yield from response.iter_content(CHUNK)

    def has_blob(self, repository: str, digest: str) -> bool:
        response = self.request(
            "HEAD",
            f"/v2/{repository}/blobs/{digest}",
            self.scope(repository, push=True),
            ok=(200, 404),
        )
        return response.status_code == 200

    def mount_blob(self, repository: str, digest: str, source: str) -> bool:
        """Cross-repository mount from ``source`` on the same registry; whether it happened
        (a registry that declines opens an upload instead, which is left alone)."""
        scope = f"{self.scope(repository, push=True)} repository:{source}:pull"
        response = self.request(
            "POST",
            f"/v2/{repository}/blobs/uploads/",
            scope,
            ok=(201, 202),
            params={"mount": digest, "from": source},
        )
        return response.status_code == 201

    def push_blob(self, repository: str, digest: str, data: IO[bytes], size: int) -> None:
        """Upload a blob in one PUT (``data`` is read from the start)."""
        scope = self.scope(repository, push=True)
        start = self.request("POST", f"/v2/{repository}/blobs/uploads/", scope, ok=(202,))
        location = start.headers.get("Location", "")
        if not location:
            raise RegistryError(f"POST /v2/{repository}/blobs/uploads/: no Location")
        if location.startswith("/"):
            location = self.base + location
        data.seek(0)
        self.request(
            "PUT",
            location,
            scope,
            ok=(201,),
            params={"digest": digest},
            data=data,
            headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)},
        )
