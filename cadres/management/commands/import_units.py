from django.core.management.base import BaseCommand, CommandError

from cadres.units.tables import (
    DEFAULT_SUCCESSION_FILE,
    DEFAULT_UNITS_FILE,
    UnitImportError,
    units_import,
)


class Command(BaseCommand):
    help = "Nhập danh mục đơn vị cấp xã và bảng chuyển đổi năm 2025 (mặc định: bản trong kho mã)."

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            help="UNITS.csv [SUCCESSION.csv]; không ghi thì dùng bản đi kèm dự án.",
        )

    def handle(self, *args, files, **options):
        units_file, succession_file = DEFAULT_UNITS_FILE, DEFAULT_SUCCESSION_FILE
        if files:
            # Tell the two tables apart by their header, whatever order they come in.
            units_file = succession_file = None
            for name in files:
                try:
                    with open(name, encoding="utf-8-sig", errors="replace") as handle:
                        header = handle.readline()
                except OSError as exc:
                    raise CommandError(str(exc)) from exc
                if "new_code" in header:
                    succession_file = name
                else:
                    units_file = name
            if units_file is None:
                units_file = DEFAULT_UNITS_FILE
        try:
            result = units_import(units_file=units_file, succession_file=succession_file)
        except (UnitImportError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đơn vị mới: {result.created}; mã mới: {result.codes_created}; "
            f"tên gọi khác: {result.aliases_created}; "
            f"quan hệ kế thừa: {result.successions_created}."
        )
