"""Your fixtures go here: this file is yours.

The template's fixtures (database, clients, items) come from tests/fixtures/,
which `copier update` keeps current; see "Updating from the template" in the
README.
"""

pytest_plugins = ["tests.fixtures"]
