"""The collector held through a block and resumed as it was; the web worker's loaded
application frozen out of the collector's sight."""

import gc
import importlib

import pytest

from headwater.core import gcpause


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_the_collector_is_held_in_the_block_and_resumed_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gcpause.collector_held():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with gcpause.collector_held():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_web_worker_freezes_what_it_loaded(unfrozen):
    gc.unfreeze()
    import headwater.wsgi

    importlib.reload(headwater.wsgi)

    assert gc.get_freeze_count() > 10_000
    assert headwater.wsgi.application is not None
