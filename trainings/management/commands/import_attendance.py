import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from trainings import services
from trainings.attendee_report import ReportFileError, parse
from trainings.models import TrainingSession


class Command(BaseCommand):
    help = (
        "Nhập điểm danh từ báo cáo người tham gia của Zoom, Google Meet hoặc Microsoft Teams "
        "(CSV). --parse-only: in mỗi người tham gia một dòng JSON, không cần buổi tập huấn."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--session", type=int, help="Mã số buổi tập huấn")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì")
        parser.add_argument("--parse-only", action="store_true")
        parser.add_argument(
            "--by", default="", help="Tên đăng nhập người nhập (mặc định: quản trị)"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        try:
            report = parse(path.read_bytes())
        except ReportFileError as exc:
            raise CommandError(str(exc)) from exc
        if options["parse_only"]:
            for participant in report.participants:
                self.stdout.write(json.dumps(participant.as_json(), ensure_ascii=False))
            self.stdout.write(
                json.dumps({"format": report.format, "participants": len(report.participants)})
            )
            if report.errors:
                for error in report.errors:
                    self.stderr.write(error)
                raise CommandError(f"{len(report.errors)} dòng không đọc được")
            return
        if options["session"] is None:
            raise CommandError("Cần --session ID (hoặc --parse-only)")
        session = TrainingSession.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(f"Không có buổi tập huấn {options['session']}")
        for error in report.errors:
            self.stderr.write(error)
        plan = services.attendance_import_plan(
            session=session, participants=[p.as_json() for p in report.participants]
        )
        for row in plan.rows:
            name = row.participant.get("name")
            minutes = row.participant.get("minutes")
            if row.state == services.MATCHED:
                cadre = plan.cadres[row.cadre_id]
                self.stdout.write(
                    f"khớp ({row.how}): {name} -> {cadre.full_name} [{cadre.pk}], {minutes} phút"
                )
            elif row.state == services.AMBIGUOUS:
                ids = ", ".join(str(pk) for pk in row.candidates)
                self.stdout.write(f"nhiều người khớp: {name} -> {ids}")
            else:
                self.stdout.write(
                    f"không khớp: {name} {row.participant.get('email') or ''}".rstrip()
                )
        rejected = (
            plan.count(services.UNMATCHED) + plan.count(services.AMBIGUOUS) + len(report.errors)
        )
        self.stdout.write(
            f"{plan.count(services.MATCHED)} khớp, {plan.count(services.UNMATCHED)} không khớp, "
            f"{plan.count(services.AMBIGUOUS)} nhiều người khớp, {len(report.errors)} dòng lỗi"
        )
        if rejected:
            raise CommandError("Có dòng bị từ chối: chưa ghi gì.")
        if options["dry_run"]:
            self.stdout.write("Chạy thử: chưa ghi gì.")
            return
        User = get_user_model()
        by = (
            User.objects.filter(username=options["by"]).first()
            if options["by"]
            else User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if by is None:
            raise CommandError("Không tìm thấy người nhập (--by)")
        try:
            counts = services.attendance_import_commit(session=session, plan=plan, by=by)
        except (services.ImportRejected, PermissionError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập: {counts['present']} có mặt, {counts['late']} đến muộn, "
                f"{counts['absent']} vắng."
            )
        )
