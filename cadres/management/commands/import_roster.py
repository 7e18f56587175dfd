from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadres.errors import RosterImportError
from cadres.models import OrgUnit, UnitCode, User
from cadres.roster import importing as ri
from cadres.roster.importing.services import remembered_mapping
from cadres.roster.importing.writing import roster_plan_apply
from cadres.services import file_sha256


class Command(BaseCommand):
    help = (
        "Nhập danh sách cán bộ từ tệp XLSX/CSV vào một đơn vị. Có dòng bị từ chối thì "
        "không ghi gì và thoát với mã khác 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx hoặc .csv")
        parser.add_argument("--unit", required=True, help="Mã đơn vị nhận cán bộ (mặc định)")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi")
        parser.add_argument("--by", help="Tên đăng nhập người nhập (giới hạn phạm vi đơn vị)")
        parser.add_argument("--encoding", default="", choices=["", *ri.ENCODINGS])
        parser.add_argument("--create-logins", action="store_true", help="Tạo tài khoản")

    def handle(self, *args, file, unit, dry_run, by, encoding, create_logins, **options):
        today = timezone.localdate()
        codes = [c for c in UnitCode.objects.filter(code=unit).select_related("unit")]
        units = [c.unit for c in codes if c.is_valid_on(today)] or [c.unit for c in codes]
        if len(units) != 1:
            raise CommandError(f"Không tìm thấy duy nhất một đơn vị có mã {unit}.")
        target: OrgUnit = units[0]
        user = None
        if by:
            user = User.objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"Không có người dùng {by}.")
        try:
            with open(file, "rb") as handle:
                data = handle.read(ri.MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            sheet = ri.read_sheet(data, file_name=file, encoding=encoding)
        except ri.RosterFileError as exc:
            raise CommandError(str(exc)) from exc
        mapping = ri.guess_mapping(sheet.headers, remembered_mapping(unit=target, user=user))
        problems = ri.mapping_errors(mapping)
        if problems:
            raise CommandError(" ".join(problems))
        scope, everywhere = ri.units_in_scope(user)
        if target.pk not in {u.pk for u in scope}:
            raise CommandError(f"Đơn vị {unit} nằm ngoài phạm vi của {by}.")
        plan = ri.plan_import(
            sheet, mapping=mapping, unit=target, scope=scope, everywhere=everywhere
        )
        counts = plan.counts
        self.stdout.write(
            "Tạo mới {create}, cập nhật {update}, chuyển đơn vị {move}, nghỉ việc {deactivate}, "
            "không đổi {unchanged}, bị từ chối {rejected}.".format(**counts)
        )
        for row in plan.rejected:
            for column, reason in row.errors:
                where = f", cột {column}" if column else ""
                self.stderr.write(f"Dòng {row.number}{where}: {reason}")
        if plan.rejected:
            raise CommandError("Có dòng bị từ chối: không ghi gì.")
        if dry_run:
            self.stdout.write("Chạy thử: không ghi gì.")
            return
        try:
            summary = roster_plan_apply(
                plan=plan,
                unit=target,
                by=user,
                file_name=file,
                sha256=file_sha256(data),
                create_logins=create_logins,
            )
        except RosterImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã nhập. Tài khoản mới: {summary.logins}."))
