"""Year selections for backfill."""

import pytest

from flows.years import parse_years
from storage.errors import UserError


@pytest.mark.parametrize("given,expected", [
    ("2015-2018", [2015, 2016, 2017, 2018]),
    ("2021,2019", [2019, 2021]),
    ("2019-2020, 2023", [2019, 2020, 2023]),
    ([2020, "2019"], [2019, 2020]),
    (2022, [2022]),
    ("2019", [2019]),
])
def test_year_selections(given, expected):
    assert parse_years(given) == expected


@pytest.mark.parametrize("given", ["", "2020-2015", "2009-1999", "20x", "1999", "2015-", "3000", None, 1999])
def test_bad_year_selections_are_user_errors(given):
    with pytest.raises(UserError):
        parse_years(given)
