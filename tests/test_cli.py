"""The command line, run as users run it: ``main([...])`` in process, and the real entry point
(``python -m docker_schema1``) in a subprocess for a few cases."""

from __future__ import annotations

import concurrent.futures
import importlib
import io
import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder, __version__, cli
from docker_schema1.cli import main

from .signing import private_jwk

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
VALID = sorted(EXAMPLES.glob("*.json"))
TAMPERED = EXAMPLES / "invalid" / "tampered-es256.json"
UNSIGNED = EXAMPLES / "unsigned.json"
SIGNED = EXAMPLES / "signed-es256.json"
TWO_SIGNATURES = EXAMPLES / "signed-two-signatures.json"
COMMANDS = ["verify", "digest", "inspect", "sign", "unsigned", "retag", "strip-metadata"]

Capture = pytest.CaptureFixture[str]
BinaryCapture = pytest.CaptureFixture[bytes]


def run_module(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The real entry point, ``python -m docker_schema1 ARGS``, stdout and stderr piped."""
    return subprocess.run(
        [sys.executable, "-m", "docker_schema1", *args],
        input=stdin,
        capture_output=True,
        check=False,
    )


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


# Keys, generated with cryptography and written as users keep them -----------------------------


@dataclass(frozen=True)
class KeyFile:
    path: Path
    alg: str
    key_id: str  # the libtrust key id, as the library's own builder signs with it


def libtrust_key_id(key_data: bytes) -> tuple[str, str]:
    """(alg, key id) of the signature the library's builder makes with ``key_data``."""
    built = DockerSchema1ManifestBuilder("ns", "repo", "tag").add_layer(
        "sha256:" + "0" * 64, '{"id": "a"}'
    )
    [signer] = built.build(key_data).signers
    return signer


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KeyFile]:
    """Private keys in PEM and JWK files: RSA and EC of every curve."""
    folder = tmp_path_factory.mktemp("keys")
    made: dict[str, Any] = {
        "rsa.pem": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "p256.jwk": ec.generate_private_key(ec.SECP256R1()),
        "p384.pem": ec.generate_private_key(ec.SECP384R1()),
        "p521.jwk": ec.generate_private_key(ec.SECP521R1()),
        "rsa.jwk": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "p256.pem": ec.generate_private_key(ec.SECP256R1()),
    }
    files = {}
    for index, (name, key) in enumerate(made.items()):
        if name.endswith(".jwk"):
            data = json.dumps(private_jwk(key)).encode()
        else:
            form = (
                serialization.PrivateFormat.PKCS8,
                serialization.PrivateFormat.TraditionalOpenSSL,
            )
            data = key.private_bytes(
                serialization.Encoding.PEM, form[index % 2], serialization.NoEncryption()
            )
        path = folder / name
        path.write_bytes(data)
        files[name] = KeyFile(path, *libtrust_key_id(data))
    public = (
        made["p256.pem"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    (folder / "public.pem").write_bytes(public)
    (folder / "garbage.pem").write_bytes(b"not a key at all")
    return files


# Existing behaviour: verify's line format ------------------------------------------------------


def test_examples_exist() -> None:
    names = {p.name for p in VALID}
    assert {"unsigned.json", "signed-rs256.json", "signed-es256.json"} <= names


def test_verify_examples(capsys: Capture) -> None:
    assert main(["verify", *map(str, VALID)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(VALID)
    for path, line in zip(VALID, lines):
        m = DockerSchema1Manifest(path.read_bytes())
        assert line.startswith(f"ok {path} {m.digest}")
        if m.is_signed:
            assert all(f"{alg}:{kid}" in line for alg, kid in m.signers)
        else:
            assert line.endswith("unsigned")


def test_verify_examples_on_both_backends(backend: str, capsys: Capture) -> None:
    assert main(["verify", *map(str, VALID)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(VALID)


def test_verify_reports_failures(capsys: Capture, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    assert main(["verify", str(VALID[0]), str(TAMPERED), str(missing)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("ok ")
    errors = captured.err.splitlines()
    assert errors[0].startswith(f"FAIL {TAMPERED}: InvalidSchema1Signature: signature 0")
    assert errors[1] == f"FAIL {missing}: FileNotFoundError: No such file or directory"
    assert "Traceback" not in captured.err


def test_require_signature(capsys: Capture) -> None:
    assert main(["verify", "--require-signature", str(UNSIGNED)]) == 1
    assert capsys.readouterr().out.startswith("FAIL ")
    assert main(["verify", "--require-signature", str(SIGNED), str(TWO_SIGNATURES)]) == 0


def test_entry_point_and_stdin() -> None:
    data = SIGNED.read_bytes()
    run = run_module("verify", "-", stdin=data)
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().startswith(f"ok - {DockerSchema1Manifest(data).digest} ES256:")


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["verify"])
    assert exit_info.value.code == 2


# Usage, --help, --version -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["verify", "--frob", str(SIGNED)],
        ["verify", "--jobs", "0", str(SIGNED)],
        ["digest", "--jobs", "many", str(SIGNED)],
        ["inspect"],
        ["inspect", str(SIGNED), str(UNSIGNED)],
        ["sign", str(UNSIGNED)],
        ["retag", str(UNSIGNED)],
        ["unsigned"],
        ["strip-metadata", str(UNSIGNED), "--key"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage: docker-schema1" in capsys.readouterr().err


def test_usage_error_of_the_entry_point() -> None:
    run = run_module("sign", str(UNSIGNED))
    assert run.returncode == 2
    assert b"the following arguments are required: --key" in run.stderr


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_description_and_examples(command: str | None, capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"] if command is None else [command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: docker-schema1{'' if command is None else ' ' + command}")
    assert "examples:" in out
    assert "exit status" in out
    assert (command or "verify") in out.split("examples:")[1]


def test_verify_help_documents_directories(capsys: Capture) -> None:
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "every regular file below it" in out
    assert "whose name starts with '.' are skipped" in out
    assert "--json" in out and "--require-signature" in out and "--jobs" in out


def test_version(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"docker-schema1 {__version__}\n"
    run = run_module("--version")
    assert run.returncode == 0
    assert run.stdout.decode() == f"docker-schema1 {__version__}\n"


# verify --json -----------------------------------------------------------------------------------


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_verify_json(capsys: Capture, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    paths = [*map(str, VALID), str(TAMPERED), str(missing)]
    assert main(["verify", "--json", *paths]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    records = json_lines(captured.out)
    assert [r["path"] for r in records] == paths
    for record in records:
        assert set(record) == {"path", "ok", "digest", "signed", "signatures", "error"}
    for path, record in zip(VALID, records):
        m = DockerSchema1Manifest(path.read_bytes())
        assert record["ok"] is True and record["error"] is None
        assert record["digest"] == m.digest
        assert record["signed"] is m.is_signed
        assert record["signatures"] == [{"alg": a, "key_id": k} for a, k in m.signers]
    tampered, absent = records[-2:]
    assert tampered["ok"] is False and tampered["digest"] is None
    assert tampered["error"]["type"] == "InvalidSchema1Signature"
    assert tampered["error"]["message"].startswith("signature 0: signature does not verify")
    assert absent["error"] == {
        "type": "FileNotFoundError",
        "message": "No such file or directory",
    }


def test_verify_json_require_signature(capsys: Capture) -> None:
    assert main(["verify", "--json", "--require-signature", str(UNSIGNED), str(SIGNED)]) == 1
    unsigned, signed = json_lines(capsys.readouterr().out)
    assert unsigned["ok"] is False and unsigned["signed"] is False
    assert unsigned["digest"] == DockerSchema1Manifest(UNSIGNED.read_bytes()).digest
    assert unsigned["error"]["type"] == "UnsignedManifest"
    assert signed["ok"] is True and signed["signatures"][0]["alg"] == "ES256"


def test_verify_json_all_ok_exits_0(capsys: Capture) -> None:
    assert main(["verify", "--json", str(SIGNED)]) == 0
    [record] = json_lines(capsys.readouterr().out)
    assert record["ok"] is True


# Directories -------------------------------------------------------------------------------------


def test_verify_walks_directories(capsys: Capture, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "b" / "deeper").mkdir(parents=True)
    (tree / "a").mkdir()
    (tree / ".hidden-dir").mkdir()
    (tree / "empty").mkdir()
    signed = SIGNED.read_bytes()
    files = {
        "z.json": signed,
        "noext": UNSIGNED.read_bytes(),
        "a/1.json": signed,
        "b/x.txt": TAMPERED.read_bytes(),
        "b/deeper/y": signed,
        ".hidden.json": b"not read",
        ".hidden-dir/m.json": b"not read",
    }
    for name, data in files.items():
        (tree / name).write_bytes(data)
    os.symlink(tree / "a", tree / "link-to-dir")  # not followed
    empty = tmp_path / "nothing-here"
    (empty / ".only-hidden").mkdir(parents=True)
    assert main(["verify", str(tree), str(empty)]) == 1
    captured = capsys.readouterr()
    seen = [line.split()[1].rstrip(":") for line in captured.out.splitlines()]
    failed = [line.split()[1].rstrip(":") for line in captured.err.splitlines()]
    expected = ["noext", "z.json", "a/1.json", "b/deeper/y"]  # an empty subdirectory is fine
    assert seen == [str(tree / name) for name in expected]
    assert failed == [str(tree / "b" / "x.txt"), str(empty)]
    assert "EmptyDirectory: no file in directory" in captured.err


def test_verify_json_walks_in_the_same_order(capsys: Capture) -> None:
    assert main(["verify", "--json", str(EXAMPLES)]) == 1  # README.md and the script fail
    records = json_lines(capsys.readouterr().out)
    paths = [r["path"] for r in records]
    assert paths[: len(VALID) + 2] == sorted(
        str(p) for p in EXAMPLES.iterdir() if p.is_file() and not p.name.startswith(".")
    )
    assert str(TAMPERED) in paths and str(EXAMPLES / "src" / "manifest.json") in paths
    by_path = {r["path"]: r for r in records}
    assert all(by_path[str(p)]["ok"] for p in VALID)
    assert by_path[str(EXAMPLES / "README.md")]["error"]["type"] == "MalformedSchema1Manifest"


MANY = 250


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """250 manifests: unsigned and signed ones of different tags, some broken."""
    folder = tmp_path_factory.mktemp("many")
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    base = DockerSchema1Manifest(UNSIGNED.read_bytes())
    for i in range(MANY):
        builder = DockerSchema1ManifestBuilder("ns", f"repo{i % 7}", f"tag{i}")
        for layer in reversed(base.layers):
            builder.add_layer(str(layer.digest), layer.raw_v1_metadata)
        data = builder.build(pem if i % 3 == 0 else None).bytes.as_encoded_str()
        if i % 50 == 7:
            data = data.replace(b'"tag', b'"tog', 1)  # malformed or not verifying
        elif i % 50 == 8:
            data = data[: len(data) // 2]
        (folder / f"m{i:03d}.json").write_bytes(data)
    return folder


class SpyExecutor(concurrent.futures.ThreadPoolExecutor):
    workers: ClassVar[list[int | None]] = []

    def __init__(self, max_workers: int | None = None) -> None:
        SpyExecutor.workers.append(max_workers)
        super().__init__(max_workers)


def test_many_files_run_threaded_with_the_sequential_results(
    many: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    SpyExecutor.workers = []
    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", SpyExecutor)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    threaded_status = main(["verify", str(many)])
    threaded = capsys.readouterr()
    assert SpyExecutor.workers == [4]  # one worker per core

    sequential_status = main(["verify", "--jobs", "1", str(many)])
    sequential = capsys.readouterr()
    assert SpyExecutor.workers == [4]  # no pool for one job

    assert threaded_status == sequential_status == 1
    assert threaded.out == sequential.out
    assert threaded.err == sequential.err  # the FAIL lines, and no progress bar: not a terminal
    assert len(threaded.out.splitlines()) + len(threaded.err.splitlines()) == MANY
    assert len(threaded.err.splitlines()) == 10
    paths = [line.split()[1].rstrip(":") for line in threaded.out.splitlines()]
    assert paths == sorted(paths)

    assert main(["verify", "--json", "--jobs", "3", str(many)]) == 1
    assert SpyExecutor.workers == [4, 3]
    records = json_lines(capsys.readouterr().out)
    assert [r["path"] for r in records] == sorted(str(p) for p in many.iterdir())
    assert sum(not r["ok"] for r in records) == 10


def test_few_files_run_sequentially(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    SpyExecutor.workers = []
    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", SpyExecutor)
    assert main(["verify", *map(str, VALID)]) == 0
    assert SpyExecutor.workers == []
    assert main(["verify", "--jobs", "2", *map(str, VALID)]) == 0
    assert SpyExecutor.workers == [2]
    out = capsys.readouterr().out.splitlines()
    assert out[: len(VALID)] == out[len(VALID) :]


def test_many_files_through_the_entry_point_show_no_bar_when_piped(many: Path) -> None:
    run = run_module("verify", "--jobs", "2", str(many))
    assert run.returncode == 1
    errors = run.stderr.decode().splitlines()
    assert len(errors) == 10 and all(line.startswith("FAIL ") for line in errors)
    assert "%|" not in run.stderr.decode() and "\r" not in run.stderr.decode()
    assert len(run.stdout.splitlines()) == MANY - 10


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@dataclass
class FakeBar:
    total: int
    file: Any
    updates: int = 0
    closed: bool = False
    writes: int = 0

    def update(self, n: int = 1) -> None:
        self.updates += n

    def close(self) -> None:
        self.closed = True

    def external_write_mode(self, file: Any = None) -> Any:
        self.writes += 1
        return io.StringIO()  # any context manager


@pytest.fixture
def fake_tqdm(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakeBar]]:
    """A stand-in ``tqdm`` module recording the bars the CLI makes."""
    bars: list[FakeBar] = []

    def tqdm(total: int, file: Any, **options: Any) -> FakeBar:
        bars.append(FakeBar(total, file))
        return bars[-1]

    module = types.ModuleType("tqdm")
    module.tqdm = tqdm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm", module)
    yield bars


def test_progress_bar_on_a_terminal(
    many: Path, fake_tqdm: list[FakeBar], monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["verify", str(many)]) == 1
    [bar] = fake_tqdm
    assert bar.total == MANY and bar.file is terminal
    assert bar.updates == MANY and bar.closed
    assert bar.writes == 10  # the FAIL lines go through the bar, stdout (not a terminal) not
    assert len(capsys.readouterr().out.splitlines()) == MANY - 10

    assert main(["digest", str(many)]) == 1
    assert len(fake_tqdm) == 2 and fake_tqdm[1].updates == MANY


@pytest.mark.parametrize(
    "argv",
    [["verify", "--json"], ["verify", "--jobs", "1", "--json"]],
)
def test_no_progress_bar_with_json(
    argv: list[str],
    many: Path,
    fake_tqdm: list[FakeBar],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Capture,
) -> None:
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    assert main([*argv, str(many)]) == 1
    assert fake_tqdm == []
    assert len(capsys.readouterr().out.splitlines()) == MANY


def test_no_progress_bar_for_few_files_or_off_a_terminal(
    many: Path, fake_tqdm: list[FakeBar], monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    assert main(["verify", str(many)]) == 1  # capsys's stderr is no terminal
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    assert main(["verify", *map(str, VALID)]) == 0  # not more than 200 files
    assert fake_tqdm == []


def test_no_progress_bar_without_tqdm(
    many: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["verify", str(many)]) == 1
    assert len(capsys.readouterr().out.splitlines()) == MANY - 10
    assert terminal.getvalue().count("\n") == 10
    assert all(line.startswith("FAIL ") for line in terminal.getvalue().splitlines())


def test_real_tqdm_bar(many: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    try:
        importlib.import_module("tqdm")
    except ImportError:
        pytest.skip("tqdm is not installed (the cli extra)")
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["verify", str(many)]) == 1
    shown = terminal.getvalue()
    assert f"{MANY}/{MANY}" in shown
    fails = [line for line in shown.replace("\r", "\n").splitlines() if "FAIL" in line]
    assert len(fails) == 10 and all(line.startswith("FAIL ") for line in fails)
    assert len(capsys.readouterr().out.splitlines()) == MANY - 10


# digest -------------------------------------------------------------------------------------------


def test_digest_single_file(capsys: Capture) -> None:
    assert main(["digest", str(SIGNED)]) == 0
    assert capsys.readouterr().out == DockerSchema1Manifest(SIGNED.read_bytes()).digest + "\n"


def test_digest_several_files_and_directories(capsys: Capture) -> None:
    assert main(["digest", str(SIGNED), str(UNSIGNED)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{DockerSchema1Manifest(p.read_bytes()).digest}  {p}" for p in (SIGNED, UNSIGNED)
    ]
    assert main(["digest", "--jobs", "2", str(EXAMPLES / "src")]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.endswith(f"  {EXAMPLES / 'src' / 'manifest.json'}")


def test_digest_stdin(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, TWO_SIGNATURES.read_bytes())
    assert main(["digest", "-"]) == 0
    assert capsys.readouterr().out.strip() == DockerSchema1Manifest(SIGNED.read_bytes()).digest


def test_digest_verifies_unless_told_not_to(capsys: Capture) -> None:
    assert main(["digest", str(TAMPERED), str(SIGNED)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"docker-schema1: {TAMPERED}: InvalidSchema1Signature: ")
    assert len(captured.err.splitlines()) == 1
    assert captured.out.endswith(f"  {SIGNED}\n")
    assert main(["digest", "--no-verify", str(TAMPERED)]) == 0
    tampered = DockerSchema1Manifest(TAMPERED.read_bytes(), validate=False).digest
    assert capsys.readouterr().out == tampered + "\n"


# inspect ------------------------------------------------------------------------------------------


def test_inspect_text(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["inspect", str(TWO_SIGNATURES)]) == 0
    out = capsys.readouterr().out
    m = DockerSchema1Manifest(TWO_SIGNATURES.read_bytes())
    assert "name          examples/hello\n" in out
    assert "tag           1.0\n" in out
    assert "architecture  amd64\n" in out
    assert f"media type    {m.media_type}\n" in out
    assert f"digest        {m.digest}\n" in out
    assert "signatures    2, verified\n" in out
    for alg, key_id in m.signers:
        assert f"{alg}  {key_id}\n" in out
    assert "not verified" not in out
    header, *rows = out.split("\n\n")[1].splitlines()
    assert header.split() == ["BLOB", "V1", "ID", "PARENT", "CREATED", "SIZE", "COMMAND"]
    assert len(rows) == len(m.layers)
    for row, layer in zip(rows, m.layers):  # base first
        assert row.startswith("sha256:" + layer.digest.hash_bytes[:12])  # shortened Docker-style
        assert layer.v1_metadata.image_id[:12] in row
        assert layer.v1_metadata.created[:19] in row
    assert rows[0].split()[2] == "-"  # the base has no parent
    assert "1.9 MB" in rows[0]
    assert rows[2].endswith('/bin/sh -c #(nop) CMD ["/bin/sh"]')  # the command in full


def test_inspect_fits_the_terminal(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    for columns in (80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        assert main(["inspect", str(SIGNED)]) == 0
        table = capsys.readouterr().out.split("\n\n")[1].splitlines()
        assert all(len(line) <= columns for line in table), columns
        assert any(line.endswith("…") for line in table)
    monkeypatch.setenv("COLUMNS", "1000")
    assert main(["inspect", str(SIGNED)]) == 0
    out = capsys.readouterr().out
    m = DockerSchema1Manifest(SIGNED.read_bytes())
    for layer in m.layers:  # every cell in full when it fits
        assert str(layer.digest) in out and layer.v1_metadata.created in out
    assert "…" not in out


def test_inspect_unsigned_and_stdin(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, UNSIGNED.read_bytes())
    assert main(["inspect", "-"]) == 0
    out = capsys.readouterr().out
    assert "signatures    none (unsigned)\n" in out
    assert "media type    application/vnd.docker.distribution.manifest.v1+json\n" in out


def test_inspect_a_manifest_that_does_not_verify(capsys: Capture) -> None:
    assert main(["inspect", str(TAMPERED)]) == 1
    captured = capsys.readouterr()
    m = DockerSchema1Manifest(TAMPERED.read_bytes(), validate=False)
    assert "signatures    1, NOT VERIFIED: InvalidSchema1Signature: signature 0" in captured.out
    kid = m.signatures[0]["header"]["jwk"]["kid"]  # type: ignore[index]
    assert f"ES256  {kid}  (not verified)\n" in captured.out
    assert f"digest        {m.digest}\n" in captured.out
    assert "layers        3, base first" in captured.out
    assert len(captured.out.split("\n\n")[1].splitlines()) == 4  # the table is still there
    assert captured.err == ""


def test_inspect_json(capsys: Capture) -> None:
    assert main(["inspect", "--json", str(TWO_SIGNATURES)]) == 0
    [record] = json_lines(capsys.readouterr().out)
    m = DockerSchema1Manifest(TWO_SIGNATURES.read_bytes())
    assert record["path"] == str(TWO_SIGNATURES)
    assert record["name"] == "examples/hello"
    assert (record["namespace"], record["repo_name"], record["tag"]) == ("examples", "hello", "1.0")
    assert record["architecture"] == "amd64"
    assert record["media_type"] == m.media_type
    assert record["digest"] == m.digest
    assert record["signed"] is True and record["verified"] is True and record["error"] is None
    assert record["signatures"] == [
        {"alg": alg, "key_id": key_id, "verified": True} for alg, key_id in m.signers
    ]
    assert record["layers_error"] is None
    assert record["layers"] == [
        {
            "digest": str(layer.digest),
            "v1_id": layer.v1_metadata.image_id,
            "parent": layer.v1_metadata.parent_image_id,
            "created": layer.v1_metadata.created,
            "size": layer.compressed_size,
            "command": layer.v1_metadata.command,
            "author": layer.v1_metadata.author,
            "comment": layer.v1_metadata.comment,
        }
        for layer in m.layers
    ]


def test_inspect_json_of_a_manifest_that_does_not_verify(capsys: Capture) -> None:
    assert main(["inspect", "--json", str(TAMPERED)]) == 1
    [record] = json_lines(capsys.readouterr().out)
    assert record["verified"] is False and record["signed"] is True
    assert record["error"]["type"] == "InvalidSchema1Signature"
    [signature] = record["signatures"]
    assert signature["alg"] == "ES256" and signature["verified"] is False
    assert signature["key_id"].startswith("YY52:")
    assert len(record["layers"]) == 3


def test_inspect_unreadable_layers(capsys: Capture, tmp_path: Path) -> None:
    builder = DockerSchema1ManifestBuilder("", "repo", "t").add_layer("sha256:" + "0" * 64, "{}")
    path = tmp_path / "no-id.json"
    path.write_bytes(builder.build().bytes.as_encoded_str())
    assert main(["inspect", str(path)]) == 1
    out = capsys.readouterr().out
    assert "name          repo\n" in out
    assert "layers        UNREADABLE: MalformedSchema1Manifest: layer 0" in out
    assert main(["inspect", "--json", str(path)]) == 1
    [record] = json_lines(capsys.readouterr().out)
    assert record["verified"] is True and record["layers"] is None
    assert record["layers_error"]["type"] == "MalformedSchema1Manifest"


def test_inspect_malformed(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b"{nope")
    assert main(["inspect", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"docker-schema1: {path}: MalformedSchema1Manifest: ")
    assert len(captured.err.splitlines()) == 1


# sign -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key_name", ["rsa.pem", "p256.jwk", "p384.pem", "p521.jwk", "rsa.jwk"])
def test_sign_round_trip(
    key_name: str, keys: dict[str, KeyFile], tmp_path: Path, capsys: Capture
) -> None:
    key = keys[key_name]
    out = tmp_path / "signed.json"
    assert main(["sign", "--key", str(key.path), str(UNSIGNED), "-o", str(out)]) == 0
    assert capsys.readouterr() == ("", "")
    signed = DockerSchema1Manifest(out.read_bytes())  # verifies
    original = DockerSchema1Manifest(UNSIGNED.read_bytes())
    assert signed.signers == [(key.alg, key.key_id)]
    assert (
        key.alg
        == {"rsa": "RS256", "p256": "ES256", "p384": "ES384", "p521": "ES512"}[
            key_name.split(".")[0]
        ]
    )
    assert (signed.namespace, signed.repo_name, signed.tag, signed.architecture) == (
        original.namespace,
        original.repo_name,
        original.tag,
        original.architecture,
    )
    assert signed.blob_digests == original.blob_digests
    assert [layer.raw_v1_metadata for layer in signed.layers] == [
        layer.raw_v1_metadata for layer in original.layers
    ]
    assert main(["verify", "--require-signature", str(out)]) == 0
    assert capsys.readouterr().out.endswith(f" {key.alg}:{key.key_id}\n")


def test_sign_a_signed_manifest_re_signs_its_layers(
    keys: dict[str, KeyFile], capsysbinary: BinaryCapture
) -> None:
    key = keys["p256.pem"]
    assert main(["sign", "--key", str(key.path), str(TWO_SIGNATURES)]) == 0
    data = capsysbinary.readouterr().out
    signed = DockerSchema1Manifest(data)
    assert signed.signers == [("ES256", key.key_id)]
    assert (
        signed.unsigned().bytes
        == DockerSchema1Manifest(TWO_SIGNATURES.read_bytes()).unsigned().bytes
    )
    assert data.endswith(b"}") and not data.endswith(b"\n")  # the bytes exactly


def test_sign_stdin_and_utf8(
    keys: dict[str, KeyFile], capsysbinary: BinaryCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = keys["p384.pem"]
    set_stdin(monkeypatch, UNSIGNED.read_bytes())
    assert main(["sign", "--key", str(key.path), "-"]) == 0
    escaped = capsysbinary.readouterr().out
    assert escaped.isascii() and b"S\\u00f4m\\u00e9 guy" in escaped
    set_stdin(monkeypatch, UNSIGNED.read_bytes())
    assert main(["sign", "--utf8", "--key", str(key.path), "-"]) == 0
    utf8 = capsysbinary.readouterr().out
    assert "Sômé guy".encode() in utf8
    for data in (escaped, utf8):
        assert DockerSchema1Manifest(data).signers == [("ES384", key.key_id)]
    assert DockerSchema1Manifest(escaped).digest != DockerSchema1Manifest(utf8).digest


def test_sign_then_verify_through_the_entry_point(keys: dict[str, KeyFile], tmp_path: Path) -> None:
    key = keys["rsa.pem"]
    signed = run_module("sign", "--key", str(key.path), str(UNSIGNED))
    assert signed.returncode == 0, signed.stderr
    assert signed.stderr == b""
    verified = run_module("verify", "--json", "-", stdin=signed.stdout)
    assert verified.returncode == 0
    [record] = json_lines(verified.stdout.decode())
    assert record["signatures"] == [{"alg": "RS256", "key_id": key.key_id}]


@pytest.mark.parametrize(
    ("key_name", "message"),
    [
        ("missing.pem", "No such file or directory"),
        ("public.pem", "unusable key: public key given"),
        ("garbage.pem", "unusable key: unrecognised key"),
    ],
)
def test_sign_with_an_unusable_key(
    key_name: str, message: str, keys: dict[str, KeyFile], capsys: Capture, tmp_path: Path
) -> None:
    path = keys["rsa.pem"].path.parent / key_name
    out = tmp_path / "out.json"
    assert main(["sign", "--key", str(path), str(UNSIGNED), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"docker-schema1: {path}: {message}")
    assert not out.exists()


def test_sign_refuses_a_manifest_that_does_not_verify(
    keys: dict[str, KeyFile], capsys: Capture
) -> None:
    assert main(["sign", "--key", str(keys["rsa.pem"].path), str(TAMPERED)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"docker-schema1: {TAMPERED}: InvalidSchema1Signature: signature 0")


# unsigned ---------------------------------------------------------------------------------------


def test_unsigned(capsysbinary: BinaryCapture, tmp_path: Path) -> None:
    assert main(["unsigned", str(TWO_SIGNATURES)]) == 0
    data = capsysbinary.readouterr().out
    expected = DockerSchema1Manifest(TWO_SIGNATURES.read_bytes()).unsigned()
    assert data == expected.bytes.as_encoded_str()
    assert not DockerSchema1Manifest(data).is_signed
    out = tmp_path / "u.json"
    assert main(["unsigned", str(SIGNED), "-o", str(out)]) == 0
    assert capsysbinary.readouterr() == (b"", b"")
    assert out.read_bytes() == data  # the same layers, whatever signed them


def test_unsigned_of_an_unsigned_manifest_is_the_same_bytes(
    capsysbinary: BinaryCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_stdin(monkeypatch, UNSIGNED.read_bytes())
    assert main(["unsigned", "-", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out == UNSIGNED.read_bytes()


# retag ------------------------------------------------------------------------------------------


def test_retag_unsigned(capsysbinary: BinaryCapture) -> None:
    assert main(["retag", "--tag", "2.0", str(SIGNED)]) == 0
    data = capsysbinary.readouterr().out
    retagged = DockerSchema1Manifest(data)
    original = DockerSchema1Manifest(SIGNED.read_bytes())
    assert retagged.tag == "2.0" and not retagged.is_signed
    assert (retagged.namespace, retagged.repo_name) == ("examples", "hello")
    assert retagged.blob_digests == original.blob_digests
    assert data == original.with_tag_name("2.0").bytes.as_encoded_str()
    # under its own tag, the retagged layers are exactly the unsigned manifest
    assert main(["retag", "--tag", "1.0", str(SIGNED)]) == 0
    same_tag = capsysbinary.readouterr().out
    assert main(["unsigned", str(SIGNED)]) == 0
    assert same_tag == capsysbinary.readouterr().out
    assert DockerSchema1Manifest(same_tag).digest == original.unsigned().digest


def test_retag_signed(
    keys: dict[str, KeyFile], capsysbinary: BinaryCapture, tmp_path: Path
) -> None:
    key = keys["p521.jwk"]
    out = tmp_path / "retagged.json"
    argv = ["retag", "--tag", "v2", "--key", str(key.path), str(TWO_SIGNATURES), "-o", str(out)]
    assert main(argv) == 0
    retagged = DockerSchema1Manifest(out.read_bytes())
    assert retagged.tag == "v2"
    assert retagged.signers == [("ES512", key.key_id)]
    assert main(["retag", "--tag", "v2", str(TWO_SIGNATURES)]) == 0
    unsigned_v2 = capsysbinary.readouterr().out
    assert retagged.unsigned().bytes.as_encoded_str() == unsigned_v2
    assert main(["unsigned", str(out)]) == 0
    assert capsysbinary.readouterr().out == unsigned_v2


def test_retag_with_an_unusable_key(keys: dict[str, KeyFile], capsys: Capture) -> None:
    path = keys["rsa.pem"].path.parent / "public.pem"
    assert main(["retag", "--tag", "x", "--key", str(path), str(SIGNED)]) == 1
    assert capsys.readouterr().err.startswith(f"docker-schema1: {path}: unusable key: ")


# strip-metadata ---------------------------------------------------------------------------------


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    """A manifest whose lower layers carry more v1 metadata than strip-metadata keeps."""
    builder = DockerSchema1ManifestBuilder("ns", "app", "latest", "arm64")
    layers: list[tuple[str, str | None, dict[str, Any]]] = [
        ("c" * 64, "b" * 64, {"os": "linux", "author": "Ünïcode"}),
        ("b" * 64, "a" * 64, {"config": {"Env": ["A=1"]}, "container": "x", "Size": 12}),
        ("a" * 64, None, {"docker_version": "1.13", "container_config": {"Cmd": ["sh"], "Tty": 1}}),
    ]
    for image_id, parent, extra in layers:  # leaf first
        v1 = {"id": image_id, "created": "2020-01-02T03:04:05Z", **extra}
        if parent:
            v1["parent"] = parent
        builder.add_layer("sha256:" + image_id[:1] * 64, json.dumps(v1, ensure_ascii=False))
    path = tmp_path / "rich.json"
    path.write_bytes(builder.build().bytes.as_encoded_str())
    return path


def test_strip_metadata(rich: Path, capsysbinary: BinaryCapture) -> None:
    assert main(["strip-metadata", str(rich)]) == 0
    data = capsysbinary.readouterr().out
    stripped = DockerSchema1Manifest(data)
    original = DockerSchema1Manifest(rich.read_bytes())
    assert not stripped.is_signed
    assert stripped.blob_digests == original.blob_digests
    assert [layer.v1_metadata.image_id for layer in stripped.layers] == [
        layer.v1_metadata.image_id for layer in original.layers
    ]
    assert (stripped.namespace, stripped.repo_name, stripped.tag, stripped.architecture) == (
        "ns",
        "app",
        "latest",
        "arm64",
    )
    base, middle, leaf = (json.loads(layer.raw_v1_metadata) for layer in stripped.layers)
    assert base == {
        "id": "a" * 64,
        "created": "2020-01-02T03:04:05Z",
        "container_config": {"Cmd": ["sh"]},
    }
    assert "config" not in middle and "container" not in middle and middle["Size"] == 12
    assert leaf == json.loads(original.layers[-1].raw_v1_metadata)  # the leaf is kept whole
    builder = DockerSchema1ManifestBuilder("ns", "app", "latest", "arm64")
    for layer in reversed(original.layers):
        builder.add_layer(str(layer.digest), layer.raw_v1_metadata)
    assert data == builder.with_metadata_removed().build().bytes.as_encoded_str()


def test_strip_metadata_signed(
    rich: Path, keys: dict[str, KeyFile], tmp_path: Path, capsys: Capture
) -> None:
    key = keys["rsa.jwk"]
    out = tmp_path / "stripped.json"
    argv = ["strip-metadata", str(rich), "--key", str(key.path), "-o", str(out)]
    assert main(argv) == 0
    data = out.read_bytes()
    stripped = DockerSchema1Manifest(data)
    assert data.isascii()  # canonical JSON, non-ASCII escaped
    assert json.loads(stripped.layers[-1].raw_v1_metadata)["author"] == "Ünïcode"
    assert stripped.signers == [("RS256", key.key_id)]
    assert stripped.blob_digests == DockerSchema1Manifest(rich.read_bytes()).blob_digests
    assert main(["verify", str(out)]) == 0


def test_strip_metadata_of_layers_without_ids(capsys: Capture, tmp_path: Path) -> None:
    builder = DockerSchema1ManifestBuilder("", "repo", "t").add_layer("sha256:" + "0" * 64, "{}")
    path = tmp_path / "no-id.json"
    path.write_bytes(builder.build().bytes.as_encoded_str())
    assert main(["strip-metadata", str(path)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"docker-schema1: {path}: MalformedSchema1Manifest: ")


# Every command: stdin, errors, --debug --------------------------------------------------------


def command_argv(command: str, path: str, key: Path) -> list[str]:
    extra = {"sign": ["--key", str(key)], "retag": ["--tag", "t2"]}.get(command, [])
    return [command, *extra, path]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_reads_stdin(
    command: str,
    keys: dict[str, KeyFile],
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: BinaryCapture,
) -> None:
    set_stdin(monkeypatch, SIGNED.read_bytes())
    assert main(command_argv(command, "-", keys["p256.pem"].path)) == 0
    captured = capsysbinary.readouterr()
    assert captured.err == b""
    assert captured.out


@pytest.mark.parametrize("command", COMMANDS)
def test_errors_are_one_line_without_traceback(
    command: str, keys: dict[str, KeyFile], capsys: Capture, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schemaVersion": 1}')
    assert main(command_argv(command, str(bad), keys["p256.pem"].path)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    prefix = f"FAIL {bad}: " if command == "verify" else f"docker-schema1: {bad}: "
    assert line.startswith(prefix + "MalformedSchema1Manifest: ")
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", COMMANDS)
def test_debug_shows_the_traceback(
    command: str, where: str, keys: dict[str, KeyFile], capsys: Capture, tmp_path: Path
) -> None:
    missing = str(tmp_path / "missing.json")
    argv = command_argv(command, missing, keys["p256.pem"].path)
    argv = ["--debug", *argv] if where == "before" else [argv[0], "--debug", *argv[1:]]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "FileNotFoundError" in err
    last = err.splitlines()[-1]
    assert last.endswith(
        f"{missing}: FileNotFoundError: No such file or directory"
    ) or last.endswith(f"{missing}: No such file or directory")


def test_errors_through_the_entry_point(tmp_path: Path) -> None:
    run = run_module("inspect", str(tmp_path / "missing.json"))
    assert run.returncode == 1
    assert run.stdout == b""
    assert (
        run.stderr.decode()
        == f"docker-schema1: {tmp_path / 'missing.json'}: No such file or directory\n"
    )
    debug = run_module("--debug", "inspect", str(tmp_path / "missing.json"))
    assert debug.returncode == 1 and b"Traceback" in debug.stderr


def test_output_to_an_unwritable_place(capsys: Capture, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "out.json"
    assert main(["unsigned", str(SIGNED), "-o", str(out)]) == 1
    assert capsys.readouterr().err == f"docker-schema1: {out}: No such file or directory\n"


def test_unexpected_errors_are_reported_per_file(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = DockerSchema1Manifest

    def flaky(data: bytes, validate: bool = True) -> DockerSchema1Manifest:
        if b"ES384" in data:
            raise RuntimeError("boom")
        return real(data, validate)

    monkeypatch.setattr(cli, "DockerSchema1Manifest", flaky)
    assert main(["verify", *map(str, VALID)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"FAIL {EXAMPLES / 'signed-es384.json'}: RuntimeError: boom\n"
    assert len(captured.out.splitlines()) == len(VALID) - 1


def test_interrupt(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(source: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_verify_one", interrupted)
    assert main(["verify", str(SIGNED)]) == 130
    assert capsys.readouterr().err == "docker-schema1: interrupted\n"


def test_broken_pipe_is_quiet(many: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "docker_schema1", "verify", str(many)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head`, gone before the output comes
    err = process.stderr.read().decode()
    process.stderr.close()
    process.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err
