"""The GIL is released while the library renders: another Python thread runs meanwhile, and two renders on two
threads give what each gives alone."""
import sys
import threading

import numpy as np

import earshot


def test_other_threads_run_during_a_render(speech):
    # With a switch interval of 10 s, a thread holding the GIL is never pre-empted by the interpreter: the main
    # thread can only count while the worker is inside earshot.render if render released the GIL.
    x, fs = speech
    x = np.tile(x, 3)
    started, done = threading.Event(), threading.Event()
    count = 0

    def worker():
        started.set()
        earshot.render(x, fs, listener="bisgaard:N2", level_db_spl=65.0)
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)
    try:
        t = threading.Thread(target=worker)
        t.start()
        started.wait()
        while not done.is_set():
            count += 1
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert count > 0


def test_two_threads_render_what_each_renders_alone(speech):
    x, fs = speech
    jobs = {"a": dict(listener="bisgaard:N2", level_db_spl=65.0), "b": dict(implant="nucleus-ace", level_db_spl=65.0)}
    alone = {k: earshot.render(x, fs, **kw) for k, kw in jobs.items()}
    together = {}

    def run(k):
        together[k] = earshot.render(x, fs, **jobs[k])

    threads = [threading.Thread(target=run, args=(k,)) for k in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in jobs:
        assert np.array_equal(together[k], alone[k])
