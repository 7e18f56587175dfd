import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from cadres.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (chạy lại không thay đổi gì) và in các tài khoản mẫu."

    def handle(self, *args, **options):
        # Each app that has demo content owns a ``demo.load()``; run them in
        # dependency order, which is INSTALLED_APPS order for our apps.
        for app in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{app.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.demo":
                    raise
                continue
            module.load()
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng. Tài khoản mẫu:"))
        for username, label in DEMO_LOGINS:
            self.stdout.write(f"  {username:<16} / {DEMO_PASSWORD:<14} {label}")
        self.stdout.write("Mở http://127.0.0.1:8000/ (quản trị: http://127.0.0.1:8000/quan-tri/)")
