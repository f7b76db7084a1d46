"""Go to date: what a reader types becomes the period to look at, through the workspace."""

import pytest

from explorer.model import window as tw
from explorer.model.timeline import epoch_seconds as at


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2019", "2019-01-01", "2020-01-01"),
        (" 2019-07 ", "2019-07-01", "2019-08-01"),
        ("2019-07-05", "2019-07-05", "2019-07-06"),
        ("2019-07 – 2020-03", "2019-07-01", "2020-04-01"),
        ("2019..2021", "2019-01-01", "2022-01-01"),
        ("2019 to 2021-06", "2019-01-01", "2021-07-01"),
        ("2019-2021", "2019-01-01", "2022-01-01"),
        ("2019-07-01 ~ 2019-07-05", "2019-07-01", "2019-07-06"),
        ("2019부터 2020까지", "2019-01-01", "2021-01-01"),
    ],
)
def test_partial_dates_and_ranges(text, start, end):
    assert tw.period_of(text) == (at(start), at(end))


@pytest.mark.parametrize("text", ["", "July", "2019-13", "2020 – 2019", "1 2 3 – 4 – 5"])
def test_what_is_not_a_date_says_why(text):
    with pytest.raises(ValueError):
        tw.period_of(text)


def test_going_to_a_date_moves_the_workspace_window(mini_db):
    from explorer.model.session import Session
    from explorer.model.workspace import Workspace

    with Session.open(mini_db) as session:
        ws = Workspace(session)
        told = []
        ws.listeners.append(told.append)
        ws.set_window(*tw.around(*tw.period_of("2019-07")))
        x0, x1 = ws.window
        assert x0 <= at("2019-07-01") and at("2019-08-01") <= x1 and x1 - x0 < 45 * tw.DAY
        assert told[-1].window
