"""What a render holds, without installing it: fast."""

import re
from pathlib import Path

import pytest
import yaml

from conftest import VARIANTS
from support import commit_all, files_of, git, merge_problems, render, update

QUESTIONS = {
    "project_name",
    "project_slug",
    "package_name",
    "description",
    "python_version",
    "database_name",
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
    render(template, tmp_path, VARIANTS["default"])
    commit_all(tmp_path, "rendered")
    update(tmp_path, data={"description": "Counts things"}, vcs_ref="HEAD")
    assert merge_problems(tmp_path) == []
    recorded = yaml.safe_load((tmp_path / ".copier-answers.yml").read_text())
    assert recorded["description"] == "Counts things"
    assert 'description = "Counts things"' in (tmp_path / "pyproject.toml").read_text()
