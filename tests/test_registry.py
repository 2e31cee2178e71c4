"""The registry client against a small in-process registry on 127.0.0.1 that demands nothing,
HTTP Basic, or a Bearer token from its own token endpoint (the WWW-Authenticate challenge)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from docker_schema1.registry import ImageReference, RegistryClient, RegistryError, parse_challenge

USER, PASSWORD, TOKEN = "alice", "s3cret:x", "tok-123"
MANIFEST = b'{"schemaVersion": 1}'


class Handler(BaseHTTPRequestHandler):
    mode = "anonymous"
    token_requests: list[dict[str, list[str]]] = []  # noqa: RUF012
    blobs: dict[str, bytes] = {}  # noqa: RUF012

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _allowed(self) -> bool:
        auth = self.headers.get("Authorization", "")
        if self.mode == "anonymous":
            return True
        if self.mode == "basic":
            want = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if auth == f"Basic {want}":
                return True
            self._send(401, b"{}", {"WWW-Authenticate": 'Basic realm="test"'})
            return False
        if auth == f"Bearer {TOKEN}":
            return True
        realm = f"http://{self.headers['Host']}/token"
        challenge = f'Bearer realm="{realm}",service="test-registry",scope="repository:a/b:pull"'
        self._send(401, b"{}", {"WWW-Authenticate": challenge})
        return False

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/token":
            type(self).token_requests.append(parse_qs(url.query))
            want = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {want}":
                self._send(401)
                return
            self._send(200, json.dumps({"token": TOKEN}).encode())
            return
        if not self._allowed():
            return
        if url.path == "/v2/a/b/manifests/v1":
            self._send(200, MANIFEST, {"Content-Type": "application/json"})
        elif url.path.startswith("/v2/a/b/blobs/"):
            blob = self.blobs.get(url.path.rsplit("/", 1)[1])
            self._send(200 if blob is not None else 404, blob or b"")
        else:
            self._send(404)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if self._allowed():
            self._send(202, b"", {"Location": "/v2/a/b/blobs/uploads/u1?_state=x"})

    def do_PUT(self) -> None:
        if not self._allowed():
            return
        url = urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        digest = parse_qs(url.query).get("digest", [""])[0]
        assert parse_qs(url.query)["_state"] == ["x"]
        if digest != "sha256:" + hashlib.sha256(body).hexdigest():
            self._send(400)
            return
        self.blobs[digest] = body
        self._send(201)


@pytest.fixture(params=["anonymous", "basic", "bearer"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    handler = type("H", (Handler,), {"mode": request.param, "token_requests": [], "blobs": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{httpd.server_address[1]}", request.param
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_get_and_push_with_each_kind_of_auth(server: tuple[str, str]) -> None:
    client = RegistryClient(server[0], username=USER, password=PASSWORD, plain_http=True)
    data, content_type = client.get_manifest("a/b", "v1", ["application/json"])
    assert (data, content_type) == (MANIFEST, "application/json")
    blob = b"layer bytes"
    digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    assert not client.has_blob("a/b", digest)
    client.push_blob("a/b", digest, io.BytesIO(blob), len(blob))
    assert client.has_blob("a/b", digest)
    assert b"".join(client.blob_chunks("a/b", digest)) == blob


def test_without_credentials_only_anonymous_works(server: tuple[str, str]) -> None:
    address, mode = server
    client = RegistryClient(address, plain_http=True)
    if mode == "anonymous":
        assert client.get_manifest("a/b", "v1", ["application/json"])[0] == MANIFEST
    else:
        with pytest.raises(RegistryError, match="401"):
            client.get_manifest("a/b", "v1", ["application/json"])


def test_bearer_token_request_names_service_and_scope() -> None:
    handler = type("H", (Handler,), {"mode": "bearer", "token_requests": [], "blobs": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        client = RegistryClient(
            f"127.0.0.1:{httpd.server_address[1]}",
            username=USER,
            password=PASSWORD,
            plain_http=True,
        )
        client.get_manifest("a/b", "v1", ["application/json"])
        client.get_manifest("a/b", "v1", ["application/json"])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert handler.token_requests == [
        {"service": ["test-registry"], "scope": ["repository:a/b:pull"]}
    ]


def test_challenges_and_references_parse() -> None:
    scheme, params = parse_challenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:x/y:pull"'
    )
    assert scheme == "bearer"
    assert params == {
        "realm": "https://auth.example/token",
        "service": "registry.example",
        "scope": "repository:x/y:pull",
    }
    assert parse_challenge('Basic realm="r"') == ("basic", {"realm": "r"})
    cases = {
        "busybox": ("registry-1.docker.io", "library/busybox", "latest", None),
        "docker://quay.io/org/app:1.0": ("quay.io", "org/app", "1.0", None),
        "127.0.0.1:5000/a/b@sha256:" + "0" * 64: (
            "127.0.0.1:5000",
            "a/b",
            None,
            "sha256:" + "0" * 64,
        ),
        "localhost/x:y": ("localhost", "x", "y", None),
        "user/repo": ("registry-1.docker.io", "user/repo", "latest", None),
    }
    for text, (registry, repository, tag, digest) in cases.items():
        ref = ImageReference.parse(text)
        assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
            registry,
            repository,
            tag,
            digest,
        )
    for bad in ["", "UPPER/case", "a:b:c", "host:port/x"]:
        with pytest.raises(ValueError):
            ImageReference.parse(bad)
