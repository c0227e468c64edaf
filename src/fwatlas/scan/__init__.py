"""Repository scanning: which deep-learning framework a piece of code is written against.

The layers, each its own module: ``readers`` open a repository safely (directory, git checkout,
zip/wheel, tar) without extracting or running anything; ``imports``, ``notebooks`` and
``deps`` turn one file into evidence; ``score`` turns a repository's evidence into weights and a
primary framework (the rule documented in docs/scan.md); ``detect`` is the per-repository work
unit both engines run; ``engines`` runs it on a local process pool or on Ray.
"""
