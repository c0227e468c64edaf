"""``fwatlas advise``: a recommendation, its trace and evidence, and what would change it."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fwatlas.cli.options import (
    AsOfOption,
    DbOption,
    FormatOption,
    JsonFlag,
    KbOption,
    OutPath,
    Values,
    output_format,
    parse_date,
)
from fwatlas.cli.output import Format

PersonaOption = Annotated[str, typer.Option(
    "--persona", metavar=Values("fwatlas.advisor.situation:PERSONAS"),
    help="industry, researcher, professor, career-changer, hobbyist or beginner.",
    show_default=False)]


def _choices(option: str) -> str:
    """The help line of an advisor option, its values read from the one declaration."""
    from fwatlas.advisor.situation import OPTION_HELP

    values, what = OPTION_HELP[option]
    return f"{what[0].upper()}{what[1:]}: {', '.join(values)}."


AcceleratorOption = Annotated[str | None, typer.Option("--accelerator",
                                                       help=_choices("--accelerator"))]
WorkloadOption = Annotated[list[str] | None, typer.Option("--workload",
                                                          help=_choices("--workload"))]
ExistingOption = Annotated[str | None, typer.Option("--existing", help=_choices("--existing"))]
CloudOption = Annotated[str | None, typer.Option("--cloud", help=_choices("--cloud"))]
KerasBackendOption = Annotated[str | None, typer.Option("--keras-backend",
                                                        help=_choices("--keras-backend"))]


def _render(advice: Any, other: Any | None) -> Any:
    def draw(console: Any) -> None:
        from rich.markup import escape

        a = advice
        console.print(f"[bold]Recommendation ({a.ruleset}): {a.recommendation}[/]")
        if a.platform and a.platform.get("note"):
            console.print(f"[yellow]{escape(a.platform['note'])}[/]")
        if a.deploy_via:
            for d in a.deploy_via:
                where = f"{d['target']}: " if d["target"] else ""
                console.print(f"  deploy via {escape(where + d['display'])}")
                for s in d["steps"]:
                    if s.get("now"):
                        console.print(f"    {escape(s['title'])} is {s['status']} "
                                      f"({s['status_date']}); now {escape(s['now'])} "
                                      f"({s['now_status']})")
                    elif s.get("status") not in (None, "active"):
                        console.print(f"    {escape(s['title'])} is {s['status']} "
                                      f"({s['status_date']})")
        for alt in a.alternatives:
            # an "alternative" naming the recommended framework is a tip about using it
            label = "tip" if alt["framework"] == a.recommendation else "alternative"
            console.print(f"  {label}: {alt['framework']} – {escape(alt['text'])}")
        if a.migration:
            m = a.migration
            head = (f"Staying on {m['from']}" if m["stay"] else
                    f"Moving from {m['from']} to {m['to']}")
            console.print(f"[bold]{escape(head)}[/] – the stack in production:")
            for t in m["tools"]:
                console.print(f"    {escape(t['title'])}: {t['status'] or 'status unknown'} "
                              f"({t['status_date'] or 'undated'})")
            console.print("  a migration would touch:")
            for line in m["touches"]:
                console.print(f"    - {escape(line)}")
            console.print("  it would be worth it if:")
            for line in m["worth_it_if"]:
                console.print(f"    - {escape(line)}")
        console.print(f"\n[bold]Why[/] (rule {a.rule}, the first in the ruleset that holds):")
        console.print("  " + escape(a.reasons[0].text))
        for c in a.checks:
            mark = {True: "yes", False: "no", None: "unknown"}[c.value]
            console.print(f"  - {escape(c.text)}: {mark}")
        for r in a.reasons[1:]:
            console.print("  " + escape(r.text))
        if a.reasons[0].evidence:
            console.print("[bold]Evidence[/]")
            for e in a.reasons[0].evidence:
                stale = " STALE" if e.name in a.stale else ""
                if e.status is None and e.source is None:  # no snapshot holds this fact
                    shown = ("unknown (no evidence in the store; fwatlas refresh registry "
                             "fetches it)" if e.name.startswith("registry.") else
                             "unknown (no evidence in the store)")
                    console.print(f"  {e.kind} {escape(e.name)}: {shown}{stale}")
                    continue
                status = "unknown" if e.status is None else str(e.status)
                console.print(f"  {e.kind} {escape(e.name)}: {escape(status)} "
                              f"(dated {e.data_date or 'undated'}; {escape(e.source or '–')})"
                              f"{stale}")
        tried = [(rid, why) for rid, why in a.tried if not why.startswith("--persona")]
        if tried:
            console.print("[dim]Tried first: " + escape("; ".join(
                f"{rid} ({why})" for rid, why in tried)) + "[/]")
        if a.changes_if:
            console.print("[bold]Would change if[/]")
            for ch in a.changes_if:
                console.print(f"  {escape(ch.text)}")
        label = "The article (2022) said" if a.ruleset == "current" else "fwatlas current says"
        if other is not None and other.recommendation != a.recommendation:
            console.print(f"\n[bold]{label}: {other.recommendation}[/] "
                          f"(rule {other.rule}): {escape(other.reasons[0].text)}")
        elif other is not None:
            console.print(f"\n{label} the same: {other.recommendation} (rule {other.rule}).")
        if a.stale:
            console.print(f"[yellow]stale:[/] {', '.join(a.stale)} (checked more than 12 months "
                          "ago)")
        from fwatlas.cli.output import sources_line

        console.print(f"[dim]{escape(sources_line([dict(s) for s in a.sources]))}[/]")
    return draw


def advise_command(
    persona: PersonaOption,
    target: Annotated[list[str] | None, typer.Option(
        "--target", metavar=Values("fwatlas.advisor.situation:TARGET_CHOICES"),
        help="Deployment target (repeatable): server, mobile, embedded, or one of "
                         "server-rest, server-grpc, android, ios, microcontroller, "
                         "embedded-linux, browser, edge-accelerator, desktop, cloud.")] = None,
    need: Annotated[list[str] | None, typer.Option(
        "--need", metavar=Values("fwatlas.advisor.situation:NEEDS"),
        help="Repeatable: audio-video, reinforcement-learning, tpu, "
                       "pytorch-only-models, pythonic, no-new-install, end-to-end-platform."
    )] = None,
    focus: Annotated[str | None, typer.Option(
        "--focus", metavar=Values("fwatlas.advisor.situation:focus_values()"),
        help="professor: industry or theory; hobbyist: project or learning "
                        "(required for those two, refused for the others).")] = None,
    experience: Annotated[str | None, typer.Option(
        "--experience", metavar=Values("fwatlas.advisor.situation:EXPERIENCE"),
        help="none, keras, pytorch, tensorflow or jax (left out: unknown).")]
    = None,
    ruleset: Annotated[str, typer.Option(
        "--ruleset", metavar=Values("fwatlas.advisor.ruleset:RULESETS"),
        help="current (evidence-checked, default) or article-2022.")] = "current",
    python: Annotated[str | None, typer.Option(
        "--python", help="Your Python version, e.g. 3.13 (with --os and --arch, rules can "
                         "read registry installability facts).")] = None,
    os_name: Annotated[str | None, typer.Option(
        "--os", metavar=Values("fwatlas.platforms:Os"),
                                                help="linux, macos or windows.")]
    = None,
    arch: Annotated[str | None, typer.Option(
        "--arch", metavar=Values("fwatlas.platforms:Arch"),
                                             help="x86_64 or arm64 (alias aarch64).")]
    = None,
    accelerator: AcceleratorOption = None,
    workload: WorkloadOption = None,
    existing: ExistingOption = None,
    cloud: CloudOption = None,
    keras_backend: KerasBackendOption = None,
    as_of: AsOfOption = None,
    kb_path: KbOption = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """Which framework should I use? A recommendation from a ruleset, with the rule that
    decided it, the evidence and dates it rests on, and what would change the answer.

    Example: fwatlas advise --persona industry --target mobile --need audio-video
    """
    import datetime as dt

    from fwatlas.advisor.engine import advise
    from fwatlas.cli.output import Output, emit
    from fwatlas.commands import Ctx
    from fwatlas.commands.builders import advice_of, envelope

    day = parse_date(as_of, "--as-of")
    ctx = Ctx(kb=str(kb_path) if kb_path else None, today=dt.date.today())
    advice, s, kb = advice_of(None, ctx, {
        "persona": persona, "target": target, "need": need, "focus": focus,
        "experience": experience, "ruleset": ruleset, "python": python, "os": os_name,
        "arch": arch, "as_of": day, "accelerator": accelerator, "workload": workload,
        "existing": existing, "cloud": cloud, "keras_backend": keras_backend}, db=db)
    payload = envelope(advice.as_dict())
    chosen = output_format(fmt, json_out)
    if chosen is not Format.table:  # an answer, not rows: csv/parquet are refused by emit
        emit(Output(payload), chosen, out)
        return
    other = advise(s, "article-2022" if ruleset == "current" else "current", kb=kb, db=db,
                   as_of=day, with_changes=False)
    emit(Output(payload, table=_render(advice, other)), Format.table)


def register(app: typer.Typer) -> None:
    app.command("advise")(advise_command)
