"""Kiosk soak: the Briefing playing by itself (`/briefing?auto=5`) in headless Chromium, with memory sampled.

Samples, every `--every` seconds: the Streamlit server's resident memory (RSS, /proc), the page's JS heap
(CDP `Performance.getMetrics` after `HeapProfiler.collectGarbage`, so that what is counted is what the page
keeps), its DOM node and event-listener counts, the browser's processes' proportional memory (PSS), the slide on screen and whether
an error screen shows. Writes the samples as JSON after every sample (a run stopped early keeps its figures).

    python scripts/kiosk_soak.py --minutes 120 --auto 5 --out var/soak-2h.json

Starts its own server on a temporary copy of the sample store unless `--url` is given; the shortened CI soak
(tests/browser/test_kiosk_soak.py) calls `soak()` with a few minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    PROJECTOR,
    dialogs,
    exceptions,
    find_chromium,
    launch_chromium,
    make_sample_store,
    open_page,
    running_server,
)

KIOSK = {"embed": "true"}
PAGE_SIZE = 4096

_SCREEN_JS = """() => {
  const counter = document.querySelector('.kb-counter');
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    counter: counter ? counter.textContent.trim() : null,
    title: document.querySelector('.kb-title')?.textContent.trim() ?? null,
    connection: app ? app.getAttribute('data-test-connection-state') : null,
  };
}"""


@dataclass
class Sample:
    """One look at the kiosk: seconds since start, memory figures (bytes) and what the screen shows."""

    t: float
    server_rss: int
    js_heap_used: int
    js_heap_total: int
    dom_nodes: int
    listeners: int
    browser_pss: int
    counter: str | None
    title: str | None
    connection: str | None
    errors: list[str] = field(default_factory=list)


@dataclass
class SoakResult:
    """Every sample of a run, with the run's settings; `figures()` gives start / each hour / end."""

    auto: int
    viewport: dict
    started: str
    samples: list[Sample] = field(default_factory=list)
    slides_seen: int = 0
    advances: int = 0

    def at(self, seconds: float) -> Sample | None:
        """The first sample taken at or after `seconds` (None when the run did not last that long)."""
        return next((s for s in self.samples if s.t >= seconds), None)

    def growth(self, key: str, since: float) -> float:
        """Relative growth of a memory figure from the sample at `since` seconds to the last one."""
        first, last = self.at(since), self.samples[-1]
        base = getattr(first, key)
        return (getattr(last, key) - base) / base if base else 0.0

    def as_json(self) -> dict:
        """The run as plain JSON (samples and settings)."""
        return {**asdict(self), "duration_s": self.samples[-1].t if self.samples else 0}


def rss_of(pid: int) -> int:
    """Resident memory of one process in bytes (0 when it has gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def pss_of(pid: int) -> int:
    """Proportional memory of one process in bytes (shared pages split between their users; 0 when gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def chromium_pids() -> list[int]:
    """Every Chromium process started by this Python process (Playwright's driver and the browser below it)."""
    return [p for p in descendants(os.getpid()) if p != os.getpid()]


def look(page, cdp, server_pid: int, t: float) -> Sample:
    """One sample: garbage-collect the page, then read its heap and the processes' memory."""
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    screen = page.evaluate(_SCREEN_JS)
    return Sample(
        t=round(t, 1),
        server_rss=rss_of(server_pid),
        js_heap_used=int(metrics.get("JSHeapUsedSize", 0)),
        js_heap_total=int(metrics.get("JSHeapTotalSize", 0)),
        dom_nodes=int(metrics.get("Nodes", 0)),
        listeners=int(metrics.get("JSEventListeners", 0)),
        browser_pss=sum(pss_of(p) for p in chromium_pids()),
        counter=screen["counter"],
        title=screen["title"],
        connection=screen["connection"],
        errors=exceptions(page) + dialogs(page),
    )


def soak(
    browser,
    base_url: str,
    server_pid: int,
    *,
    seconds: float,
    auto: int = 5,
    every: float = 30.0,
    viewport: dict | None = None,
    out: Path | None = None,
    on_sample: Callable[[Sample], None] | None = None,
    at_slide: int | None = None,
) -> SoakResult:
    """Play the Briefing at `auto` seconds a slide for `seconds`, sampling memory every `every` seconds.

    With `at_slide`, each sample waits for that slide (1-based) to come on screen, so that every sample
    looks at the same slide however long a deck cycle really takes."""
    viewport = dict(viewport or PROJECTOR)
    result = SoakResult(auto, viewport, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    context = browser.new_context(viewport=viewport, locale="id-ID", timezone_id="Asia/Makassar")
    try:
        page = open_page(context, base_url, "briefing", {"auto": str(auto), **KIOSK}, timeout_ms=120_000)
        page.wait_for_selector(".kb-title", timeout=120_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        start = time.monotonic()
        seen, last, sampled_visit = set(), None, -1
        next_sample = 0.0
        while (now := time.monotonic() - start) <= seconds:
            counter = page.evaluate("() => document.querySelector('.kb-counter')?.textContent.trim() ?? null")
            if counter and counter != last:
                result.advances += last is not None
                seen.add(counter)
                last = counter
            arrived = _slide_number(counter) == at_slide and result.advances != sampled_visit  # not sampled yet
            if now >= next_sample and (at_slide is None or arrived):
                page.wait_for_timeout(1500)  # the slide drawn
                sampled_visit = result.advances
                sample = look(page, cdp, server_pid, now)
                result.samples.append(sample)
                result.slides_seen = len(seen)
                if on_sample:
                    on_sample(sample)
                if out:
                    write_json(out, result)
                next_sample += every
            page.wait_for_timeout(1000)
    finally:
        context.close()
    result.slides_seen = len(seen)
    if out:
        write_json(out, result)
    return result


def _slide_number(counter: str | None) -> int | None:
    """The slide number in "Slide 3 dari 7" (None without one)."""
    digits = re.findall(r"\d+", counter or "")
    return int(digits[0]) if digits else None


def write_json(path: Path, result: SoakResult) -> None:
    """Write the run so far (atomically: a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result.as_json(), indent=1, ensure_ascii=False))
    tmp.replace(path)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f}"


def main(argv: list[str] | None = None) -> int:
    """Run the soak against a fresh server on the sample (or `--url`) and print one line per sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=120.0)
    parser.add_argument("--auto", type=int, default=5, help="seconds per slide")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "soak.json")
    parser.add_argument("--url", help="an app already running (then --server-pid gives its process)")
    parser.add_argument("--server-pid", type=int, default=0)
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("Chromium not found (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    def show(s: Sample) -> None:
        print(
            f"{s.t:7.0f} s  server {_mb(s.server_rss)} MB  heap {_mb(s.js_heap_used)} MB  nodes {s.dom_nodes}"
            f"  listeners {s.listeners}  browser PSS {_mb(s.browser_pss)} MB  {s.counter}  {s.errors or ''}",
            flush=True,
        )

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = launch_chromium(p, chromium)
        run = dict(seconds=args.minutes * 60, auto=args.auto, every=args.every, out=args.out, on_sample=show)
        if args.url:
            soak(browser, args.url, args.server_pid, **run)
        else:
            url = make_sample_store(Path(tmp))
            with running_server(url, Path(tmp) / "server.log") as server:
                soak(browser, server.url, server.process.pid, **run)
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
