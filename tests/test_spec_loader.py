"""The spec loader: the real spec loads; broken copies name file, field and line in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lambda_conformance.spec import PROFILES, SpecError, load_raw, load_spec
from lambda_conformance.spec.loader import DEFAULT_SPEC_PATH

TEXT = DEFAULT_SPEC_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize("profile", PROFILES)
def test_real_spec_loads(profile: str) -> None:
    spec = load_spec(profile)
    assert spec.profile == profile
    assert spec.requirements
    assert {"FunctionName", "Qualifier", "InvocationType", "LogType", "ClientContext"} <= set(
        spec.parameters
    )
    assert len([e for e in spec.errors.values() if e.source == "page"]) == 26


def test_profiles_differ_where_overridden() -> None:
    documented, aws = load_spec("documented"), load_spec("aws")
    assert documented.parameters["FunctionName"].max_length == 170
    assert aws.parameters["FunctionName"].max_length == 256
    assert "ValidationException" in aws.errors and "ValidationException" not in documented.errors


def _line(needle: str) -> int:
    """The 1-based line of the first occurrence of `needle` in the real spec."""
    return TEXT[: TEXT.index(needle)].count("\n") + 1


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in TEXT, f"fixture out of date: {old!r} is no longer in spec/invoke.yaml"
    path = tmp_path / "invoke.yaml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def _error(path: Path, profile: str = "documented") -> str:
    with pytest.raises(SpecError) as caught:
        load_spec(profile, path)
    message = str(caught.value)
    # One line, naming the file first; never a traceback or a multi-line dump.
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(str(path)) or message.startswith("invoke.yaml")
    return message


FUNCTION_NAME_MAX = "    max_length: 170\n"


def test_wrong_type_names_field_value_and_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, FUNCTION_NAME_MAX, "    max_length: 17O\n")
    message = _error(path)
    line = _line(FUNCTION_NAME_MAX)
    assert message.endswith(
        f"parameters.FunctionName.max_length: expected an integer, got '17O' (line {line})"
    )


def test_bad_regex_pattern(tmp_path: Path) -> None:
    old = "    pattern: '(|[a-zA-Z0-9$_-]+)'\n"
    message = _error(_broken(tmp_path, old, "    pattern: '(|[a-zA-Z0-9$_-]+'\n"))
    assert "parameters.Qualifier.pattern: invalid regular expression" in message
    assert message.endswith(f"(line {_line(old)})")


def test_unknown_key(tmp_path: Path) -> None:
    message = _error(_broken(tmp_path, FUNCTION_NAME_MAX, FUNCTION_NAME_MAX + "    maxlength: 5\n"))
    line = _line(FUNCTION_NAME_MAX) + 1
    assert message.endswith(
        f"parameters.FunctionName.maxlength: unknown key 'maxlength' (line {line})"
    )


def test_missing_requirement_field(tmp_path: Path) -> None:
    old = "{id: INV-TYPE-001, level: MUST, category: invocation-type, testability: active, "
    message = _error(_broken(tmp_path, old, old.replace("testability: active, ", "")))
    # YAML paths count list items from 0: INV-TYPE-001 is the first requirement.
    assert "requirements.0.testability: missing required field" in message
    assert message.endswith(f"(line {_line(old)})")


def test_duplicate_requirement_id(tmp_path: Path) -> None:
    message = _error(_broken(tmp_path, "{id: INV-TYPE-002,", "{id: INV-TYPE-001,"))
    assert "duplicate requirement id 'INV-TYPE-001'" in message
    assert "requirements.1.id" in message
    assert message.endswith(f"(line {_line('{id: INV-TYPE-002,')})")


def test_requirement_citing_unknown_section(tmp_path: Path) -> None:
    old = 'testability: active, section: "Invoke ¶1",\n     statement: "A synchronous invocation'
    message = _error(_broken(tmp_path, old, old.replace("Invoke ¶1", "Invoke ¶9")))
    assert "requirements.6.section: section 'Invoke ¶9' is not listed under sections" in message
    assert message.endswith(f"(line {_line(old)})")


def test_override_path_that_does_not_exist(tmp_path: Path) -> None:
    old = "      - path: parameters.FunctionName.max_length\n"
    path = _broken(tmp_path, old, "      - path: parameters.FunctionName.maxlen\n")
    for profile in PROFILES:
        # A broken aws override breaks the file, whichever profile is asked for.
        message = _error(path, profile)
        assert (
            "profiles.aws.overrides.0.path: no such field 'parameters.FunctionName.maxlen'"
            in message
        )
        assert message.endswith(f"(line {_line(old)})")


def test_override_of_unknown_requirement(tmp_path: Path) -> None:
    old = "      - path: requirements.INV-ERR-RequestTooLarge.testability\n"
    message = _error(
        _broken(tmp_path, old, old.replace("INV-ERR-RequestTooLarge", "INV-ERR-Nope")), "aws"
    )
    assert "no such field 'requirements.INV-ERR-Nope.testability'" in message


def test_invalid_yaml(tmp_path: Path) -> None:
    old = "  success_status:\n"
    message = _error(_broken(tmp_path, old, "  success_status: [200\n"))
    assert "not valid YAML" in message
    assert re.search(r"\(line \d+\)$", message)


def test_python_tags_are_refused(tmp_path: Path) -> None:
    # yaml.safe_load only: a python/object tag would run code under yaml.load.
    path = _broken(
        tmp_path, "title: AWS Lambda Invoke\n", "title: !!python/object/apply:os.getcwd []\n"
    )
    message = _error(path)
    assert "not valid YAML" in message and "python/object" in message
    assert message.endswith(f"(line {_line('title: AWS Lambda Invoke')})")


def test_load_raw_reports_the_same_errors(tmp_path: Path) -> None:
    path = _broken(tmp_path, FUNCTION_NAME_MAX, "    max_length: 17O\n")
    with pytest.raises(SpecError, match=r"expected an integer, got '17O'"):
        load_raw(path)


def test_unknown_profile() -> None:
    with pytest.raises(
        SpecError, match=r"unknown profile 'nope'; the spec defines aws, documented"
    ):
        load_spec("nope")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot be read"):
        load_spec("documented", tmp_path / "absent.yaml")


def test_cli_reports_a_broken_spec_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from lambda_conformance.spec.__main__ import main

    path = _broken(tmp_path, FUNCTION_NAME_MAX, "    max_length: 17O\n")
    for command in (["trace"], ["drift"], ["openapi", "--profile", "aws"], ["generate", "--check"]):
        assert main(["--spec", str(path), *command]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "parameters.FunctionName.max_length: expected an integer, got '17O'" in err
