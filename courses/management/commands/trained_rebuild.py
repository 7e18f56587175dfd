"""Rebuild the maintained "trained" fact from the completions, then prove it
equals a recomputation (exit 1 when it does not).

    python manage.py trained_rebuild            # rebuild, then check
    python manage.py trained_rebuild --check    # check only, change nothing
"""

import time

from django.core.management.base import BaseCommand, CommandError

from courses.trained import trained_check, trained_rebuild


class Command(BaseCommand):
    help = "Rebuild the trained fact (TrainedSpell) and check it against a recomputation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only compare; exit 1 on any difference"
        )

    def handle(self, *args, check=False, **options):
        if not check:
            started = time.monotonic()
            spells = trained_rebuild()
            self.stdout.write(f"rebuilt {spells} spells in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        checked, differences = trained_check()
        for difference in differences:
            self.stderr.write(difference)
        if differences:
            raise CommandError(f"the trained fact differs from the recomputation ({checked} read)")
        self.stdout.write(f"checked {checked} spells in {time.monotonic() - started:.1f} s: equal")
