"""Your fixtures go here: this file is yours.

The template's fixtures (database, clients, items) come from tests/fixtures/,
which `copier update` keeps current; see docs/updating.md.
"""

pytest_plugins = ["tests.fixtures"]
