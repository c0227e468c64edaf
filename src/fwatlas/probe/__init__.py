"""The deployment probe: export small reference models through every deployment path, load each
artifact in its runtime, and record whether it works, its size, speed and parity.

fwatlas never imports a framework: the probes run in a separate environment (``probe setup``)
as subprocesses (``runtime/worker.py``), one process per path, each probe with a timeout, so a
crash, hang or out-of-memory is one failed record. The paths are data (``paths.yaml``); the
records are JSON lines (:mod:`fwatlas.probe.records`), ingested as a ``probe`` snapshot.
"""
