"""The registry client's blob and upload side (what ``migrate`` uses) against a small in-process
registry on 127.0.0.1 that demands nothing, HTTP Basic, or a Bearer token from its own token
endpoint (the WWW-Authenticate challenge)."""

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

from docker_schema1.registry import Credentials, Reference, RegistryClient, RegistryError

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
            media_type = "application/vnd.docker.distribution.manifest.v1+json"
            self._send(200, MANIFEST, {"Content-Type": media_type})
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


def ref(address: str, tag: str = "v1") -> Reference:
    parsed = Reference.parse(f"{address}/a/b:{tag}")
    assert parsed is not None
    return parsed


def test_get_and_push_with_each_kind_of_auth(server: tuple[str, str]) -> None:
    client = RegistryClient(Credentials(USER, PASSWORD))
    repo = ref(server[0])
    assert client.get_manifest(repo).data == MANIFEST
    blob = b"layer bytes"
    digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    assert not client.has_blob(repo, digest)
    client.push_blob(repo, digest, io.BytesIO(blob), len(blob))
    assert client.has_blob(repo, digest)
    assert b"".join(client.blob_chunks(repo, digest)) == blob


def test_without_credentials_only_anonymous_works(server: tuple[str, str], tmp_path: Any) -> None:
    address, mode = server
    # An empty Docker config: no stored credentials either.
    client = RegistryClient(docker_config=tmp_path / "config.json")
    if mode == "anonymous":
        assert client.get_manifest(ref(address)).data == MANIFEST
    else:
        with pytest.raises(RegistryError, match="401"):
            client.get_manifest(ref(address))


def test_bearer_token_request_names_service_and_scope() -> None:
    handler = type("H", (Handler,), {"mode": "bearer", "token_requests": [], "blobs": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        client = RegistryClient(Credentials(USER, PASSWORD))
        repo = ref(f"127.0.0.1:{httpd.server_address[1]}")
        client.get_manifest(repo)
        client.get_manifest(repo)
    finally:
        httpd.shutdown()
        httpd.server_close()
    # One token, asked for once, for the scope the challenge names.
    assert handler.token_requests == [
        {"service": ["test-registry"], "scope": ["repository:a/b:pull"]}
    ]
