"""Fault injection for the provisioning pipeline, from the tests alone.

The product carries no hook for it: ``inject_fault`` swaps the step's function in
``PIPELINES`` (a fault *inside* the step's transaction, after its work) and the pipeline
module's ``transaction`` for a shim that raises right after the step's transaction committed
(*after*). Both are undone when the block ends.
"""

from contextlib import contextmanager
from dataclasses import replace

from django.db import transaction as real_transaction

from onboarding.provisioning import pipeline


class SimulatedCrash(BaseException):
    """Stands for a killed worker: not an ``Exception``, so the pipeline cannot record it as a
    failed step; the step stays "running" as after a kill."""


class _TransactionShim:
    """``django.db.transaction`` for the pipeline module, raising once after the marked step's
    transaction committed (before the next step starts)."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc
        self.armed = False

    def atomic(self, *args, **kwargs):
        return _Atomic(self, real_transaction.atomic(*args, **kwargs))

    def __getattr__(self, name):
        return getattr(real_transaction, name)


class _Atomic:
    def __init__(self, shim: _TransactionShim, inner) -> None:
        self.shim, self.inner = shim, inner

    def __enter__(self):
        return self.inner.__enter__()

    def __exit__(self, *exc_info):
        suppressed = self.inner.__exit__(*exc_info)
        if exc_info[0] is None and self.shim.armed:
            self.shim.armed = False
            raise self.shim.exc
        return suppressed


@contextmanager
def inject_fault(step: str, *, where: str = "inside", exc: BaseException | None = None):
    """Make ``step`` fail once: ``inside`` its transaction (after its work, before it commits)
    or ``after`` it committed (before the next step starts)."""
    if where not in ("inside", "after"):
        raise ValueError(where)
    exc = exc or RuntimeError(f"injected failure in {step} ({where})")
    shim = _TransactionShim(exc)
    fired = []

    def wrap(original):
        def run(ctx):
            result = original(ctx)
            if not fired:
                fired.append(True)
                if where == "inside":
                    raise exc
                shim.armed = True
            return result

        return run

    saved = {name: list(steps) for name, steps in pipeline.PIPELINES.items()}
    found = False
    for steps in pipeline.PIPELINES.values():
        for i, s in enumerate(steps):
            if s.name == step:
                steps[i] = replace(s, run=wrap(s.run))
                found = True
    if not found:
        raise ValueError(f"no step {step!r}")
    pipeline.transaction = shim
    try:
        yield
    finally:
        pipeline.transaction = real_transaction
        for name, steps in saved.items():
            pipeline.PIPELINES[name][:] = steps


@contextmanager
def slow_step(step: str, seconds: float):
    """Make ``step`` take ``seconds`` longer (a slow disk, a big template), so that a watcher
    sees the pipeline in progress."""
    import time

    def wrap(original):
        def run(ctx):
            time.sleep(seconds)
            return original(ctx)

        return run

    saved = {name: list(steps) for name, steps in pipeline.PIPELINES.items()}
    for steps in pipeline.PIPELINES.values():
        for i, s in enumerate(steps):
            if s.name == step:
                steps[i] = replace(s, run=wrap(s.run))
    try:
        yield
    finally:
        for name, steps in saved.items():
            pipeline.PIPELINES[name][:] = steps
