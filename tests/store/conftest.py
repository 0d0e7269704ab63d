import pytest

from auditor.store.db import open_engine, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty database of each kind the store supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'auditor.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url):
    eng = open_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()
