"""What a render holds, without installing it: fast."""

import re
from pathlib import Path

import copier
import pytest
import yaml
from conftest import VARIANTS
from support import commit_all, git, render

QUESTIONS = {
    "project_name",
    "project_slug",
    "package_name",
    "description",
    "python_version",
    "database_name",
}


def files_of(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_jinja_left(template: Path, tmp_path: Path, variant: str) -> None:
    render(template, tmp_path, VARIANTS[variant])
    files = files_of(tmp_path)
    assert files, "the render is empty"
    leftovers = [
        name
        for name in files
        if name.endswith(".jinja") or "{{" in name or "{%" in name
    ]
    for name, content in files.items():
        try:
            text = content.decode()
        except UnicodeDecodeError:
            continue  # not text
        leftovers += [
            f"{name}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), 1)
            if re.search(r"\{\{|\{%|\{#", line)
        ]
    assert leftovers == []


def test_answers_file_records_commit_and_answers(
    template: Path, tmp_path: Path
) -> None:
    answers = VARIANTS["inventory"]
    render(template, tmp_path, answers)
    recorded = yaml.safe_load((tmp_path / ".copier-answers.yml").read_text())
    assert (
        recorded["_commit"] == git(template, "describe", "--tags", "--always").strip()
    )
    assert recorded["_src_path"] == str(template)
    assert recorded.keys() >= QUESTIONS
    assert {name: recorded[name] for name in answers} == answers


def test_render_is_deterministic(template: Path, tmp_path: Path) -> None:
    render(template, tmp_path / "first", VARIANTS["default"])
    render(template, tmp_path / "second", VARIANTS["default"])
    assert files_of(tmp_path / "first") == files_of(tmp_path / "second")


def test_update_with_a_new_answer_merges_cleanly(
    template: Path, tmp_path: Path
) -> None:
    # `copier update` exits 0 even when it leaves conflicts: look for them.
    render(template, tmp_path, VARIANTS["default"])
    commit_all(tmp_path, "rendered")
    copier.run_update(
        dst_path=tmp_path,
        data={"description": "Counts things"},
        defaults=True,
        overwrite=True,
        unsafe=False,
        vcs_ref="HEAD",
        quiet=True,
        settings=copier.Settings(),
    )
    assert git(tmp_path, "ls-files", "--unmerged") == ""
    assert list(tmp_path.rglob("*.rej")) == []
    markers = re.compile(rb"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)
    assert [
        name for name, content in files_of(tmp_path).items() if markers.search(content)
    ] == []
    recorded = yaml.safe_load((tmp_path / ".copier-answers.yml").read_text())
    assert recorded["description"] == "Counts things"
    assert 'description = "Counts things"' in (tmp_path / "pyproject.toml").read_text()
