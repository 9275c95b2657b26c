"""Your fixtures go here; this file is yours and `copier update` leaves it alone.

The template's fixtures (database, clients, items) come from tests/fixtures/.
"""

pytest_plugins = ["tests.fixtures.database", "tests.fixtures.items"]
