"""The plans' cache keeps what still holds when new rows come: labels of the rows still
there (by what each row is), and nothing of rows that are gone or changed."""

from explorer.model.plan_cache import PlanCache


def test_rows_still_there_keep_their_labels_and_others_are_asked_for():
    asked: list[int] = []
    cache = PlanCache(lambda row: asked.append(row) or f"label {row}")
    cache.new_rows(["a", "b", "c"], hold=True)
    assert [cache.label(r) for r in (0, 1, 2)] == ["label 0", "label 1", "label 2"]
    assert asked == [0, 1, 2]
    # the same events in another order, and one new: only the new one is asked for
    cache.new_rows(["c", "d", "a"], hold=True)
    assert cache.label(0) == "label 2" and cache.label(2) == "label 0"
    assert cache.label(1) == "label 1" and asked == [0, 1, 2, 1]
    # other lanes (not held): every label is asked for again
    cache.new_rows(["c", "d", "a"], hold=False)
    cache.label(0)
    assert asked[-1] == 0
    # rows said to be other things (an edited title gives another key): asked again
    cache.new_rows(["c2", "d2", "a2"], hold=True)
    cache.label(2)
    assert asked[-1] == 2
