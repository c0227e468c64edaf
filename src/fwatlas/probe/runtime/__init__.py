"""Code that runs inside the probe environment, never imported by fwatlas itself.

``fwatlas probe run`` starts ``worker.py`` with the probe environment's Python and this folder
on ``PYTHONPATH``; the ``impl_*`` modules import the frameworks. Nothing here imports fwatlas,
so the environment needs no fwatlas install, and fwatlas needs no framework.
"""
