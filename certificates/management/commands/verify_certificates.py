from django.core.management.base import BaseCommand, CommandError

from certificates.integrity import certificates_integrity


class Command(BaseCommand):
    help = (
        "Kiểm tra giấy chứng nhận sau khi khôi phục: mỗi tệp PDF còn trong kho và khớp "
        "SHA-256, mỗi ghi nhận hoàn thành còn hiệu lực có đúng một giấy hợp lệ, số liên tục."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-pending",
            action="store_true",
            help="Giấy đang chờ cấp không tính là lỗi (hàng đợi chưa xử lý xong).",
        )

    def handle(self, *args, allow_pending=False, **options):
        report = certificates_integrity()
        for line in report.problems:
            self.stdout.write(f"LỖI: {line}")
        for line in report.pending:
            self.stdout.write(f"CHỜ: {line}")
        summary = (
            f"Đã kiểm tra {report.checked_files} tệp PDF, "
            f"{report.checked_completions} ghi nhận hoàn thành: "
            f"{len(report.problems)} lỗi, {len(report.pending)} đang chờ cấp."
        )
        if not report.ok(allow_pending=allow_pending):
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
