"""The knowledge base: curated, sourced, dated statuses of deployment and ecosystem tools.

``load_kb()`` reads the bundled YAML (``fwatlas/data/kb``) and merges a user's file over it;
``KnowledgeBase`` answers lookups; the deploy matrix, the changes since the article and the
``kb.*`` facts are built from it in their own modules.
"""

from __future__ import annotations

from fwatlas.kb.base import KnowledgeBase
from fwatlas.kb.loader import load_kb, validate_file
from fwatlas.kb.schema import Entry, Source

__all__ = ["Entry", "KnowledgeBase", "Source", "load_kb", "validate_file"]
