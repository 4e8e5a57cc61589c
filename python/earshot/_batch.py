"""Manifest batches from Python: ``earshot.batch`` (docs/batch.md, docs/python.md "Batch and Dask").

The driver is the library's (earshot/io/batch.hpp), the one `earshot batch` runs: the same outputs, sidecars
and resume rules, every core, the GIL released while it runs.
"""
from . import _earshot


class BatchResult(dict):
    """What a batch did: ``rendered``, ``skipped`` (resumed: sidecar matched) and ``failed`` lists.

    Each entry is a dict with ``line`` (of the manifest), ``input``, ``output`` and, for failures, ``error``
    (the one-line message). ``ok`` is True when nothing failed.
    """

    @property
    def ok(self):
        return not self["failed"]

    def __repr__(self):
        return (f"BatchResult(rendered={len(self['rendered'])}, skipped={len(self['skipped'])}, "
                f"failed={len(self['failed'])})")


def _gather(rows):
    out = BatchResult(rendered=[], skipped=[], failed=[])
    for r in rows:
        key = {"rendered": "rendered", "skipped": "skipped"}.get(r["status"], "failed")
        out[key].append(r)
    return out


def batch(manifest, jobs=None, resume=True):
    """Renders every row of ``manifest`` (a CSV or JSON Lines file, docs/batch.md) on ``jobs`` threads
    (default: every core), writing each output and its sidecar ``OUT.json``.

    ``resume``: rows whose output and sidecar already match are skipped. A manifest whose own text is wrong
    raises ValueError (OSError if it cannot be read) before anything renders; a row that fails does not stop the
    others: it is listed in the result's ``failed``. Returns a :class:`BatchResult`.
    """
    return _gather(_earshot._batch(str(manifest), int(jobs or 0), bool(resume)))
