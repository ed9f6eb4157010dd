"""Graph.as_default(): the tutorial's statement makes the graph the default for good; TensorFlow's
`with g.as_default():` makes it the default inside the block and brings the previous one back on
exit, also when the block raises, nested, and per thread."""
import threading

import numpy as np
import pytest

import tensorgraph as tg


def test_the_statement_makes_the_graph_the_default_for_good(fresh_graph):
    g = tg.Graph()
    result = g.as_default()
    assert tg.get_default_graph() is g
    x = tg.placeholder()
    assert x.graph is g and tg.get_default_graph() is g  # still, after more building
    assert result.graph is g


def test_a_block_restores_the_previous_default_even_when_it_raises(fresh_graph):
    g = tg.Graph()
    with pytest.raises(ZeroDivisionError):
        with g.as_default() as entered:
            assert entered is g and tg.get_default_graph() is g
            a = tg.constant([1.0])
            1 / 0
    assert tg.get_default_graph() is fresh_graph
    assert a.graph is g and tg.constant(2.0).graph is fresh_graph
    np.testing.assert_array_equal(tg.Session(g).run(a), [1.0])


def test_nested_blocks_unwind_in_order(fresh_graph):
    g1, g2, g3 = tg.Graph(), tg.Graph(), tg.Graph()
    with g1.as_default():
        with g2.as_default():
            with g3.as_default():
                assert tg.get_default_graph() is g3
            assert tg.get_default_graph() is g2
            with g1.as_default():  # a graph already on the way out, again
                assert tg.get_default_graph() is g1
            assert tg.get_default_graph() is g2
        assert tg.get_default_graph() is g1
    assert tg.get_default_graph() is fresh_graph


def test_a_statement_inside_a_block_lasts_until_the_block_ends(fresh_graph):
    g, h = tg.Graph(), tg.Graph()
    with g.as_default():
        h.as_default()
        assert tg.get_default_graph() is h
    assert tg.get_default_graph() is fresh_graph


def test_the_returned_object_entered_later_or_twice(fresh_graph):
    """A context manager kept and entered later restores what was the default when its block began."""
    g, h = tg.Graph(), tg.Graph()
    scope = g.as_default()  # g is the default now (the statement's effect)
    h.as_default()
    with scope:
        assert tg.get_default_graph() is g
        with scope:
            assert tg.get_default_graph() is g
        assert tg.get_default_graph() is g
    assert tg.get_default_graph() is h


def test_defaults_are_per_thread(fresh_graph):
    """Each thread has its own default graph; a block in one thread never changes another's."""
    graphs = [tg.Graph() for _ in range(4)]
    barrier = threading.Barrier(len(graphs))
    seen, errors = {}, []

    def work(k):
        try:
            outside = tg.get_default_graph()
            with graphs[k].as_default():
                barrier.wait()  # every thread is inside its block now
                node = tg.constant(float(k), name=f"c{k}")
                seen[k] = (tg.get_default_graph() is graphs[k], node.graph is graphs[k])
                barrier.wait()
            seen[k] += (tg.get_default_graph() is outside, outside is not graphs[k])
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(graphs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert seen == {k: (True, True, True, True) for k in range(len(graphs))}
    assert tg.get_default_graph() is fresh_graph  # this thread's default never moved
    for k, g in enumerate(graphs):
        assert [n.name for n in g.operations] == [f"c{k}"]


def test_one_scope_object_entered_in_two_threads(fresh_graph):
    g = tg.Graph()
    scope = g.as_default()
    fresh_graph.as_default()
    results = []

    def work():
        before = tg.get_default_graph()
        with scope:
            inside = tg.get_default_graph() is g
        results.append(inside and tg.get_default_graph() is before)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True, True, True]
    assert tg.get_default_graph() is fresh_graph
