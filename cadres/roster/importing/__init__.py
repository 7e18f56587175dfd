"""Importing an HR roster file, in the order it happens:

- :mod:`.reading` — the file's rows (XLSX or CSV, any usual encoding) and its header;
- :mod:`.mapping` — which column holds which field;
- :mod:`.cells` — one cell's value (dates, full-time mark, phone, ID number);
- :mod:`.matching` — which unit a row names;
- :mod:`.planning` — what each row would do (create, update, move, leave, reject);
- :mod:`.services` — upload, dry run and commit as the officer takes them;
- :mod:`.writing` — the rows written, in bulk.

The names below are the planning API (``from cadres.roster import importing as ri``).
"""

from .cells import CellError, parse_bool, parse_date, parse_national_id, parse_phone
from .mapping import (
    FIELDS,
    HEADER_SYNONYMS,
    IDENTIFIERS,
    IGNORE,
    TEMPLATE_HEADERS,
    column_label,
    guess_mapping,
    header_key,
    mapping_errors,
    mapping_to_remember,
)
from .matching import UnitMatcher, unit_core, units_in_scope
from .planning import (
    ACTIONS,
    CREATE,
    DEACTIVATE,
    MOVE,
    REJECTED,
    UNCHANGED,
    UPDATE,
    Plan,
    Planner,
    PlanRow,
    chunks,
    plan_import,
)
from .reading import (
    ENCODINGS,
    HEADER_SCAN_ROWS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    Formula,
    RosterFileError,
    Sheet,
    decode_text,
    file_too_large_message,
    open_sheet,
    read_sheet,
)

__all__ = [
    "ACTIONS",
    "CREATE",
    "DEACTIVATE",
    "ENCODINGS",
    "FIELDS",
    "HEADER_SCAN_ROWS",
    "HEADER_SYNONYMS",
    "IDENTIFIERS",
    "IGNORE",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MOVE",
    "REJECTED",
    "TEMPLATE_HEADERS",
    "UNCHANGED",
    "UPDATE",
    "CellError",
    "Formula",
    "Plan",
    "PlanRow",
    "Planner",
    "RosterFileError",
    "Sheet",
    "UnitMatcher",
    "chunks",
    "column_label",
    "decode_text",
    "file_too_large_message",
    "guess_mapping",
    "header_key",
    "mapping_errors",
    "mapping_to_remember",
    "open_sheet",
    "parse_bool",
    "parse_date",
    "parse_national_id",
    "parse_phone",
    "plan_import",
    "read_sheet",
    "unit_core",
    "units_in_scope",
]
