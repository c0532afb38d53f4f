"""nflreadpy's clock, frozen for the nflverse tests: its current season (and ours) is 2025 whatever the date."""

from __future__ import annotations

from datetime import date

import nflreadpy.utils_date
import pytest


class FrozenDate(date):
    @classmethod
    def today(cls) -> FrozenDate:
        return cls(2025, 10, 25)


@pytest.fixture(autouse=True)
def frozen_season(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nflreadpy.utils_date, "date", FrozenDate)
