"""The national world of ``make bench-national``, written with SQL
(generate_series, COPY), not the ORM, so it is built in minutes: 34
provinces, 3,321 communes and 100,000 residential committees (103,356 units),
1,000,000 cadres, 20 courses, 6 enrolments per cadre (4 required), ~80 % of
them completed, 1 % of completions revoked. ``BENCH_NATIONAL_SCALE`` (0.01 …)
builds a smaller one to try the script."""

import io
import os
import time

from django.db import connection

from cadres.accounts.services import user_set_role
from cadres.models import Cadre, Membership, OrgUnit, User
from cadres.text import fold, sort_key
from courses.models import Completion, Enrolment
from tests.reports.builders import course_catalogue, programme_make, target_2025

PROVINCES = 34
COMMUNES = 3_321
RESIDENTIAL = 100_000
CADRES = 1_000_000
PER_COMMUNE_OFFICE = 10  # cadres of each commune committee itself
PER_PROVINCE_OFFICE = 10
COURSES = 20
REQUIRED = 4
FAMILY = ["Nguyễn Thị", "Ma Văn", "Hoàng Thị", "Nông Văn", "Triệu Thị", "Đặng Văn", "Lý Thị"]
GIVEN = ["Hoa", "Thắng", "Đào", "Ước", "Mai", "Dũng", "Uyên", "Bình Minh", "Ngọc", "Hòa"]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

if os.environ.get("BENCH_NATIONAL_SCALE"):  # a smaller world to try the script: 0.01 …
    _scale = float(os.environ["BENCH_NATIONAL_SCALE"])
    COMMUNES = max(PROVINCES, int(COMMUNES * _scale))
    RESIDENTIAL = max(COMMUNES, int(RESIDENTIAL * _scale))
    CADRES = max(
        COMMUNES * PER_COMMUNE_OFFICE + PROVINCES * PER_PROVINCE_OFFICE + RESIDENTIAL,
        int(CADRES * _scale),
    )


def _step(n: int) -> str:
    """Treebeard's path step for the n-th child (1-based), base 36, 4 wide."""
    out = ""
    for _ in range(OrgUnit.steplen):
        n, digit = divmod(n, 36)
        out = ALPHABET[digit] + out
    return out


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)


def _units() -> tuple[int, list[int]]:
    """The tree, written by COPY; returns the root's id and the provinces' ids."""
    rows = []
    root_path = _step(1)
    rows.append((root_path, 1, PROVINCES, "Ủy ban Trung ương MTTQ Việt Nam (bench)", "co_quan"))
    communes_left, residential_left = COMMUNES, RESIDENTIAL
    commune_index = 0
    for p in range(PROVINCES):
        n_communes = communes_left // (PROVINCES - p)
        communes_left -= n_communes
        province_path = root_path + _step(p + 1)
        rows.append((province_path, 2, n_communes, f"Ủy ban MTTQ tỉnh số {p + 1}", "uy_ban_tinh"))
        for c in range(n_communes):
            n_res = residential_left // (COMMUNES - commune_index)
            residential_left -= n_res
            commune_index += 1
            commune_path = province_path + _step(c + 1)
            rows.append((commune_path, 3, n_res, f"Ủy ban MTTQ xã số {commune_index}", "uy_ban_xa"))
            for r in range(n_res):
                rows.append(
                    (
                        commune_path + _step(r + 1),
                        4,
                        0,
                        f"Ban Công tác Mặt trận thôn {r + 1} xã {commune_index}",
                        "ban_cong_tac_kdc",
                    )
                )
    _copy(
        OrgUnit._meta.db_table,
        ["path", "depth", "numchild", "name", "kind", "name_folded"],
        (
            (path, depth, numchild, name, kind, fold(name))
            for path, depth, numchild, name, kind in rows
        ),
    )
    root = OrgUnit.objects.get(path=root_path)
    provinces = list(OrgUnit.objects.filter(depth=2).order_by("path").values_list("pk", flat=True))
    return root.pk, provinces


def _sql(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _drop_indexes(tables: list[str]) -> list[str]:
    """Drop the tables' indexes that no constraint needs; returns how to
    recreate them. Building an index once after the load is many times
    faster than updating six of them row by row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))"
            "::regclass)",
            (tables,),
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes]


def world_build() -> tuple[int, int, list[int], User]:
    """Write the national world; returns the programme, the root unit, the
    province ids and the national HR officer."""
    started = time.monotonic()
    # The rows are consistent by construction: skip the per-row foreign-key
    # triggers (millions of deferred checks) while writing them.
    _sql("SET session_replication_role = replica")
    recreate = _drop_indexes(
        [Cadre._meta.db_table, Enrolment._meta.db_table, Completion._meta.db_table]
    )
    root_id, provinces = _units()
    print(f"  units written in {time.monotonic() - started:.0f} s", flush=True)
    unit_table = OrgUnit._meta.db_table
    cadre_table = Cadre._meta.db_table
    names = [
        (i, family, given, sort_key(given, family), fold(f"{family} {given}"))
        for i, (family, given) in enumerate((f, g) for f in FAMILY for g in GIVEN)
    ]
    _sql("CREATE TEMP TABLE bench_names (n int, family text, given text, sk text, st text)")
    _copy("bench_names", ["n", "family", "given", "sk", "st"], names)
    _sql(
        f"INSERT INTO {cadre_table} (family_name, given_name, cadre_code, email, status, "  # noqa: S608
        "sort_key, search_text, created_at, updated_at) "
        "SELECT b.family, b.given, 'N' || lpad(g::text, 7, '0'), '', 'active', b.sk, "
        "b.st || ' n' || lpad(g::text, 7, '0'), now(), now() "
        "FROM generate_series(0, %s) g JOIN bench_names b ON b.n = (g * 7 + g / 70) %% 70",
        (CADRES - 1,),
    )
    print(f"  cadres written at {time.monotonic() - started:.0f} s", flush=True)
    # Where each cadre sits: the commune offices first, then the province
    # offices, then the residential committees round-robin.
    _sql(
        "CREATE TEMP TABLE bench_slots AS SELECT kind, "  # noqa: S608
        "row_number() OVER (PARTITION BY kind ORDER BY path) - 1 AS n, id AS unit_id "
        f"FROM {unit_table} WHERE depth > 1"
    )
    _sql("CREATE INDEX ON bench_slots (kind, n)")
    communes_office = COMMUNES * PER_COMMUNE_OFFICE
    offices = communes_office + PROVINCES * PER_PROVINCE_OFFICE
    _sql(
        f"INSERT INTO {Membership._meta.db_table} (cadre_id, unit_id, position, is_full_time, "  # noqa: S608
        "valid_from) "
        "SELECT c.id, s.unit_id, (ARRAY['Chủ tịch','Phó Chủ tịch','Ủy viên','Trưởng ban'])"
        "[1 + c.i %% 4], c.i %% 5 <> 0, DATE '2024-01-01' "
        f"FROM (SELECT id, substr(cadre_code, 2)::int AS i FROM {cadre_table} "
        "WHERE cadre_code LIKE 'N%%') c JOIN bench_slots s ON (s.kind, s.n) = ("
        "CASE WHEN c.i < %s THEN 'uy_ban_xa' WHEN c.i < %s THEN 'uy_ban_tinh' "
        "ELSE 'ban_cong_tac_kdc' END, "
        "CASE WHEN c.i < %s THEN c.i / %s WHEN c.i < %s THEN (c.i - %s) / %s "
        "ELSE (c.i - %s) %% %s END)",
        (
            communes_office,
            offices,
            communes_office,
            PER_COMMUNE_OFFICE,
            offices,
            communes_office,
            PER_PROVINCE_OFFICE,
            offices,
            RESIDENTIAL,
        ),
    )
    print(f"  memberships written at {time.monotonic() - started:.0f} s", flush=True)
    root = OrgUnit.objects.get(pk=root_id)
    courses = course_catalogue(
        slug="bench-quoc-gia",
        courses=[(f"qg-{i + 1}", f"Khóa học số {i + 1}") for i in range(COURSES)],
    )
    programme = programme_make(unit=root, required=courses[:REQUIRED])
    target_2025(programme=programme, unit=root)
    course_ids = [c.pk for c in courses]
    _sql(
        f"INSERT INTO {Enrolment._meta.db_table} (cadre_id, course_id, source, enrolled_at, "  # noqa: S608
        "last_activity_at) "
        "SELECT c.id, (%s::int[])[k.slot], 'programme', TIMESTAMPTZ '2025-01-01 08:00+07', "
        "TIMESTAMPTZ '2025-01-01 08:00+07' + ((c.id * 7919 + k.slot * 104729) %% 600) * "
        "INTERVAL '1 day' "
        f"FROM {cadre_table} c CROSS JOIN LATERAL (VALUES (1), (2), (3), (4), "
        "(5 + c.id %% 16), (5 + (c.id + 7) %% 16)) AS k(slot)",
        (course_ids,),
    )
    print(f"  enrolments written at {time.monotonic() - started:.0f} s", flush=True)
    _sql("SELECT setseed(0.7)")
    _sql(
        f"INSERT INTO {Completion._meta.db_table} (enrolment_id, completed_at, revoked_at, "  # noqa: S608
        "source, reason, revoke_reason) "
        "SELECT e.id, e.at, CASE WHEN random() < 0.01 THEN e.at + INTERVAL '30 days' END, "
        "'rule', '', '' FROM (SELECT id, TIMESTAMPTZ '2025-01-01 08:00+07' "
        "+ (random() * 600) * INTERVAL '1 day' AS at "
        f"FROM {Enrolment._meta.db_table}) e WHERE random() < 0.8"
    )
    print(f"  completions written at {time.monotonic() - started:.0f} s", flush=True)
    _sql("SET session_replication_role = DEFAULT")
    for definition in recreate:
        _sql(definition)
    print(f"  indexes rebuilt at {time.monotonic() - started:.0f} s", flush=True)
    officer = User.objects.create(username="bench.quocgia")
    user_set_role(user=officer, role=User.Role.HR_OFFICER, scope_unit=root)
    return programme.pk, root_id, provinces, officer
