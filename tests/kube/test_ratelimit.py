"""The client-side token bucket behind --qps/--burst."""

from __future__ import annotations

import threading

import pytest

from kfctl.kube import ratelimit
from kfctl.kube.ratelimit import RateLimiter


class Clock:
    def __init__(self):
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(ratelimit.time, "monotonic", c.monotonic)
    monkeypatch.setattr(ratelimit.time, "sleep", c.sleep)
    return c


def test_burst_goes_at_once_then_one_per_interval(clock):
    lim = RateLimiter(qps=10, burst=3)
    for _ in range(6):
        lim.wait()
    assert clock.slept == [0.1, 0.1, 0.1]


def test_idle_time_refills_up_to_burst(clock):
    lim = RateLimiter(qps=10, burst=2)
    lim.wait(), lim.wait()
    clock.now += 10  # long idle: two tokens again, not a hundred
    for _ in range(3):
        lim.wait()
    assert clock.slept == [0.1]


def test_cancel_cuts_the_wait_short():
    lim = RateLimiter(qps=0.5, burst=1)
    lim.wait()
    cancelled = threading.Event()
    cancelled.set()
    lim.wait(cancelled)  # would sleep 2 s; returns at once


def test_bad_values_are_refused():
    with pytest.raises(ValueError):
        RateLimiter(qps=0, burst=1)
    with pytest.raises(ValueError):
        RateLimiter(qps=1, burst=0)
