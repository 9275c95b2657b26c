"""Add a resource built as items is: `uv run python scripts/add_resource.py tags`.

It writes src/<package>/<name>/ (models, schemas, repository, service, router:
a name unique among live rows and a description, to edit from there), registers
the model in models.py, adds the router to api.py's routers, writes
tests/api/v1/test_<name>.py (the template's resource contract, from
tests/contract.py) and generates the migration with Alembic. Owned by the
template: `copier update` improves it; the files it writes are yours.
"""

import argparse
import keyword
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "resource"
LAYERS = ("models", "schemas", "repository", "service", "router")
NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
RESERVED = {"core", "api", "main", "models"}


class NameRefusedError(Exception):
    """A resource name that cannot be used, and why."""


def package_name() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    name: str = pyproject["tool"]["uv"]["build-backend"]["module-name"]
    return name


def singular_of(plural: str) -> str:
    for ending, replacement in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("s", "")):
        if plural.endswith(ending) and len(plural) > len(ending):
            return plural.removesuffix(ending) + replacement
    return plural


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def names_for(plural: str, singular: str | None) -> dict[str, str]:
    singular = singular or singular_of(plural)
    for name in (plural, singular):
        if not NAME.fullmatch(name) or keyword.iskeyword(name):
            raise NameRefusedError(
                f"{name!r} is not a lowercase snake_case Python name; "
                "use letters, digits and single underscores, starting with a letter"
            )
    if singular == plural:
        raise NameRefusedError(
            f"{plural!r} and its singular must differ; pass --singular "
            "(e.g. `add_resource.py series --singular series_item`)"
        )
    return {
        "plural": plural,
        "singular": singular,
        "Plural": camel(plural),
        "Singular": camel(singular),
        "SINGULAR": singular.upper(),
        "path": plural.replace("_", "-"),
    }


def add_resource(plural: str, singular: str | None = None) -> list[Path]:
    """Write the resource's files and register it; return what was written."""
    names = names_for(plural, singular)
    package = ROOT / "src" / package_name()
    folder = package / plural
    test = ROOT / "tests" / "api" / "v1" / f"test_{plural}.py"
    reserved = {"core", "api", "main", "models"}
    if plural in reserved or folder.exists() or test.exists():
        raise NameRefusedError(
            f"{plural!r} is taken: {folder} or {test} exists, or is the app's"
        )
    folder.mkdir()
    written = [folder / "__init__.py"]
    written[0].write_text("")
    for layer in LAYERS:
        written.append(folder / f"{layer}.py")
        written[-1].write_text(_render(f"{layer}.py.tmpl", names))
    test.write_text(_render("test.py.tmpl", names))
    written.append(test)
    _register(package / "models.py", names)
    _mount(package / "api.py", names)
    written += [package / "models.py", package / "api.py"]
    _tidy(written)
    return written


def _render(template: str, names: dict[str, str]) -> str:
    return Template((TEMPLATES / template).read_text()).substitute(names)


def _register(models: Path, names: dict[str, str]) -> None:
    """Import the model in models.py and list it in __all__."""
    text = models.read_text()
    model = names["Singular"]
    line = f"from .{names['plural']}.models import {model}\n"
    text = _after_last_import(text, line)
    text, found = re.subn(
        r"__all__ = \[(.*?)\]",
        lambda match: f'__all__ = [{match[1].rstrip(", ")}, "{model}"]',
        text,
        count=1,
        flags=re.DOTALL,
    )
    if not found:
        text += f'\n__all__ += ["{model}"]\n'
    models.write_text(text)


def _mount(api: Path, names: dict[str, str]) -> None:
    """Import the router in api.py and add it to the routers included there."""
    router = f"{names['plural']}_router"
    text = _after_last_import(
        api.read_text(), f"from .{names['plural']}.router import router as {router}\n"
    )
    text, found = re.subn(
        r"^(routers: list\[APIRouter\] = \[)(.*?)\]",
        lambda match: match[1] + match[2].rstrip(", \n") + f", {router}]",
        text,
        count=1,
        flags=re.DOTALL | re.MULTILINE,
    )
    if not found:
        text = text.rstrip("\n") + f"\nrouters.append({router})\n"
    api.write_text(text)


def _after_last_import(text: str, line: str) -> str:
    lines = text.splitlines(keepends=True)
    imports = [
        n for n, code in enumerate(lines) if code.startswith(("from ", "import "))
    ]
    at = imports[-1] + 1 if imports else 0
    return "".join([*lines[:at], line, *lines[at:]])


def _tidy(paths: list[Path]) -> None:
    """Sort imports and format, as the project's CI checks them."""
    files = [str(path) for path in paths]
    _run("ruff", "check", "--fix", "--quiet", "--select", "I,RUF022", *files)
    _run("ruff", "format", "--quiet", *files)


def _run(module: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="plural snake_case name: tags, order_lines")
    parser.add_argument("--singular", help="when dropping the s is wrong: people")
    parser.add_argument(
        "--no-migration", action="store_true", help="skip `alembic revision`"
    )
    arguments = parser.parse_args()
    try:
        written = add_resource(arguments.name, arguments.singular)
    except NameRefusedError as refusal:
        parser.exit(2, f"add_resource.py: {refusal}\n")
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    if not arguments.no_migration:
        _run("alembic", "upgrade", "heads")
        # --head heads: the revision also joins any migration of the template's
        # that arrived beside the project's own (docs/migrations.md).
        message = f"create {arguments.name}"
        _run("alembic", "revision", "--autogenerate", "--head", "heads", "-m", message)
    print(
        f"Next: read the migration, then `uv run alembic upgrade heads` and "
        f"`uv run pytest tests/api/v1/test_{arguments.name}.py`."
    )


if __name__ == "__main__":
    main()
