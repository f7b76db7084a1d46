"""What the timeline's rows say about open-ended spans and undated facts, for every
project size (the catalog's rows and the viewport's)."""

import numpy as np

from explorer.model.session import Session
from explorer.model.timeline import build_rows, epoch_seconds
from explorer.model.viewport import Viewport, ViewRequest
from tests.conftest import BUNDLED_DB

OPEN = "ev-2023-beijing-general-ai-policies"  # "2023년 이후": since 2023, vouched to 2024
UNDATED = "ev-2024-beijing-data-pilot-zone-launched"  # no date, only "by the article"


def _marks(rows, events):
    ids = [events[int(e)].id for e in rows.event]
    return {i: (float(v), bool(u)) for i, v, u in zip(ids, rows.vouched, rows.undated, strict=True)}


def test_the_catalog_and_the_viewport_carry_open_ends_and_undated_facts():
    with Session.open(BUNDLED_DB) as session:
        catalog = session.catalog()
        from_catalog = _marks(build_rows(catalog, "category"), catalog.events)
        vp = Viewport(session.store)
        x0, x1 = epoch_seconds("2010-01-01"), epoch_seconds("2030-01-01")
        result = vp.compute(ViewRequest(1, x0, x1, "category", 1200))
        assert result.rows is not None and result.events is not None
        from_view = _marks(result.rows, result.events)
    for found in (from_catalog, from_view):
        vouched, undated = found[OPEN]
        assert vouched == epoch_seconds("2025-01-01") and not undated
        assert found[UNDATED][1] and np.isnan(found[UNDATED][0])
        assert sum(u for _, u in found.values()) == 2  # the two undated zones


def test_statements_in_view_are_those_said_in_it_or_about_a_period_in_it():
    with Session.open(BUNDLED_DB) as session:
        vp = Viewport(session.store)

        def said(x0, x1, on=True):
            x = epoch_seconds(x0), epoch_seconds(x1)
            req = ViewRequest(1, *x, "category", 900, statements=on)
            return {s.id for s in vp.compute(req).statements}

        # 2029-2031: nothing was said then, but China's goal and the market forecast of
        # November 2025 are about 2030
        assert said("2029-01-01", "2031-01-01") == {
            "st-2019-china-lead-ai-by-2030",
            "st-2025-industry-2030-market-forecast",
        }
        july_2019 = said("2019-07-01", "2019-07-10")
        assert "st-2019-07-03-wang-haifeng-since-2017" in july_2019
        assert "st-2019-china-lead-ai-by-2030" in july_2019
        assert said("2019-07-01", "2019-07-10", on=False) == set()
