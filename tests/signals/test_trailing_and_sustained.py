"""Sparse monthly counts are read as trailing-12-month sums, and a lead is claimed only when it is
sustained: a one-month blip is not a lead. The series is made here; expected values are worked
out by hand in the comments, not by the code under test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import run_cli


def _months(first: dt.date, count: int) -> list[dt.date]:
    out = []
    y, m = first.year, first.month
    for _ in range(count):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


MONTHS = _months(dt.date(2016, 1, 1), 24)  # 2016-01 .. 2017-12


def _pytorch(day: dt.date) -> int:
    # a blip in June 2016 (2 posts against TensorFlow's 1), nothing else until June 2017, then 3
    if day == dt.date(2016, 6, 1):
        return 2
    return 3 if day >= dt.date(2017, 6, 1) else 0


def _write(path: Path) -> Path:
    lines = ["date,site,framework,postings"]
    for day in MONTHS:
        lines.append(f"{day},example-jobs,pytorch,{_pytorch(day)}")
        lines.append(f"{day},example-jobs,tensorflow,1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_trailing_sums_close_only_full_windows() -> None:
    from fwatlas.analyses.signals import trailing_sums

    series = {d: float(_pytorch(d)) for d in MONTHS}
    sums = trailing_sums(series)
    assert min(sums) == dt.date(2016, 12, 1)  # the first month closing a 12-month window
    assert sums[dt.date(2016, 12, 1)] == 2  # the blip alone
    assert sums[dt.date(2017, 5, 1)] == 2  # June 2016 .. May 2017 still holds the blip
    assert sums[dt.date(2017, 6, 1)] == 3  # July 2016 .. June 2017: the blip has left
    assert sums[dt.date(2017, 9, 1)] == 12  # June–September 2017: 4 x 3
    assert sums[dt.date(2017, 12, 1)] == 21  # June–December 2017: 7 x 3


def test_a_one_month_blip_is_no_lead_and_the_sustained_one_is_read_on_t12m(
        db: Path, tmp_path: Path) -> None:
    assert run_cli("ingest", "jobs", str(_write(tmp_path / "sites.csv")), "--db", str(db)).code == 0
    out = run_cli("signals", "--metric", "jobs", "--db", str(db), "--json").json()
    leads = {(x["leader"], x["other"]): x for x in out["leads"]}
    # TensorFlow's trailing sum is 12 every month; PyTorch's reaches 12 in September 2017 and
    # passes it in October (15): the lead is October 2017, not the June 2016 blip
    lead = leads[("pytorch", "tensorflow")]
    assert (lead["kind"], lead["date"]) == ("crossover", "2017-10-01")
    assert lead["leader_value"] == 15 and lead["other_value"] == 12

    facts = {f["name"]: f for f in run_cli("facts", "--prefix", "signals.jobs", "--db", str(db),
                                           "--json").json()["rows"]}
    share = facts["signals.jobs.share.pytorch"]
    # the latest reading is the trailing 12 months to December 2017: 21 of 21 + 12 posts
    assert share["data_date"] == "2017-12-01" and share["n"] == 33
    assert abs(share["value"] - 21 / 33) < 1e-12 and share["ci95"] is not None
    assert facts["signals.jobs.first_lead.pytorch.tensorflow"]["value"] == "2017-10-01"


def test_first_leads_needs_the_leader_to_stay_ahead() -> None:
    from fwatlas.analyses.signals import Point, first_leads

    def pts(values: list[tuple[int, int]]) -> list[Point]:
        out = []
        for i, (a, b) in enumerate(values):
            day = dt.date(2020, 1, 1) + dt.timedelta(days=i)
            out += [Point("s", day, "pytorch", None, float(a), None, False, "s1"),
                    Point("s", day, "tensorflow", None, float(b), None, False, "s1")]
        return out

    # points on 1..5 January: ahead on the 2nd, behind on the 3rd, ahead from the 4th on
    (lead,) = [x for x in first_leads(pts([(0, 1), (2, 1), (0, 1), (3, 1), (4, 1)]),
                                      ["pytorch", "tensorflow"]) if x.leader == "pytorch"]
    assert lead.date == dt.date(2020, 1, 4)
    # ahead once and never again: no lead at all
    assert not [x for x in first_leads(pts([(0, 1), (2, 1), (0, 1)]), ["pytorch", "tensorflow"])
                if x.leader == "pytorch"]
