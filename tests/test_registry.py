"""Registry references on the command line, against Debian's docker-registry 2.8 on 127.0.0.1:
anonymous, htpasswd basic auth, and token auth (a token issuer this test runs on loopback),
each pulling a signed manifest by tag and by digest, plus the 401/404 errors; the media type
and Docker-Content-Digest checks against a stand-in transport."""

from __future__ import annotations

import base64
import datetime
import hashlib
import http.server
import io
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder
from docker_schema1.cli import main

from .peers import Registry, _free_port, running_registry, schema1peer

httpx = pytest.importorskip("httpx")
jwt = pytest.importorskip("jwt")
bcrypt = pytest.importorskip("bcrypt")

from docker_schema1.registry import (  # noqa: E402
    Credentials,
    Reference,
    RegistryClient,
    RegistryError,
    docker_config_credentials,
)

REPO = "cli/hello"
TAG = "v1"
USER, PASSWORD = "alice", "s3cret pass"
SERVICE, ISSUER = "test-registry", "test-issuer"
Capture = pytest.CaptureFixture[str]


OCI = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def descriptor(path: Path, media_type: str) -> dict[str, Any]:
    data = path.read_bytes()
    digest = f"sha256:{hashlib.sha256(data).hexdigest()}"
    return {"mediaType": media_type, "digest": digest, "size": len(data)}


@dataclass
class Store:
    """What the anonymous registry holds (its data folder is shared with the others)."""

    registry: Registry
    digest: str

    @property
    def host(self) -> str:
        return self.registry.url.removeprefix("http://")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An anonymous docker-registry holding a signed manifest ``cli/hello:v1`` (and its
    blobs); the other registries of this module serve the same data folder."""
    folder = tmp_path_factory.mktemp("registry")
    with running_registry(schema1peer(), folder) as registry:
        blobs = []
        for i in range(2):
            blob = folder / f"layer{i}"
            blob.write_bytes(random.Random(i).randbytes(300 + i))
            blobs.append(blob)
        registry.blob(blobs, REPO)
        builder = DockerSchema1ManifestBuilder("cli", "hello", TAG)
        for i, blob in reversed(list(enumerate(blobs))):  # leaf first
            parent = {"parent": f"{i - 1:064d}"} if i else {}
            builder.add_layer(
                f"sha256:{hashlib.sha256(blob.read_bytes()).hexdigest()}",
                json.dumps({"id": f"{i:064d}", **parent, "created": "2024-01-02T03:04:05Z"}),
            )
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        manifest = builder.build(key)
        path = folder / "manifest.json"
        path.write_bytes(manifest.bytes.as_encoded_str())
        put = registry.put(path, REPO, TAG)
        assert put["accepted"], put
        # an OCI image manifest of the same layers under another tag
        config = folder / "config.json"
        config.write_bytes(b'{"architecture": "amd64", "os": "linux", "rootfs": {}}')
        registry.blob([config], REPO)
        oci = folder / "oci.json"
        oci.write_text(
            json.dumps(
                {
                    "schemaVersion": 2,
                    "mediaType": OCI,
                    "config": descriptor(config, OCI_CONFIG),
                    "layers": [descriptor(b, OCI_LAYER) for b in blobs],
                }
            )
        )
        verdict = json.loads(
            registry._run("put", str(oci), "--repo", REPO, "--ref", "oci", "--content-type", OCI)
        )
        assert verdict["accepted"], verdict
        yield Store(registry, manifest.digest)


@contextmanager
def registry_with_auth(store: Store, auth: str, folder: Path) -> Iterator[str]:
    """Another docker-registry on the same data and signing key, with the ``auth:`` section
    ``auth``; yields its host:port. Stopped (by its pid) on the way out."""
    port = _free_port()
    config = folder / "config.yml"
    config.write_text(
        f"""version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {store.registry.dir}/data
http:
  addr: 127.0.0.1:{port}
compatibility:
  schema1:
    enabled: true
    signingkeyfile: {store.registry.dir}/trustkey.json
{auth}"""
    )
    log = open(folder / "log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        ["docker-registry", "serve", str(config)], stdout=log, stderr=log, start_new_session=True
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # 401: up
            except OSError:
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


def verify(argv: list[str], capsys: Capture, password: str | None = None) -> tuple[int, str, str]:
    if password is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(password.encode() + b"\n"))
    try:
        status = main(argv)
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return status, out, err


# Anonymous ---------------------------------------------------------------------------------------


def test_anonymous_by_tag_digest_and_url(store: Store, capsys: Capture) -> None:
    for ref in (
        f"{store.host}/{REPO}:{TAG}",
        f"{store.host}/{REPO}@{store.digest}",
        f"http://{store.host}/v2/{REPO}/manifests/{TAG}",
    ):
        status, out, err = verify(["verify", ref], capsys)
        assert status == 0, err
        assert out.startswith(f"ok {ref} {store.digest} ES256:")  # the registry re-signs
    status, out, _ = verify(["digest", f"{store.host}/{REPO}:{TAG}"], capsys)
    assert (status, out) == (0, store.digest + "\n")
    status, out, _ = verify(["inspect", "--json", f"{store.host}/{REPO}:{TAG}"], capsys)
    assert status == 0 and json.loads(out)["tag"] == TAG


def test_not_found(store: Store, capsys: Capture) -> None:
    ref = f"{store.host}/{REPO}:nope"
    status, out, err = verify(["verify", ref], capsys)
    assert status == 1 and out == ""
    assert err.startswith(f"docker-schema1: {ref}: RegistryError: 404 Not Found: MANIFEST_UNKNOWN")


def test_a_tag_that_holds_an_oci_manifest(store: Store, capsys: Capture) -> None:
    ref = f"{store.host}/{REPO}:oci"
    status, out, err = verify(["verify", ref], capsys)
    assert status == 1 and out == ""
    # the registry will not serve an OCI manifest to a client that accepts schema 1 only
    assert err == (
        f"docker-schema1: {ref}: RegistryError: 404 Not Found: MANIFEST_UNKNOWN OCI manifest "
        "found, but accept header does not support OCI manifests\n"
    )


def test_plain_http_only_on_loopback(capsys: Capture) -> None:
    ref = "http://registry.example.com/v2/a/b/manifests/t"
    status, _, err = verify(["verify", ref], capsys)
    assert status == 1
    assert "plain http only for a loopback registry or with --insecure" in err


# Basic auth ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def basic(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("basic")
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=5)).decode()
    (folder / "htpasswd").write_text(f"{USER}:{hashed}\n")
    auth = f"auth:\n  htpasswd:\n    realm: test\n    path: {folder / 'htpasswd'}\n"
    with registry_with_auth(store, auth, folder) as host:
        yield host


def test_basic_auth(basic: str, store: Store, capsys: Capture, tmp_path: Path) -> None:
    by_tag, by_digest = f"{basic}/{REPO}:{TAG}", f"{basic}/{REPO}@{store.digest}"
    status, _, err = verify(["verify", by_tag], capsys)
    assert status == 1
    assert f"{by_tag}: RegistryError: 401 Unauthorized" in err and "wants credentials" in err
    for ref in (by_tag, by_digest):
        argv = ["verify", "--username", USER, "--password-stdin", ref]
        status, out, err = verify(argv, capsys, password=PASSWORD)
        assert status == 0, err
        assert out.split()[2] == store.digest
    argv = ["verify", "--username", USER, "--password-stdin", by_tag]
    status, _, err = verify(argv, capsys, password="wrong")
    assert status == 1 and "401 Unauthorized" in err and "credentials refused" in err


def test_credentials_from_the_docker_config(
    basic: str, store: Store, capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    (tmp_path / "config.json").write_text(json.dumps({"auths": {basic: {"auth": auth}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    status, out, err = verify(["digest", f"{basic}/{REPO}:{TAG}"], capsys)
    assert (status, out) == (0, store.digest + "\n"), err
    assert docker_config_credentials(basic) == Credentials(USER, PASSWORD)


# Token auth ---------------------------------------------------------------------------------------


def libtrust_key_id(key: Any) -> str:
    """The libtrust key id of ``key`` (as the registry computes it for its trusted keys)."""
    built = DockerSchema1ManifestBuilder("a", "b", "c").add_layer("sha256:" + "0" * 64, "{}")
    [(_, key_id)] = built.build(key).signers
    return key_id


class TokenIssuer(http.server.BaseHTTPRequestHandler):
    """GET /token?service=...&scope=...: a JWT for the asked scope, to USER/PASSWORD only."""

    key: Any
    key_id: str
    scopes: list[str]

    def do_GET(self) -> None:
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.end_headers()
            return
        query = dict(p.split("=", 1) for p in self.path.partition("?")[2].split("&") if "=" in p)
        scope = urllib.request.unquote(query.get("scope", ""))
        type(self).scopes.append(scope)
        _, name, actions = scope.split(":")
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": USER,
            "aud": urllib.request.unquote(query.get("service", "")),
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": str(random.getrandbits(64)),
            "access": [{"type": "repository", "name": name, "actions": actions.split(",")}],
        }
        token = jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": self.key_id})
        body = json.dumps({"token": token}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def token(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("token")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ISSUER)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "root.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    handler = type(
        "Issuer", (TokenIssuer,), {"key": key, "key_id": libtrust_key_id(key), "scopes": []}
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    realm = f"http://127.0.0.1:{server.server_address[1]}/token"
    auth = (
        f"auth:\n  token:\n    realm: {realm}\n    service: {SERVICE}\n"
        f"    issuer: {ISSUER}\n    rootcertbundle: {folder / 'root.pem'}\n"
    )
    try:
        with registry_with_auth(store, auth, folder) as host:
            yield host
    finally:
        server.shutdown()
        server.server_close()


def test_token_auth(token: str, store: Store, capsys: Capture) -> None:
    by_tag, by_digest = f"{token}/{REPO}:{TAG}", f"{token}/{REPO}@{store.digest}"
    status, _, err = verify(["verify", by_tag], capsys)  # the issuer wants a user
    assert status == 1 and "RegistryError: token server http://127.0.0.1:" in err
    assert "answered 401" in err
    for ref in (by_tag, by_digest):
        argv = ["verify", "--username", USER, "--password-stdin", ref]
        status, out, err = verify(argv, capsys, password=PASSWORD)
        assert status == 0, err
        assert out.split()[2] == store.digest


# Media type and Docker-Content-Digest (a stand-in transport) ------------------------------------


def served(content_type: str, data: bytes, digest: str | None = None) -> RegistryClient:
    def handler(request: Any) -> Any:
        headers = {"Content-Type": content_type}
        if digest:
            headers["Docker-Content-Digest"] = digest
        return httpx.Response(200, headers=headers, content=data)

    return RegistryClient(transport=httpx.MockTransport(handler))


EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "signed-es256.json").read_bytes()
SIGNED_TYPE = "application/vnd.docker.distribution.manifest.v1+prettyjws"


def test_another_media_type_is_named() -> None:
    oci = "application/vnd.oci.image.manifest.v1+json"
    with pytest.raises(RegistryError, match=re.escape(f"served {oci}, not a schema 1 manifest")):
        served(oci, b"{}").get_manifest("registry.example.com/a/b:t")


def test_a_digest_that_does_not_match() -> None:
    digest = DockerSchema1Manifest(EXAMPLE).digest
    other = "sha256:" + "1" * 64
    assert served(SIGNED_TYPE, EXAMPLE, digest).get_manifest("r.example.com/a/b:t").data == EXAMPLE
    with pytest.raises(RegistryError, match=f"Docker-Content-Digest {other} does not match"):
        served(SIGNED_TYPE, EXAMPLE, other).get_manifest("r.example.com/a/b:t")
    with pytest.raises(RegistryError, match=f"served a manifest of digest {digest}"):
        served(SIGNED_TYPE, EXAMPLE).get_manifest(f"r.example.com/a/b@{other}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("registry.example.com/a/b:t", Reference("registry.example.com", "a/b", "t")),
        ("localhost:5000/b", Reference("localhost:5000", "b", "latest")),
        ("host:5000/a/b@sha256:" + "a" * 64, Reference("host:5000", "a/b", "sha256:" + "a" * 64)),
        (
            "https://r.example.com/v2/x/y/manifests/1.0",
            Reference("r.example.com", "x/y", "1.0", "https"),
        ),
        ("examples/signed.json", None),
        ("a/b:c", None),
        ("registry.example.com/A/b", None),
    ],
)
def test_references(text: str, expected: Reference | None) -> None:
    assert Reference.parse(text) == expected


def test_a_timeout(capsys: Capture) -> None:
    with socket.socket() as listener:  # accepts connections (the backlog), never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        ref = f"127.0.0.1:{listener.getsockname()[1]}/a/b:t"
        status, _, err = verify(["verify", "--timeout", "0.3", ref], capsys)
    assert status == 1
    assert err == f"docker-schema1: {ref}: RegistryError: timed out after 0.3 s\n"


def test_without_httpx(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    import docker_schema1.registry

    monkeypatch.setattr(docker_schema1.registry, "httpx", None)
    status, _, err = verify(["verify", "registry.example.com/a/b:t"], capsys)
    assert status == 1
    assert "ImportError: reading from a registry needs httpx: pip install" in err


def test_no_credentials_to_a_plain_http_token_server() -> None:
    asked: list[str] = []

    def handler(request: Any) -> Any:
        asked.append(str(request.url))
        challenge = 'Bearer realm="http://auth.example.com/token",service="s"'
        return httpx.Response(401, headers={"WWW-Authenticate": challenge})

    client = RegistryClient(Credentials(USER, PASSWORD), transport=httpx.MockTransport(handler))
    with pytest.raises(RegistryError, match="is not https: credentials are not sent there"):
        client.get_manifest("registry.example.com/a/b:t")
    assert asked == ["https://registry.example.com/v2/a/b/manifests/t"]
