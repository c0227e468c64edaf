"""The command table: one declaration per read command.

Each :class:`Command` names its words (``trends pwc``), its help, its options (valid values by
reference to where the library declares them), whether it reads the store or the knowledge
base, and the builder that turns the options into the command's JSON envelope. From this table
come the CLI's read commands (``fwatlas.cli.table_commands``), the ``/api`` routes, their query
parameters and the web forms (``fwatlas.web.views``), and the CLI/API parity test – so adding a
read command is one entry here, its builder, and its table renderer (``fwatlas.cli.render``).

Builders import the library lazily: the CLI reads this table at start, and ``fwatlas --help``
must not load the store.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.commands import builders as b
from fwatlas.commands.option import SNAPSHOT_ID, Option

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas


@dataclass(frozen=True)
class Ctx:
    """What a builder gets besides the options: the knowledge-base file and 'today' (and,
    for a builder that opens the store only when it needs it, the store's file)."""

    kb: str | None
    today: dt.date
    db: Path | None = None

    @property
    def kb_file(self) -> Path | None:
        """The extra knowledge-base file as a path (None: the bundled one alone)."""
        return Path(self.kb) if self.kb else None

    def day(self, args: dict[str, Any]) -> dt.date:
        """'Today' for the options ``args``: their ``as_of``, else the context's."""
        when: dt.date = args.get("as_of") or self.today
        return when


#: (the store – None for a command with ``store=False`` –, the context, the options) -> JSON
Builder = Callable[[Any, Ctx, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Command:
    """One read command: what the CLI, the API and the pages are derived from."""

    words: tuple[str, ...]
    build: Builder
    help: str
    options: tuple[Option, ...] = ()
    #: a positional argument (``kb show NAME``): the builder's key, and its help
    argument: str | None = None
    argument_help: str = ""
    #: reads the store (the CLI adds ``--db``); False: the knowledge base only
    store: bool = True
    #: the builder opens the store (``ctx.db``) only if it needs it: the CLI opens none
    #: (``advise``'s cold start skips DuckDB); the web hands it the server's store
    lazy_store: bool = False
    #: takes an extra knowledge-base file (``--kb``; the web: the server's)
    kb: bool = False
    #: takes the repeatable ``--snapshot ID`` that chooses the store's read set (the web: the
    #: one ``fwatlas serve --snapshot`` chose)
    read_set: bool = False
    #: values for the options a call needs (parity tests and docs run it with these)
    example: tuple[tuple[str, str], ...] = ()
    #: the CLI's command writes a file (``report -o``): it is written by hand in ``cli/``,
    #: with the table's options and help, and its ``--json`` prints this builder's JSON
    writes_file: bool = False

    @property
    def name(self) -> str:
        return " ".join(self.words)

    def run(self, atlas: Atlas | None, ctx: Ctx, args: dict[str, Any]) -> dict[str, Any]:
        """The JSON envelope, from the options as keywords (a missing one: its default; a
        front end may add what it holds, such as the web's model table)."""
        full = {o.keyword: (False if o.kind == "bool" else o.default)
                for o in self.options if not o.display}
        full.update(args)
        return self.build(atlas, ctx, full)


# --- the table ----------------------------------------------------------------------------------

_AS_OF = Option("as_of", "date", help="'Today' for anything judged by age; default: today.",
                metavar="YYYY-MM-DD")
_SNAPSHOT = Option("snapshot", help="Use this snapshot id (see `fwatlas snapshots`) instead of "
                                    "the newest.", pattern=SNAPSHOT_ID)
_HUB_METHOD = ("fwatlas.vocabulary:HUB_METHODS",)
_TARGETS = ("fwatlas.kb.schema:TARGETS", "fwatlas.kb.schema:TARGET_GROUPS")
_SITUATION = "fwatlas.advisor.situation"
_ARCHES = ("fwatlas.platforms:Arch", "fwatlas.platforms:ARCH_ALIASES")


def _advisor_help(option: str) -> str:
    """The help line of an advisor option, its values read from the advisor's declaration."""
    from fwatlas.advisor.situation import OPTION_HELP

    values, what = OPTION_HELP[option]
    return f"{what[0].upper()}{what[1:]}: {', '.join(values)}."


@functools.cache
def commands() -> tuple[Command, ...]:
    """Every read command in the table, in the order ``fwatlas --help`` lists them."""
    return (
        Command(("facts",), b.facts,
                "List every fact analyses publish, with value, unit, basis, sources and date."
                "\n\nRulesets and verdicts may name only facts this command lists."
                "\n\nExample: fwatlas facts --prefix hub.share_exclusive",
                (Option("prefix", help="Only facts under this name."),), read_set=True),
        Command(("availability",), b.availability,
                "Which frameworks the Hub's models are available in (the article's F1; F2 "
                "with --top).\n\nExample: fwatlas availability --frameworks "
                "pytorch,tensorflow --weight downloads",
                (Option("method", "choice", _HUB_METHOD, "tags",
                        "tags (the article's), files or library."),
                 Option("weight", "choice", ("fwatlas.analyses.availability:WEIGHTS",), "count",
                        "count, downloads or downloads_all_time."),
                 Option("frameworks", help="Comma list; exclusivity is among these "
                        "(pytorch,tensorflow is the article's view). Default: "
                        "pytorch,tensorflow,jax."),
                 Option("by", "choice", ("fwatlas.analyses.availability:By",),
                        help="Group by year (creation) or task."),
                 Option("top", "int", help="F2: the top N models instead."),
                 Option("rank", "choice", ("fwatlas.analyses.availability:Rank",), "downloads",
                        "With --top: downloads, likes or downloads_all_time."),
                 _SNAPSHOT)),
        Command(("model",), b.model,
                "One model's frameworks under each method, formats, task and downloads.\n\n"
                "An unknown id exits 1 with close matches.\n\nExample: fwatlas model "
                "bert-base-uncased",
                (_SNAPSHOT,), argument="model_id",
                argument_help="A Hub model id such as bert-base-uncased.",
                example=(("model_id", "bert-base-uncased"),)),
        Command(("deploy-matrix",), b.deploy_matrix,
                "For each framework × target: the best active tool chain today, the "
                "alternatives, and\nthe status today of what the 2022 article recommended for "
                "that cell; beside each chain,\nwhat the deployment probe measured for it (the "
                "newest probe snapshot, else the bundled run).\n\nExample: fwatlas deploy-matrix "
                "--target mobile",
                (Option("framework", "choice", ("fwatlas.kb.matrix:MATRIX_FRAMEWORKS",),
                        help="Only this framework (pytorch, tensorflow, jax, keras)."),
                 Option("target", "choice", _TARGETS,
                        help="Only this target or group (server, mobile, embedded).")),
                kb=True, example=(("framework", "jax"), ("target", "mobile"))),
        Command(("advise",), b.advise,
                "Which framework should I use? A recommendation from a ruleset, with the rule "
                "that\ndecided it, the evidence and dates it rests on, and what would change the "
                "answer.\n\nExample: fwatlas advise --persona industry --target mobile --need "
                "audio-video",
                (Option("persona", "choice", ("fwatlas.advisor.situation:PERSONAS",),
                        required=True, help="industry, researcher, professor, career-changer, "
                        "hobbyist or beginner."),
                 Option("target", "list", ("fwatlas.advisor.situation:TARGET_CHOICES",),
                        help="Deployment target (repeatable): server, mobile, embedded, or one "
                        "of server-rest, server-grpc, android, ios, microcontroller, "
                        "embedded-linux, browser, edge-accelerator, desktop, cloud."),
                 Option("need", "list", ("fwatlas.advisor.situation:NEEDS",),
                        help="Repeatable: audio-video, reinforcement-learning, tpu, "
                        "pytorch-only-models, pythonic, no-new-install, end-to-end-platform."),
                 Option("focus", "choice", ("fwatlas.advisor.situation:focus_values()",),
                        help="professor: industry or theory; hobbyist: project or learning "
                        "(required for those two, refused for the others)."),
                 Option("experience", "choice", ("fwatlas.advisor.situation:EXPERIENCE",),
                        help="none, keras, pytorch, tensorflow or jax (left out: unknown)."),
                 Option("ruleset", "choice", ("fwatlas.advisor.ruleset:RULESETS",), "current",
                        "current (evidence-checked, default) or article-2022."),
                 Option("python", help="Your Python version, e.g. 3.13 (with --os and --arch, "
                        "rules can read registry installability facts)."),
                 Option("os", "choice", ("fwatlas.platforms:Os",),
                        help="linux, macos or windows."),
                 Option("arch", "choice", _ARCHES,
                        help="x86_64 or arm64 (alias aarch64)."),
                 Option("accelerator", "choice", (f"{_SITUATION}:ACCELERATORS",),
                        help=_advisor_help("--accelerator")),
                 Option("workload", "list", (f"{_SITUATION}:WORKLOADS",),
                        help=_advisor_help("--workload")),
                 Option("existing", "choice", (f"{_SITUATION}:EXISTING",),
                        help=_advisor_help("--existing")),
                 Option("cloud", "choice", (f"{_SITUATION}:CLOUDS",),
                        help=_advisor_help("--cloud")),
                 Option("keras_backend", "choice", (f"{_SITUATION}:KERAS_BACKENDS",),
                        help=_advisor_help("--keras-backend")),
                 _AS_OF), kb=True, lazy_store=True,
                example=(("persona", "industry"), ("as_of", "2026-11-01"))),
        Command(("research",), b.research,
                "Which frameworks conference papers mention, per venue edition and year (the "
                "article's F3),\nand which framework their linked code is written in (the "
                "successor of Papers with Code's\nchart).\n\nComputed rows (from ingested "
                "papers) and the tracker's published counts are both shown,\nlabelled, never "
                "added together. Code rows count scanned repositories per primary framework;\n"
                "shares are over repositories with a framework, with n and a 95 % interval."
                "\n\nExample: fwatlas research --venue cvpr --from 2017 --to 2020",
                (Option("venue", help="One venue (cvpr, neurips/nips, iclr, …); `all` shows "
                        "only the per-year aggregates."),
                 Option("from", "int", help="First year (inclusive)."),
                 Option("to", "int", help="Last year (inclusive)."),
                 Option("evidence", "choice", ("fwatlas.analyses.research_code:EVIDENCE",),
                        "all", "text: framework mentions in papers (to 2022); code: the "
                        "framework of papers' linked repositories (from 2022); all: both.")),
                read_set=True),
        Command(("coverage",), b.coverage,
                "What Transformers can load, release by release: architectures per framework."
                "\n\nArchitectures with a model implementation in PyTorch, TensorFlow and JAX "
                "(Flax), counted\nfrom each release's wheel; shares of the release's "
                "architectures with n and a 95 % interval.\n\nExample: fwatlas coverage --json",
                (Option("library", "choice", ("fwatlas.analyses.coverage:LIBRARIES",),
                        "transformers", "The model library (transformers)."),)),
        Command(("migration",), b.migration,
                "How paper authors' frameworks changed between two years (the article's F4 "
                "Sankey).\n\n--from and --to name two years, not a range. Only authors with "
                "framework-labelled papers\nin both years take part; fractions are of each "
                "first-year label's authors.\n\nExample: fwatlas migration --from 2018 --to 2019",
                (Option("from", "int", default=2018, help="The first year. (Two points, not a "
                        "range: the one exception to --from/--to meaning a range.)"),
                 Option("to", "int", default=2019, help="The second year.")),
                read_set=True),
        Command(("signals",), b.signals,
                "Adoption over time per framework: PyPI downloads, GitHub stars and "
                "dependents, job\nposts, Q&A questions – one series per source, null where a "
                "source does not cover a framework.\n\nExample: fwatlas signals --metric "
                "downloads --share --from 2023-01-01",
                (Option("metric", "choice", ("fwatlas.analyses.signals:METRICS",), "downloads",
                        "downloads, stars, dependents, jobs or questions."),
                 Option("from", "date", help="First date.", metavar="YYYY-MM-DD"),
                 Option("to", "date", help="Last date.", metavar="YYYY-MM-DD"),
                 Option("share", "bool", display=True,
                        help="Show each framework's (with --by package: each package's) share "
                             "of those with a value at that date."),
                 Option("by", "choice", ("fwatlas.analyses.signals:By",), "framework",
                        "framework (default) or package: the per-package (term, tag) series."),
                 Option("window", "choice", ("fwatlas.analyses.signals:WINDOWS",), "30d",
                        "downloads: 30d (default) or 365d dumps."),
                 _SNAPSHOT)),
        Command(("vitality",), b.vitality,
                "Release cadence per registry package, flagged when nothing was released for "
                "18 months\nbefore --as-of or the knowledge base says archived/deprecated."
                "\n\nExample: fwatlas vitality --as-of 2026-06-01",
                (_AS_OF, _SNAPSHOT), kb=True, example=(("as_of", "2026-06-01"),)),
        Command(("support",), b.support,
                "Which framework packages install on a Python/OS/CPU, from the newest registry "
                "snapshot:\nthe wheel that decides it (packaging.tags rules), and a GPU variant "
                "where metadata says so.\n\nExample: fwatlas support --python 3.13 --os windows "
                "--arch arm64",
                (Option("python", default="3.13", help="Python version, e.g. 3.13."),
                 Option("os", "choice", ("fwatlas.platforms:Os",), "linux",
                        "linux, macos or windows."),
                 Option("arch", "choice", _ARCHES, "x86_64",
                        "x86_64 or arm64 (aarch64 is an alias)."),
                 _SNAPSHOT)),
        Command(("verdict",), b.verdict,
                "Who leads each round today, by how much, on which facts – beside the 2022 "
                "verdict.\n\nThe scoring method is declared in a YAML file (see "
                "docs/verdict.md); flips_if is the\nsmallest single weight change that would "
                "change the verdict, found by re-evaluating.\n\nExample: fwatlas verdict "
                "--round deployment --as-of 2026-11-30",
                (Option("round", "choice", ("fwatlas.verdict.method:round_names()",),
                        help="availability, research, deployment, ecosystem or adoption "
                             "(default: every round of the method)."),
                 Option("method", "path", web=False,
                        help="A verdict-method YAML file instead of the bundled one (criteria, "
                             "facts, weights, margins)."),
                 _AS_OF), kb=True, read_set=True, example=(("as_of", "2026-11-01"),)),
        Command(("report",), b.report,
                "Write the report: every figure of the article, current, dated and sourced."
                "\n\nSections follow the article (model availability, research, deployment, "
                "ecosystem, advice);\none whose evidence is missing says which ingest or "
                "refresh would fill it.\nWithout a browser `--format md` exits 3; "
                "HTML always works. With --json: the report's\nsections as data (the web's "
                "/api/report), to stdout or to -o.\n\nExample: fwatlas report -o report.html "
                "--as-of 2026-11-01",
                (_AS_OF,), kb=True, read_set=True, writes_file=True,
                example=(("as_of", "2026-11-01"),)),
        Command(("status",), b.status,
                "Every source kind's newest evidence: data date, age, rows, skipped items, and "
                "the\nexact command that would refresh it; sources older than their kind's "
                "threshold are stale.\n\nExample: fwatlas status --as-of 2026-11-30",
                (_AS_OF,), kb=True, read_set=True, example=(("as_of", "2026-11-01"),)),
        Command(("compare",), b.compare,
                "What changed between two snapshots of one dataset: Hub availability shares "
                "and models\nadded/removed, registry releases and status changes, "
                "knowledge-base statuses.\n\nExample: fwatlas compare --old s3 --new s7",
                (Option("old", required=True, pattern=SNAPSHOT_ID,
                        help="The earlier snapshot id (s12, ref:…, kb:…) or a knowledge-base "
                             "YAML file."),
                 Option("new", required=True, pattern=SNAPSHOT_ID,
                        help="The later snapshot id or knowledge-base file, of the same "
                             "dataset."),
                 Option("method", "choice", _HUB_METHOD, "tags",
                        "Hub snapshots: tags (the article's), files or library."),
                 Option("file_as", "choice", ("fwatlas.verdict.compare_kb:FILE_AS",), "auto",
                        "How a knowledge-base YAML file given as --old/--new is read: merged "
                        "(over the bundled knowledge base, as --kb reads it), complete (on its "
                        "own, e.g. another version of tools.yaml) or auto (complete when it "
                        "names at least half of the bundled entries, else merged); the output "
                        "says which.", web=False)),
                kb=True, example=(("old", "ref:hub/models@0.1.0"), ("new", "s1"))),
        Command(("snapshots",), b.snapshots,
                "List snapshots: the store's ingests and the bundled reference's datasets, and "
                "per\ndataset which one is read and why (the others are shadowed).\n\n"
                "Subcommands: `use ID` pins the snapshot read for its dataset, `unpin DATASET` "
                "undoes it,\n`redate ID DATE` corrects a data date.\n\nExample: fwatlas "
                "snapshots --kind hub",
                (Option("kind", "choice", ("fwatlas.kinds:KINDS",),
                        help="Only this source kind."),), read_set=True),
        Command(("trends", "pwc"), b.pwc,
                "Per quarter, the share of paper repositories by framework (Papers with Code, "
                "the\narticle's F5).\n\nPapers with Code closed in July 2025; the output shows "
                "the dump's date.\n\nExample: fwatlas trends pwc --official-only",
                (Option("official_only", "bool",
                        help="Only repositories Papers with Code marks as official."),
                 _SNAPSHOT)),
        Command(("trends", "repos"), b.repo_trends,
                "Per quarter, the share of scanned repositories by framework (F5 from "
                "fwatlas's own\nscans); each repository's date (first commit or archive date) "
                "is stated with it.\n\nExample: fwatlas trends repos --from 2019 --json",
                (Option("from", help="First repository date (YYYY or YYYY-MM-DD)."),
                 Option("to", help="Last repository date (YYYY or YYYY-MM-DD)."), _SNAPSHOT)),
        Command(("kb", "list"), b.kb_list,
                "List knowledge-base entries, filtered; stale entries are marked.\n\nExample: "
                "fwatlas kb list --framework pytorch --target mobile --status active",
                (Option("framework", "choice", ("fwatlas.kb.schema:FRAMEWORKS",),
                        help="pytorch, tensorflow, jax, keras, ..."),
                 Option("target", "choice", _TARGETS,
                        help="A deployment target or group (server, mobile, embedded)."),
                 Option("kind", "choice", ("fwatlas.kb.schema:KINDS",),
                        help="serving, export-bridge, mobile-edge, browser, hub, ..."),
                 Option("status", "choice", ("fwatlas.kb.schema:STATUSES",),
                        help="active, maintenance, deprecated, archived or renamed."),
                 Option("in_article", "bool", help="Only tools the 2022 article names."),
                 _AS_OF), store=False, kb=True, example=(("as_of", "2026-11-01"),)),
        Command(("kb", "show"), b.kb_show,
                "One entry: status, date, replacement, packages, sources and how it was "
                "checked.\n\nAn unknown name exits 1 with close matches.\n\nExample: fwatlas kb "
                "show torchserve",
                (_AS_OF,), argument="name", argument_help="An entry name such as torchserve.",
                store=False, kb=True, example=(("name", "torchserve"), ("as_of", "2026-11-01"))),
        Command(("kb", "changes"), b.kb_changes,
                "Every tool the 2022 article names whose status is no longer active.\n\n"
                "Example: fwatlas kb changes --json",
                (_AS_OF,), store=False, kb=True, example=(("as_of", "2026-11-01"),)),
        Command(("probe", "results"), b.probe_results,
                "The table of paths × models: ok or the failing stage, export time, artifact "
                "size,\nlatency (median, p10–p90), the source's eager latency and max |Δ|, with "
                "versions and\nmachine.\n\nExample: fwatlas probe results --json",
                (Option("snapshot", help="A probe/results snapshot id (default: the newest, "
                        "else the bundled run).", pattern=SNAPSHOT_ID),)),
    )


def command(name: str) -> Command:
    """The table's entry for ``name`` (``trends pwc``)."""
    for c in commands():
        if c.name == name:
            return c
    raise KeyError(name)
