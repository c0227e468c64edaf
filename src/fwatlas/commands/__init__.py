"""The read commands, declared once for every front end (see :mod:`fwatlas.commands.table`)."""

from fwatlas.commands.option import SNAPSHOT_ID, Option, resolve_values
from fwatlas.commands.table import Command, Ctx, command, commands

__all__ = ["SNAPSHOT_ID", "Command", "Ctx", "Option", "command", "commands", "resolve_values"]
