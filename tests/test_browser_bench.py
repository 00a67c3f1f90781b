"""kkmp.browser_bench: the issue's targets are ratios to the floor measured in the same run (#19)."""

from __future__ import annotations

from kkmp.browser_bench import (
    AppTimes,
    BrowserBench,
    check_browser_targets,
    libraries_compiled,
    render_browser_table,
)


def _apps() -> list[AppTimes]:
    floor = AppTimes("floor", {"a": 1.0, "b": 1.0}, {"a": 0.2, "b": 0.2}, 0.2)
    city = AppTimes("city", {"ringkasan": 1.5, "peta": 2.5}, {"ringkasan": 0.5, "peta": 0.7}, 0.25, 1.2)
    national = AppTimes("national", {"ringkasan": 1.8, "peta": 2.6}, {"ringkasan": 0.5, "peta": 0.5}, 0.4, 5.0)
    return [floor, city, national]


def test_cold_open_is_judged_against_twice_the_floor() -> None:
    targets = {t.name: t for t in check_browser_targets(_apps())}
    assert targets["city cold ringkasan"].ok and not targets["city cold peta"].ok
    assert targets["city cold peta"].ratio == 2.5


def test_filter_national_over_city_and_first_visit_are_checked() -> None:
    targets = {t.name: t for t in check_browser_targets(_apps())}
    assert not targets["national filter"].ok  # 0.4 / 0.2 = 2× > 1.5×
    assert not targets["national first visit"].ok  # 5.0 / 1.0 > 4×
    assert targets["national/city cold peta"].ok


def test_the_table_and_json_name_every_target() -> None:
    apps = _apps()
    bench = BrowserBench(apps, check_browser_targets(apps))
    text = render_browser_table(bench)
    out = bench.as_dict()
    assert all(t["name"] in text for t in out["targets"])
    assert out["ok"] is False


def test_a_filter_change_that_was_not_measured_is_a_failed_target() -> None:
    apps = _apps()
    apps[1].filter_change = None
    bench = BrowserBench(apps, check_browser_targets(apps))
    target = next(t for t in bench.targets if t.name == "city filter")
    assert not target.ok
    assert "FAIL city filter: not measured" in render_browser_table(bench)
    assert next(t for t in bench.as_dict()["targets"] if t["name"] == "city filter")["ratio"] is None


def test_the_report_says_whether_the_libraries_bytecode_was_compiled() -> None:
    apps = _apps()
    bench = BrowserBench(apps, check_browser_targets(apps), bytecode=False)
    assert "NOT compiled" in render_browser_table(bench)
    assert bench.as_dict()["bytecode"] is False
    assert isinstance(libraries_compiled(), bool)


def test_a_page_that_showed_an_exception_fails_the_bench() -> None:
    apps = _apps()
    apps[2].errors = ["http://127.0.0.1:1/usaha"]
    bench = BrowserBench(apps, check_browser_targets(apps))
    text = render_browser_table(bench)
    assert "FAIL national pages showing an exception: 1 (≤ 0)" in text
    assert "OK   city pages showing an exception: 0 (≤ 0)" in text
    assert "exception shown on http://127.0.0.1:1/usaha" in text
