"""A client of the Registry HTTP API v2 for schema 1 manifests, on httpx (the ``cli`` extra).

References are ``HOST[:PORT]/NAME[:TAG]``, ``HOST[:PORT]/NAME@sha256:...`` or a full
``https://HOST/v2/NAME/manifests/REF`` URL. Requests go out anonymous, with HTTP basic auth,
or with a Bearer token fetched from the realm a ``WWW-Authenticate`` challenge names (the
registry token protocol); TLS is verified unless ``insecure``, and plain http is used only for
a loopback host or when ``insecure``. Every failure is a ``RegistryError`` whose message says
what went wrong (401, 404, another media type, a digest that does not match, a timeout);
the caller knows which reference it asked for.

Beside manifest GET, ``docker-schema1 migrate`` uses blob GET (streamed), HEAD, upload and
cross-repository mount, and manifest PUT. One client keeps one connection pool, and Bearer
tokens by host and scope (``repository:NAME:pull`` or ``...:pull,push``).
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

try:
    import httpx
except ImportError:  # without the cli extra references still parse; fetching says what to do
    httpx = None  # type: ignore[assignment]

from .constants import DOCKER_SCHEMA1_CONTENT_TYPES
from .errors import ManifestException
from .manifest import DockerSchema1Manifest

__all__ = [
    "DEFAULT_TIMEOUT",
    "Credentials",
    "Fetched",
    "Reference",
    "RegistryClient",
    "RegistryError",
    "docker_config_credentials",
]

#: Seconds for connecting and for each read, unless the caller says otherwise.
DEFAULT_TIMEOUT = 30.0
#: Bytes per chunk of a streamed blob.
CHUNK = 1 << 20

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_NAME = rf"{_COMPONENT}(?:/{_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}"
_HOST = r"(?:localhost|\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+|[a-zA-Z0-9-]+(?=:))"
_REFERENCE = re.compile(
    rf"(?P<host>{_HOST}(?::[0-9]+)?)/(?P<name>{_NAME})(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?"
)
_URL = re.compile(
    rf"(?P<scheme>https?)://(?P<host>[^/?#]+)/v2/(?P<name>{_NAME})/manifests/(?P<ref>[^/?#]+)"
)
_CHALLENGE_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


class RegistryError(Exception):
    """A registry request failed; the message says why (and names the reference)."""


@dataclass(frozen=True)
class Reference:
    """A manifest in a registry: ``host`` (with its port), repository ``name`` and ``ref`` (a
    tag or a digest); ``scheme`` when a URL fixed it."""

    host: str
    name: str
    ref: str
    scheme: str | None = None

    @classmethod
    def parse(cls, text: str) -> Reference | None:
        """The reference ``text`` names, or None when it is no registry reference."""
        url = _URL.fullmatch(text)
        if url:
            return cls(url["host"], url["name"], url["ref"], url["scheme"])
        match = _REFERENCE.fullmatch(text)
        if not match:
            return None
        return cls(match["host"], match["name"], match["digest"] or match["tag"] or "latest")

    @property
    def by_digest(self) -> bool:
        return ":" in self.ref

    @property
    def hostname(self) -> str:
        """The host without its port (an IPv6 address without its brackets)."""
        if self.host.startswith("["):
            return self.host[1 : self.host.find("]")]
        return self.host.rsplit(":", 1)[0]

    def __str__(self) -> str:
        return f"{self.host}/{self.name}{'@' if self.by_digest else ':'}{self.ref}"

    def with_ref(self, ref: str) -> Reference:
        """The same repository, another tag or digest."""
        return replace(self, ref=ref)

    def scope(self, push: bool = False) -> str:
        """The token scope for this repository (registry token protocol)."""
        return f"repository:{self.name}:{'pull,push' if push else 'pull'}"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


@dataclass(frozen=True)
class Fetched:
    """A manifest as the registry served it: its bytes, Content-Type, Docker-Content-Digest."""

    data: bytes
    media_type: str
    digest: str | None


def docker_config_credentials(host: str, config: Path | None = None) -> Credentials | None:
    """The user name and password ``docker login`` stored for ``host`` in the Docker client's
    config (``$DOCKER_CONFIG/config.json`` or ``~/.docker/config.json``), if any. Credential
    helpers (``credsStore``) are not consulted."""
    if config is None:
        folder = os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker"
        config = Path(folder) / "config.json"
    try:
        auths = json.loads(config.read_text()).get("auths") or {}
    except (OSError, ValueError, AttributeError):
        return None
    for key in (host, f"https://{host}", f"http://{host}", f"https://{host}/v1/"):
        entry = auths.get(key) if isinstance(auths, dict) else None
        encoded = entry.get("auth") if isinstance(entry, dict) else None
        if isinstance(encoded, str):
            try:
                user, _, password = base64.b64decode(encoded).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
            return Credentials(user, password)
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _challenge(header: str) -> tuple[str, dict[str, str]]:
    """The scheme and parameters of a ``WWW-Authenticate`` header."""
    scheme, _, rest = header.strip().partition(" ")
    params = {
        k.lower(): (quoted if quoted else bare)
        for k, quoted, bare in _CHALLENGE_PARAM.findall(rest)
    }
    return scheme.lower(), params


def _registry_message(response: httpx.Response) -> str:
    """The registry's own error message (``{"errors": [{"code", "message"}]}``), if any."""
    try:
        errors = response.json().get("errors") or []
        first = errors[0]
        return f": {first.get('code', '')} {first.get('message', '')}".rstrip()
    except (ValueError, AttributeError, IndexError, TypeError):
        return ""


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    headers: dict[str, str]
    scope: str
    params: Mapping[str, str] | None
    content: bytes | IO[bytes] | None


class RegistryClient:
    """Talks to registries: one connection pool and one token cache for all."""

    def __init__(
        self,
        credentials: Credentials | None = None,
        insecure: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        docker_config: Path | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if httpx is None:
            raise ImportError(
                "reading from a registry needs httpx: pip install 'docker-schema1[cli]'"
            )
        self._credentials = credentials
        self._insecure = insecure
        self._timeout = timeout
        self._docker_config = docker_config
        self._http = httpx.Client(
            verify=not insecure, timeout=timeout, transport=transport, follow_redirects=True
        )
        self._tokens: dict[tuple[str, str], str] = {}
        self._schemes: dict[str, str] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Manifests -----------------------------------------------------------------------------

    def get_manifest(self, reference: Reference | str) -> Fetched:
        """The schema 1 manifest ``reference`` names, as served (both schema 1 media types
        accepted). Raises ``RegistryError``."""
        ref = self._reference(reference)
        headers = {"Accept": ", ".join(sorted(DOCKER_SCHEMA1_CONTENT_TYPES))}
        response = self._request("GET", ref, f"/v2/{ref.name}/manifests/{ref.ref}", headers)
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if media_type not in DOCKER_SCHEMA1_CONTENT_TYPES:
            raise RegistryError(
                f"the registry served {media_type or 'no media type'}, not a schema 1 manifest"
            )
        fetched = Fetched(
            response.content, media_type, response.headers.get("Docker-Content-Digest")
        )
        self._check_digest(ref, fetched)
        return fetched

    def _check_digest(self, ref: Reference, fetched: Fetched) -> None:
        try:
            digest = DockerSchema1Manifest(fetched.data, validate=False).digest
        except ManifestException:
            return  # the caller reads it and says what is wrong with it
        if fetched.digest and fetched.digest != digest:
            raise RegistryError(
                f"Docker-Content-Digest {fetched.digest} does not match the manifest's "
                f"digest {digest}"
            )
        if ref.by_digest and ref.ref != digest:
            raise RegistryError(f"the registry served a manifest of digest {digest}")

    def put_manifest(self, ref: Reference, data: bytes, media_type: str) -> str:
        """Store ``data`` as the manifest ``ref`` names (a tag, or its digest); the registry's
        ``Docker-Content-Digest`` (empty when it sends none)."""
        response = self._request(
            "PUT",
            ref,
            f"/v2/{ref.name}/manifests/{ref.ref}",
            {"Content-Type": media_type},
            scope=ref.scope(push=True),
            content=data,
        )
        digest: str = response.headers.get("Docker-Content-Digest", "")
        return digest

    # Blobs -----------------------------------------------------------------------------------

    def blob_chunks(self, ref: Reference, digest: str) -> Iterator[bytes]:
        """The blob ``digest`` of ``ref``'s repository, streamed in chunks."""
        response = self._request("GET", ref, f"/v2/{ref.name}/blobs/{digest}", {}, stream=True)
        try:
            yield from response.iter_bytes(CHUNK)
        except httpx.TransportError as e:
            raise RegistryError(f"blob {digest}: {self._transport_message(e)}") from e
        finally:
            response.close()

    def has_blob(self, ref: Reference, digest: str) -> bool:
        """Whether ``ref``'s repository holds the blob ``digest``."""
        response = self._request(
            "HEAD",
            ref,
            f"/v2/{ref.name}/blobs/{digest}",
            {},
            scope=ref.scope(push=True),
            ok=(404,),
        )
        return response.status_code == 200

    def mount_blob(self, ref: Reference, digest: str, source: str) -> bool:
        """Mount the blob ``digest`` from the repository ``source`` of the same registry into
        ``ref``'s; whether it happened (a registry that declines opens an upload, left alone)."""
        response = self._request(
            "POST",
            ref,
            f"/v2/{ref.name}/blobs/uploads/",
            {},
            scope=f"{ref.scope(push=True)} repository:{source}:pull",
            params={"mount": digest, "from": source},
        )
        return response.status_code == 201

    def push_blob(self, ref: Reference, digest: str, data: IO[bytes], size: int) -> None:
        """Upload the blob ``digest`` (``size`` bytes of ``data``, from its start) to ``ref``'s
        repository, in one PUT."""
        scope = ref.scope(push=True)
        start = self._request("POST", ref, f"/v2/{ref.name}/blobs/uploads/", {}, scope=scope)
        location = start.headers.get("Location", "")
        if not location:
            raise RegistryError(f"the registry opened an upload of {digest} without a Location")
        if location.startswith("/"):
            location = f"{self._schemes[ref.host]}://{ref.host}{location}"
        self._request(
            "PUT",
            ref,
            location,
            {"Content-Type": "application/octet-stream", "Content-Length": str(size)},
            scope=scope,
            params={"digest": digest},
            content=data,
        )

    # Requests, schemes and authentication ---------------------------------------------------

    @staticmethod
    def _reference(reference: Reference | str) -> Reference:
        if isinstance(reference, Reference):
            return reference
        parsed = Reference.parse(reference)
        if parsed is None:
            raise RegistryError(f"{reference!r} is not a registry reference (HOST/NAME:TAG)")
        return parsed

    def _scheme(self, ref: Reference) -> list[str]:
        """The schemes to try: a URL's own; https, then http for loopback or ``insecure``."""
        plain_ok = self._insecure or _is_loopback(ref.hostname)
        if ref.scheme == "http" and not plain_ok:
            raise RegistryError("plain http only for a loopback registry or with --insecure")
        if ref.scheme:
            return [ref.scheme]
        known = self._schemes.get(ref.host)
        if known:
            return [known]
        return ["https", "http"] if plain_ok else ["https"]

    def _request(
        self,
        method: str,
        ref: Reference,
        path: str,
        headers: Mapping[str, str],
        *,
        scope: str | None = None,
        params: Mapping[str, str] | None = None,
        content: bytes | IO[bytes] | None = None,
        ok: tuple[int, ...] = (),
        stream: bool = False,
    ) -> httpx.Response:
        """``method`` on ``path`` of ``ref``'s registry (or a full URL), through one
        authentication challenge. A status of 300 or more that is not in ``ok`` raises
        ``RegistryError``; ``stream``: the body is left to read (and the response to close)."""
        request = _Request(method, path, dict(headers), scope or ref.scope(), params, content)
        schemes = self._scheme(ref)
        for index, scheme in enumerate(schemes):
            try:
                response = self._send(scheme, ref, request, stream)
            except httpx.TransportError as e:
                if index + 1 < len(schemes) and not isinstance(e, httpx.TimeoutException):
                    continue
                raise RegistryError(f"{self._transport_message(e)}") from e
            self._schemes[ref.host] = scheme
            if response.status_code in ok:
                return response
            return self._checked(ref, response)
        raise RegistryError("no scheme to try")  # pragma: no cover

    def _transport_message(self, error: httpx.TransportError) -> str:
        if isinstance(error, httpx.TimeoutException):
            return f"timed out after {self._timeout:g} s"
        text = str(error) or type(error).__name__
        if "CERTIFICATE_VERIFY_FAILED" in text:
            return f"TLS certificate not trusted ({text}); --insecure skips the check"
        return f"cannot reach the registry: {text}"

    def _send(self, scheme: str, ref: Reference, request: _Request, stream: bool) -> httpx.Response:
        url = request.path if "://" in request.path else f"{scheme}://{ref.host}{request.path}"
        headers = dict(request.headers)
        token = self._tokens.get((ref.host, request.scope))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self._transmit(request, url, headers, None, stream)
        if response.status_code != 401:
            return response
        response.close()
        challenge, params = _challenge(response.headers.get("WWW-Authenticate", ""))
        if challenge == "bearer" and "realm" in params:
            headers["Authorization"] = f"Bearer {self._token(ref, params, request.scope)}"
            return self._transmit(request, url, headers, None, stream)
        if challenge == "basic" and self._credentials_for(ref):
            headers.pop("Authorization", None)
            return self._transmit(request, url, headers, self._basic(ref), stream)
        return response

    def _transmit(
        self,
        request: _Request,
        url: str,
        headers: dict[str, str],
        auth: httpx.BasicAuth | None,
        stream: bool,
    ) -> httpx.Response:
        content: bytes | Iterator[bytes] | None
        if request.content is None or isinstance(request.content, bytes):
            content = request.content
        else:
            body = request.content
            body.seek(0)  # a file body is sent again after a challenge
            content = iter(lambda: body.read(CHUNK), b"")
        target = httpx.URL(url)
        if request.params:
            # Merged into the URL's own query: an upload Location carries its state there.
            target = target.copy_merge_params(dict(request.params))
        built = self._http.build_request(request.method, target, headers=headers, content=content)
        return self._http.send(built, auth=auth, stream=stream)

    def _credentials_for(self, ref: Reference) -> Credentials | None:
        if self._credentials is not None:
            return self._credentials
        return docker_config_credentials(ref.host, self._docker_config)

    def _basic(self, ref: Reference) -> httpx.BasicAuth | None:
        credentials = self._credentials_for(ref)
        if credentials is None:
            return None
        return httpx.BasicAuth(credentials.username, credentials.password)

    def _token(self, ref: Reference, params: dict[str, str], scope: str) -> str:
        """A Bearer token from the challenge's realm (service; the scopes the challenge names
        and those the request needs; basic auth when there are credentials), cached by host
        and scope."""
        realm = httpx.URL(params["realm"])
        if realm.scheme != "https" and not (self._insecure or _is_loopback(realm.host)):
            raise RegistryError(
                f"the token server {params['realm']} is not https: credentials are not sent "
                "there (--insecure allows it)"
            )
        # One `scope` parameter per scope, as the token protocol has it.
        scopes = list(dict.fromkeys([*params.get("scope", "").split(), *scope.split()]))
        query: dict[str, str | list[str]] = {"scope": scopes}
        if "service" in params:
            query["service"] = params["service"]
        try:
            response = self._http.get(params["realm"], params=query, auth=self._basic(ref))
        except httpx.TransportError as e:
            raise RegistryError(f"token server {params['realm']}: {e}") from e
        if response.status_code != 200:
            raise RegistryError(
                f"token server {params['realm']} answered {response.status_code} "
                f"{response.reason_phrase}{_registry_message(response)}"
            )
        try:
            body: Any = response.json()
            token = body.get("token") or body.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise RegistryError(f"token server {params['realm']} gave no token")
        with self._lock:
            self._tokens[(ref.host, scope)] = token
        return token

    def _checked(self, ref: Reference, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status < 300:
            return response
        message = _registry_message(response)
        if status == 401:
            hint = (
                "credentials refused"
                if self._credentials_for(ref)
                else "the registry wants credentials (--username and --password-stdin, or "
                "docker login)"
            )
            raise RegistryError(f"401 Unauthorized{message} ({hint})")
        if status == 404:
            raise RegistryError(f"404 Not Found{message}")
        raise RegistryError(f"{status} {response.reason_phrase}{message}")
