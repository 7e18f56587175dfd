from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessments.models import Question
from assessments.services import questions_import


class Command(BaseCommand):
    help = (
        "Nhập câu hỏi từ tệp GIFT, Aiken, XLSX hoặc CSV vào một danh mục. "
        "Có câu bị từ chối thì không nhập câu nào và thoát với mã lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=["gift", "aiken", "xlsx", "csv"])
        parser.add_argument("--category", required=True, help='Ví dụ "Chủ đề 1/Lừa đảo"')
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không nhập.")

    def handle(self, *args, **options):
        translation.activate("vi")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None
        report = questions_import(
            data=data,
            fmt=options["format"],
            category_path=options["category"],
            dry_run=options["dry_run"],
        )
        labels = dict(Question.Type.choices)
        counts = report.result.counts()
        verb = "Sẽ nhập" if options["dry_run"] or not report.ok else "Đã nhập"
        for qtype, label in labels.items():
            if counts.get(qtype):
                self.stdout.write(f"{verb} {counts[qtype]} câu hỏi loại {label}")
        for rejection in report.result.rejections:
            self.stderr.write(f"Dòng {rejection.line}: {rejection.reason}")
        if report.result.rejections:
            raise CommandError(
                f"{len(report.result.rejections)} câu hỏi bị từ chối; không nhập câu hỏi nào."
            )
        if report.committed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nhập {report.imported} câu hỏi vào “{report.category.full_path}”."
                )
            )
        else:
            self.stdout.write("Chạy thử: chưa nhập câu hỏi nào.")
