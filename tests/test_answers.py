"""Answers the template must refuse, and the names it reserves."""

import re
import sys
from pathlib import Path

import pytest
import yaml

from support import REPO_ROOT, render

# (question, bad answer, what its validator says)
BAD_ANSWERS = [
    ("package_name", "json", '"json" would shadow the standard-library or'),
    ("package_name", "fastapi", '"fastapi" would shadow the standard-library or'),
    ("package_name", "class", '"class" is a Python keyword; pick another'),
    ("package_name", "9x", "The package name must be a lowercase Python identifier"),
    ("project_slug", "Bad Slug", "The slug must start with a lowercase letter"),
    ("database_name", "Bad-Name", "The database name must start with a lowercase"),
    ("project_name", "", "The project name must not be empty."),
    ("project_name", 'Say "hi"', "may not contain double quotes, backslashes"),
]


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    BAD_ANSWERS,
    ids=[f"{question}={answer!r}" for question, answer, _ in BAD_ANSWERS],
)
def test_bad_answer_is_refused_with_its_message(
    template: Path, tmp_path: Path, question: str, answer: str, message: str
) -> None:
    answers = {"project_name": "Demo Service", question: answer}
    with pytest.raises(ValueError, match=re.escape(message)):
        render(template, tmp_path / "project", answers)
    assert not (tmp_path / "project").exists()


def test_reserved_names_cover_the_standard_library() -> None:
    reserved = yaml.safe_load((REPO_ROOT / "copier/reserved-names.yml").read_text())
    names = set(reserved["reserved_package_names"]["default"])
    public_stdlib = {
        name for name in sys.stdlib_module_names if not name.startswith("_")
    }
    assert sorted(public_stdlib - names) == []


@pytest.mark.parametrize(
    ("project_name", "slug"),
    [
        ("Demo Service", "demo-service"),
        ("Café Ünïcode", "cafe-unicode"),
        ("Ærøskøbing Straße", "aeroskobing-strasse"),
        ("Łódź Świętokrzyska", "lodz-swietokrzyska"),
        ("123 Service", "svc-123-service"),
        ("  --Weird__Name!! ", "weird-name"),
        ("日本語", "svc"),
    ],
)
def test_defaults_derived_from_any_name_are_valid(
    template: Path, tmp_path: Path, project_name: str, slug: str
) -> None:
    answers = render(template, tmp_path / "project", {"project_name": project_name})
    assert answers["project_slug"] == slug
    assert answers["database_name"] == slug.replace("-", "_")


def test_a_refused_answer_says_how_to_pass_another(
    template: Path, tmp_path: Path
) -> None:
    answers = {"project_name": "x", "project_slug": "9"}
    with pytest.raises(ValueError, match="pass one with --data project_slug="):
        render(template, tmp_path / "project", answers)
