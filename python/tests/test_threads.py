"""The thread budget from Python."""
import pytest

import tensorgraph as ts


def test_set_num_threads_round_trip_and_refusal():
    before = ts.num_threads()
    try:
        ts.set_num_threads(1)
        assert ts.num_threads() == 1
        with pytest.raises(ts.Error):
            ts.set_num_threads(0)
    finally:
        ts.set_num_threads(before)
    assert ts.num_threads() == before
