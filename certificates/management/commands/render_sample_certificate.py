from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

from certificates.models import CertificateTemplate
from certificates.rendering import render_sample


class Command(BaseCommand):
    help = "Vẽ một giấy chứng nhận mẫu ra tệp PDF (không cấp giấy nào)."

    def add_arguments(self, parser):
        parser.add_argument("--name", default="Nguyễn Thị Hồng Nhung", help="Họ và tên in trên mẫu")
        parser.add_argument("--out", required=True, help="Tệp PDF sẽ ghi ra")
        parser.add_argument("--template", type=int, help="Mã (id) mẫu; mặc định là mẫu mặc định")

    def handle(self, *args, **options):
        templates = CertificateTemplate.objects.all()
        template = (
            templates.filter(pk=options["template"]).first()
            if options["template"]
            else templates.filter(is_default=True).first()
        )
        if template is None:
            raise CommandError("Không tìm thấy mẫu giấy chứng nhận.")
        pdf = render_sample(template=template, name=options["name"])
        Path(options["out"]).write_bytes(pdf)
        size = number_format(len(pdf), force_grouping=True)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {options['out']} ({size} byte)."))
