from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from cadres.demo import DEMO_LOGINS, DEMO_PASSWORD


def demo_loaders() -> list:
    """The apps that have demo content name their loader in their AppConfig
    (``demo_loader``). INSTALLED_APPS order is dependency order, so earlier
    apps load first; nothing here names a later app."""
    return [
        import_string(config.demo_loader)
        for config in apps.get_app_configs()
        if getattr(config, "demo_loader", None)
    ]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (chạy lại không thay đổi gì) và in các tài khoản mẫu."

    def handle(self, *args, **options):
        for load in demo_loaders():
            load()
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng. Tài khoản mẫu:"))
        for username, label in DEMO_LOGINS:
            self.stdout.write(f"  {username:<16} / {DEMO_PASSWORD:<14} {label}")
        self.stdout.write("Mở http://127.0.0.1:8000/ (quản trị: http://127.0.0.1:8000/quan-tri/)")
