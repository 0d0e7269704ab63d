import pytest

from refcheck_helpers import bundled_refdata


@pytest.fixture
def bundled():
    return bundled_refdata()
