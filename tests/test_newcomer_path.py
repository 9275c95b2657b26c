"""The READMEs' commands, verbatim, as a newcomer runs them: the template
README's scaffold command in a clone of this repository (relative paths and
all), then the rendered docs/updating.md's steps after a new template release."""

import re
import subprocess
from pathlib import Path

import yaml

from support import GIT_ENV, commit_all, find_python, git, inner_env, merge_problems

SERVE = " && uv run fastapi dev"
RELEASE_LINE = "A line the release 1.0.0 adds to the rendered README."


def bash_blocks(markdown: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", markdown, re.DOTALL)


def bash(script: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{script!r} exited {done.returncode}:\n{output}"
    return output


def test_the_readme_scaffold_updates_with_the_rendered_readme_steps(
    template: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "fastapi-service-template"
    git(tmp_path, "clone", "-q", str(template), str(clone))
    env = {**inner_env(find_python("3.11")), **GIT_ENV}

    scaffold = bash_blocks((clone / "README.md").read_text())[0].strip()
    assert scaffold.endswith(SERVE)  # served by hand; tests/test_serving.py serves
    bash(scaffold.removesuffix(SERVE), clone, env)
    project = tmp_path / "my-service"
    assert (project / "pyproject.toml").exists()

    updating = (project / "docs/updating.md").read_text()
    start_git, update = bash_blocks(updating)
    bash(start_git, project, env)

    # The template's maintainers cut a release.
    with (clone / "template/README.md.jinja").open("a") as readme:
        readme.write(f"\n{RELEASE_LINE}\n")
    commit_all(clone, "Release 1.0.0")
    git(clone, "tag", "1.0.0")

    output = bash(update, project, env)
    assert merge_problems(project) == []
    assert RELEASE_LINE in (project / "README.md").read_text()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "1.0.0"
    assert re.search(r"\b\d+ passed\b", output), output
