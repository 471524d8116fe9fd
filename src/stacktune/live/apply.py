"""Build missing FK indexes on a live database without blocking writes.

Each index: `SET lock_timeout`, then look at what holds its name. A valid index
is left alone; an INVALID one (a concurrent build that failed or was cancelled)
is dropped concurrently and built again, never skipped because the name exists
(which is what `CREATE INDEX CONCURRENTLY IF NOT EXISTS` would do). Builds run
outside a transaction; a lock timeout is retried with backoff; progress comes
from pg_stat_progress_create_index through a second session, which is also the
one that cancels the build on Ctrl-C. Every step can be interrupted and the
whole run repeated: it converges to the same state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import psycopg
from psycopg import errors

from stacktune.checks.context import AuditContext
from stacktune.fixes.fk_index_plan import FkIndexPlan, IndexToCreate, PlanOptions, plan_fk_indexes
from stacktune.fixes.identifiers import quote_ident
from stacktune.live.catalog import load_query
from stacktune.live.progress import ProgressSample, ProgressSink
from stacktune.live.statements import Statement, split_statements
from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import Location
from stacktune.model.schema import Schema
from stacktune.pg.connect import connect, safe_message

Outcome = Literal["built", "rebuilt", "present", "ran", "failed", "cancelled", "skipped"]
SUCCESS: frozenset[str] = frozenset({"built", "rebuilt", "present", "ran"})


@dataclass(frozen=True, slots=True)
class ApplyOptions:
    lock_timeout_ms: int = 5000
    retries: int = 3  # further attempts after a lock timeout
    backoff_s: float = 1.0  # doubled after each lock timeout
    poll_s: float = 0.2  # how often the progress view is read


@dataclass(frozen=True, slots=True)
class IndexBuild:
    """One CREATE INDEX CONCURRENTLY whose name is known, so a failed earlier build can be replaced."""

    table_sql: str  # the table as SQL (quoted, qualified when the statement qualifies it)
    name: str
    statement: str
    evidence: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} on {self.table_sql}"


@dataclass(frozen=True, slots=True)
class SqlBatch:
    """Statements of a file: in one transaction, or one statement that must run outside any."""

    statements: tuple[str, ...]
    transactional: bool
    location: Location

    @property
    def label(self) -> str:
        return f"{self.location.path}:{self.location.line}"


Step = IndexBuild | SqlBatch


@dataclass(frozen=True, slots=True)
class StepResult:
    label: str
    outcome: Outcome
    attempts: int
    seconds: float
    message: str = ""


@dataclass(slots=True)
class ApplyReport:
    results: list[StepResult] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(r.outcome in SUCCESS for r in self.results)


class _Interrupted(Exception):
    """Ctrl-C during a step: its statement was cancelled on the server."""


# --- planning -------------------------------------------------------------------------


def without_invalid_indexes(schema: Schema) -> Schema:
    """The schema as the planner sees it: an INVALID index serves nothing and will be replaced."""
    tables = {
        key: replace(table, indexes={n: ix for n, ix in table.indexes.items() if ix.valid})
        for key, table in schema.tables.items()
    }
    return Schema(tables=tables, schemas=set(schema.schemas))


def plan_for_schema(schema: Schema, options: PlanOptions) -> tuple[FkIndexPlan, list[IndexBuild], list[str]]:
    """The fix planner's indexes for a live catalog, as concurrent builds; notes say what is left out."""
    plan = plan_fk_indexes(AuditContext(without_invalid_indexes(schema)), replace(options, concurrently=True))
    builds: list[IndexBuild] = []
    notes = list(plan.notes)
    for index in plan.indexes:
        table = schema.table(index.schema, index.table)
        if table is not None and table.partitioned:
            notes.append(
                f"{index.schema}.{index.table}({', '.join(index.columns)}): partitioned table; PostgreSQL cannot"
                " build its index concurrently: create it on each partition, then ON ONLY the parent, and attach"
            )
            continue
        builds.append(index_build(index))
    return plan, builds, notes


def index_build(index: IndexToCreate) -> IndexBuild:
    table_sql = f"{quote_ident(index.schema)}.{quote_ident(index.table)}"
    columns = ", ".join(quote_ident(c) for c in index.columns)
    # No IF NOT EXISTS: the name is checked first, and an INVALID index of that name is replaced.
    statement = f"CREATE INDEX CONCURRENTLY {quote_ident(index.name)} ON {table_sql} ({columns})"
    if index.predicate is not None:
        statement += f" WHERE {index.predicate}"
    return IndexBuild(table_sql, index.name, statement, index.evidence)


def steps_from_file(path: Path, display_path: str) -> tuple[list[Step], list[Diagnostic]]:
    """A migration file's statements: CONCURRENTLY ones alone and outside a transaction, runs of others in one."""
    statements, diagnostics = split_statements(path.read_bytes(), display_path)
    steps: list[Step] = []
    pending: list[Statement] = []
    for statement in statements:
        if statement.kind == "TransactionStmt":
            note = "transaction control left out: apply groups statements itself"
            diagnostics.append(Diagnostic(statement.location, note))
        elif not statement.refuses_transaction:
            pending.append(statement)
        else:
            if pending:
                steps.append(_batch(pending))
                pending = []
            steps.append(_concurrent_step(statement))
    if pending:
        steps.append(_batch(pending))
    return steps, diagnostics


def _batch(statements: list[Statement]) -> SqlBatch:
    return SqlBatch(tuple(s.text for s in statements), True, statements[0].location)


def _concurrent_step(statement: Statement) -> Step:
    index = statement.node.get("IndexStmt")
    if index is None or not index.get("idxname"):
        return SqlBatch((statement.text,), False, statement.location)
    relation = index["relation"]
    table_sql = quote_ident(relation["relname"])
    if relation.get("schemaname"):
        table_sql = f"{quote_ident(relation['schemaname'])}.{table_sql}"
    return IndexBuild(table_sql, index["idxname"], statement.text)


# --- running --------------------------------------------------------------------------


def run_steps(
    url: str, steps: Sequence[Step], sink: ProgressSink, options: ApplyOptions = ApplyOptions()
) -> ApplyReport:
    """Run every step in order; Ctrl-C cancels the running statement and ends the run (report.interrupted)."""
    report = ApplyReport()
    with _session(url, options) as session:
        for step in steps:
            try:
                report.results.append(session.run(step, sink))
            except (_Interrupted, KeyboardInterrupt):
                report.results.append(StepResult(step.label, "cancelled", 1, 0.0, "interrupted (Ctrl-C)"))
                report.interrupted = True
                break
    return report


@contextmanager
def _session(url: str, options: ApplyOptions) -> Iterator[_Session]:
    with connect(url, read_only=False, statement_timeout_ms=None) as conn, connect(
        url, read_only=True, statement_timeout_ms=10_000
    ) as monitor:
        conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{options.lock_timeout_ms}ms",))
        yield _Session(url, conn, monitor, options)


@dataclass(slots=True)
class _Session:
    url: str
    conn: psycopg.Connection  # builds
    monitor: psycopg.Connection  # watches and cancels the builds
    options: ApplyOptions

    def run(self, step: Step, sink: ProgressSink) -> StepResult:
        action: Callable[[], Outcome]
        if isinstance(step, IndexBuild):
            action = lambda: self._build(step, sink)  # noqa: E731
        else:
            action = lambda: self._batch(step, sink)  # noqa: E731
        return self._with_retries(step.label, action, sink)

    def _with_retries(self, label: str, action: Callable[[], Outcome], sink: ProgressSink) -> StepResult:
        started = time.monotonic()
        attempts = self.options.retries + 1
        for attempt in range(1, attempts + 1):
            sink.begin(label, attempt)
            try:
                outcome = action()
            except errors.LockNotAvailable as exc:
                sink.end("lock timeout")
                if attempt == attempts:
                    message = f"gave up after {attempt} lock timeouts: {exc}"
                    return self._result(label, "failed", attempt, started, message)
                time.sleep(self.options.backoff_s * 2 ** (attempt - 1))
                continue
            except _Interrupted:
                sink.end("cancelled")
                raise
            except (psycopg.Error, _NameTaken) as exc:
                sink.end("failed")
                return self._result(label, "failed", attempt, started, str(exc))
            sink.end(outcome)
            return self._result(label, outcome, attempt, started)
        raise AssertionError("unreachable: the last attempt returns")

    def _result(self, label: str, outcome: Outcome, attempts: int, started: float, message: str = "") -> StepResult:
        return StepResult(label, outcome, attempts, time.monotonic() - started, safe_message(message, self.url))

    def _build(self, step: IndexBuild, sink: ProgressSink) -> Outcome:
        state = self._state(step)
        if state == "valid":
            return "present"
        if state == "invalid":
            self._cancellable(f"DROP INDEX CONCURRENTLY IF EXISTS {self._index_sql(step)}", sink)
        self._cancellable(step.statement, sink)
        if self._state(step) != "valid":
            raise _NameTaken(f"{step.label}: the build finished but the index is not valid")
        return "rebuilt" if state == "invalid" else "built"

    def _batch(self, step: SqlBatch, sink: ProgressSink) -> Outcome:
        if not step.transactional:
            self._cancellable(step.statements[0], sink)
            return "ran"
        with self.conn.transaction():
            for statement in step.statements:
                self._cancellable(statement, sink)
        return "ran"

    def _schema_of(self, step: IndexBuild) -> str | None:
        row = self.conn.execute(
            "SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.oid = pg_catalog.to_regclass(%s)",
            (step.table_sql,),
        ).fetchone()
        return row[0] if row else None

    def _index_sql(self, step: IndexBuild) -> str:
        schema = self._schema_of(step)
        return f"{quote_ident(schema)}.{quote_ident(step.name)}" if schema else quote_ident(step.name)

    def _state(self, step: IndexBuild) -> Literal["absent", "valid", "invalid"]:
        schema = self._schema_of(step)
        if schema is None:
            return "absent"  # the build itself will say the table does not exist
        params = {"schema": schema, "name": step.name, "table": step.table_sql}
        row = self.conn.execute(load_query("index_state"), params).fetchone()
        if row is None:
            return "absent"
        kind, valid, same_table, table_name = row
        if kind != "i":
            raise _NameTaken(f"{schema}.{step.name} exists and is not an index")
        if not same_table:
            raise _NameTaken(f"{schema}.{step.name} is an index on another table ({table_name})")
        return "valid" if valid else "invalid"

    def _cancellable(self, statement: str, sink: ProgressSink) -> None:
        """Run `statement` while this thread feeds the progress sink; Ctrl-C cancels it on the server."""
        failure: list[BaseException] = []

        def work() -> None:
            try:
                self.conn.execute(statement)
            except BaseException as exc:  # handed to the waiting thread, which raises it
                failure.append(exc)

        worker = threading.Thread(target=work, name="stacktune-apply", daemon=True)
        pid = self.conn.info.backend_pid
        worker.start()
        try:
            while worker.is_alive():
                worker.join(self.options.poll_s)
                self._poll(pid, sink)
        except KeyboardInterrupt:
            self.monitor.execute("SELECT pg_catalog.pg_cancel_backend(%s)", (pid,))
            worker.join()
            raise _Interrupted from None
        if failure:
            raise failure[0]

    def _poll(self, pid: int, sink: ProgressSink) -> None:
        row = self.monitor.execute(load_query("build_progress"), {"pid": pid}).fetchone()
        if row is not None:
            sink.update(ProgressSample(row[0], *(int(v or 0) for v in row[1:])))


class _NameTaken(Exception):
    """The index name is held by something this run must not replace."""
