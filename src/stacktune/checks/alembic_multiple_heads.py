"""ST109 alembic-multiple-heads: the Alembic revision graph has more than one head."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding
from stacktune.sources.alembic import AlembicSource

RULE = Rule(
    code="ST109",
    name="alembic-multiple-heads",
    title="Alembic revision graph with several heads",
    severity="warning",
    why=(
        "Two revisions written on parallel branches both revise the same parent. `alembic upgrade head`"
        " refuses to run, deployments that run `upgrade heads` apply the branches in an order nobody chose,"
        " and the next autogenerate starts from one branch only."
    ),
    bad_example=(
        "# versions/b1.py\nrevision = 'b1'\ndown_revision = 'a0'\n"
        "# versions/c1.py\nrevision = 'c1'\ndown_revision = 'a0'\n"
    ),
    good_example=(
        "# versions/d1.py: alembic merge heads\nrevision = 'd1'\ndown_revision = ('b1', 'c1')\n"
    ),
)


def check(ctx: AuditContext) -> Iterator[Finding]:
    for source in ctx.sources:
        if not isinstance(source, AlembicSource) or len(source.heads) < 2:
            continue
        labelled = all(h.branch_labels for h in source.heads) and len({h.branch_labels for h in source.heads}) == len(
            source.heads
        )
        names = ", ".join(f"{h.revision} ({h.location})" for h in source.heads)
        yield RULE.finding(
            f"{source.path} has {len(source.heads)} heads: {names}",
            source.heads[0].location,
            help="merge them with `alembic merge heads`" + ("; they carry distinct branch labels, so this may be"
                                                            " intended" if labelled else ""),
            severity="info" if labelled else None,
            details={"related": [{**h.location.to_json(), "message": f"head {h.revision}"} for h in source.heads[1:]]},
        )
