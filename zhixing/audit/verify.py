"""
``chain_verify``: check every audit chain, link by link, and name the first broken link of each.

A chain is sound when its records are numbered 1, 2, 3 … without a gap, the first one's ``prev_hash``
is ``GENESIS`` and every other one's is its predecessor's ``hash``, every ``hash`` recomputes from the
record's content, and the chain head row names the last record.

Speed matters (the target is 100,000 records/s): the rows are streamed through one raw cursor (a
server-side cursor on PostgreSQL), the moment comes out of the database already in its canonical text,
and each row costs one string join and one SM3. The content is the one ``chain.content_text`` defines;
``test_verify`` holds the two in step.

Verifying while others record: the heads are read before and after the stream. Records committed
before the stream started are all in it, so a chain's last streamed record must be at least the first
head and at most the second; a record streamed beyond the second head was not written by ``record``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC
from typing import Any

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from zhixing.audit.chain import GENESIS, at_text
from zhixing.audit.models import AuditChainHead, AuditRecord

_CHUNK = 10_000
_SM3 = hashlib.new("sm3")


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainBreak:
    """The first broken link of one chain: where, and what is wrong (in Chinese)."""

    chain: int
    seq: int
    problem: str


@dataclass(frozen=True, slots=True, kw_only=True)
class VerificationReport:
    """The outcome of one verification: what was checked, how fast, and each chain's first broken link."""

    chains: int
    records: int
    seconds: float
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether every chain checked is sound."""
        return not self.breaks

    @property
    def records_per_second(self) -> float:
        """Return the verification speed."""
        return self.records / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data."""
        return {
            "ok": self.ok,
            "chains": self.chains,
            "records": self.records,
            "seconds": round(self.seconds, 6),
            "records_per_second": round(self.records_per_second),
            "breaks": [asdict(item) for item in self.breaks],
        }

    def summary(self) -> str:
        """Return one line in Chinese saying what was checked and whether it is sound."""
        head = f"校验 {self.chains} 条审计链、{self.records} 条记录"
        if self.ok:
            return f"{head}，全部完整。"
        return f"{head}，发现 {len(self.breaks)} 条链被破坏。"


def _heads(chain: int | None) -> dict[int, tuple[int, str]]:
    heads = AuditChainHead.objects.all() if chain is None else AuditChainHead.objects.filter(chain=chain)
    return {c: (s, h) for c, s, h in heads.values_list("chain", "seq", "hash")}


_COLUMNS = (
    "chain, seq, {at}, court_id, case_id, actor_id, actor_label, action, "
    "subject_type, subject_id, subject_label, data, prev_hash, hash"
)
_AT_SQL = {
    # The canonical text of chain.at_text, computed by PostgreSQL: UTC, microseconds always present.
    "postgresql": """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
    # SQLite keeps Django's text ('YYYY-MM-DD HH:MM:SS[.ffffff]', UTC); the cast skips Django's datetime
    # converter (a regex per row) and _sqlite_at_text finishes the text.
    "sqlite": "CAST(at AS TEXT)",
}


def _sqlite_at_text(text: str) -> str:
    # Django writes str(naive UTC datetime): no fraction when the microseconds are zero.
    if len(text) == 26 and text[19] == ".":
        return f"{text[:10]}T{text[11:]}Z"
    if len(text) == 19:
        return f"{text[:10]}T{text[11:]}.000000Z"
    moment = parse_datetime(text)
    if moment is None:
        return text  # not a moment: the hash will not recompute, which is the truth
    return at_text(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _rows(chain: int | None) -> Iterator[list[tuple[Any, ...]]]:
    table = AuditRecord._meta.db_table
    sql = f"SELECT {_COLUMNS.format(at=_AT_SQL[connection.vendor])} FROM {table}"  # noqa: S608 - constants only
    params: list[Any] = []
    if chain is not None:
        sql += " WHERE chain = %s"
        params.append(chain)
    sql += " ORDER BY chain, seq"
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(_CHUNK):
            yield batch


def _stream(chain: int | None) -> Iterator[list[tuple[Any, ...]]]:
    if connection.vendor == "postgresql":
        # Inside a transaction the server-side cursor streams; outside, WITH HOLD would copy the table first.
        with transaction.atomic():
            yield from _rows(chain)
    else:
        yield from _rows(chain)


@dataclass(slots=True)
class _Walk:
    """Where the walk of one chain stands."""

    seq: int = 0
    hash: str = GENESIS
    broken: bool = False


def _link_break(chain: int, walk: _Walk, seq: int) -> ChainBreak:
    """Return the break of a record that does not follow ``walk`` (its seq or its prev_hash is wrong)."""
    expected = walk.seq + 1
    if seq > expected:
        missing = f"{expected}" if seq == expected + 1 else f"{expected}–{seq - 1}"
        return ChainBreak(chain=chain, seq=expected, problem=f"缺少第 {missing} 条记录（记录被删除，或序号被改动）")
    if seq < expected:
        return ChainBreak(chain=chain, seq=seq, problem=f"序号 {seq} 重复或倒退（上一条是第 {walk.seq} 条）")
    if seq == 1:
        return ChainBreak(chain=chain, seq=seq, problem="第一条记录的“前一记录哈希”不是链的起点")
    return ChainBreak(
        chain=chain, seq=seq, problem="“前一记录哈希”与上一条记录的哈希不符（记录被删除、替换或调换了顺序）"
    )


def chain_verify(*, chain: int | None = None) -> VerificationReport:
    """
    Check every chain (or only ``chain``) and return the first broken link of each broken one.

    Read-only; safe to run while others record.
    """
    started = time.perf_counter()
    heads_before = _heads(chain)
    walks: dict[int, _Walk] = {}
    breaks: dict[int, ChainBreak] = {}
    sqlite = connection.vendor == "sqlite"
    sm3 = _SM3.copy
    records = 0
    walk = _Walk()
    current: int | None = None
    for batch in _stream(chain):
        records += len(batch)
        for row in batch:
            if row[0] != current:
                current = row[0]
                walk = walks.setdefault(current, _Walk())
            if walk.broken:
                continue
            (c, seq, at, court, case, actor, actor_label, action, stype, sid, slabel, data, prev_hash, hash_) = row
            if seq != walk.seq + 1 or prev_hash != walk.hash:
                breaks[c] = _link_break(c, walk, seq)
                walk.broken = True
                continue
            if sqlite:
                at = _sqlite_at_text(at)
            digest = sm3()
            digest.update(
                (
                    f"{prev_hash}\x1e{c}\x1f{seq}\x1f{at}\x1f{'' if court is None else court}\x1f"
                    f"{'' if case is None else case}\x1f{'' if actor is None else actor}\x1f{actor_label}\x1f"
                    f"{action}\x1f{stype}\x1f{sid}\x1f{slabel}\x1f{data}"
                ).encode()
            )
            if digest.hexdigest() != hash_:
                breaks[c] = ChainBreak(chain=c, seq=seq, problem="记录内容与其哈希不符（记录被修改）")
                walk.broken = True
                continue
            walk.seq, walk.hash = seq, hash_
    heads_after = _heads(chain)
    for c in sorted(set(walks) | set(heads_before) | set(heads_after)):
        if c in breaks:
            continue
        head_break = _head_break(c, walks.get(c, _Walk()), heads_before.get(c), heads_after.get(c))
        if head_break is not None:
            breaks[c] = head_break
    return VerificationReport(
        chains=len(set(walks) | set(heads_after)),
        records=records,
        seconds=time.perf_counter() - started,
        breaks=[breaks[c] for c in sorted(breaks)],
    )


def _head_break(
    chain: int, walk: _Walk, before: tuple[int, str] | None, after: tuple[int, str] | None
) -> ChainBreak | None:
    """Return the break of a chain whose last record and head row disagree, else None."""
    if after is None:
        if walk.seq == 0:
            return None
        return ChainBreak(chain=chain, seq=walk.seq, problem="链头缺失（链头记录被删除）")
    low = before[0] if before is not None else 0
    if walk.seq < low:
        missing = f"{walk.seq + 1}" if walk.seq + 1 == low else f"{walk.seq + 1}–{low}"
        return ChainBreak(chain=chain, seq=walk.seq + 1, problem=f"链尾缺少第 {missing} 条记录（链头记到第 {low} 条）")
    if walk.seq > after[0]:
        return ChainBreak(
            chain=chain, seq=after[0] + 1, problem=f"链头只记到第 {after[0]} 条，其后的记录不是经由审计服务写入的"
        )
    for head in (before, after):
        if head is not None and head[0] == walk.seq and head[1] != walk.hash:
            return ChainBreak(chain=chain, seq=walk.seq, problem="链头哈希与最后一条记录的哈希不符")
    return None
