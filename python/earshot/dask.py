"""Manifest batches on a Dask ``distributed`` cluster: one task per manifest row (docs/python.md, "Batch and Dask").

    >>> from distributed import Client, LocalCluster
    >>> import earshot.dask
    >>> with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster, \\
    ...         Client(cluster) as client:
    ...     result = earshot.dask.render_manifest("corpus.csv", client)

The client reads and checks the manifest once (its own text, and that no output overwrites an input or another
output: the same plan as ``earshot batch``); each worker task renders one row with the library's per-row render
-- the same samples, outputs and sidecars as ``earshot batch`` and :func:`earshot.batch` -- and keeps the engines it
built for later rows (set-up once per listener per worker thread). Workers must see the manifest, inputs and
outputs at the same paths (shared storage). Failures are gathered, not raised.
"""
from . import _earshot
from ._batch import BatchResult


def _render_row(manifest, index, resume):
    # Runs on a worker: imports earshot there (the package must be importable on every worker).
    from earshot import _earshot as native
    return native._render_row(manifest, index, resume)


def render_manifest(manifest, client, resume=True, retries=0):
    """Renders every row of ``manifest`` on the cluster of ``client`` (a ``distributed.Client``): one task per row.

    Rows the plan already refuses (an output that is an input, two rows writing one file, a description that
    cannot be made) are not submitted and are listed in ``failed``. Returns a :class:`earshot.BatchResult`
    (``rendered``, ``skipped``, ``failed``), rows in manifest order.
    """
    import os
    manifest = os.path.abspath(str(manifest))
    plan = _earshot._manifest_plan(manifest)
    results = [None] * len(plan)
    futures, where = [], []
    for k, row in enumerate(plan):
        if row["error"]:
            results[k] = dict(row, status="failed")
            continue
        futures.append(client.submit(_render_row, manifest, row["index"], bool(resume), pure=False, retries=retries,
                                     key=f"earshot-row-{row['index']}-{os.path.basename(row['output'])}-{id(plan)}"))
        where.append(k)
    for k, f in zip(where, futures):
        try:
            results[k] = f.result()
        except Exception as e:  # a task that raised (a worker lost, ...) is a failure of its row
            results[k] = dict(plan[k], status="failed", error=f"the Dask task failed: {e}")
    out = BatchResult(rendered=[], skipped=[], failed=[])
    for r in results:
        out[{"rendered": "rendered", "skipped": "skipped"}.get(r["status"], "failed")].append(r)
    return out
