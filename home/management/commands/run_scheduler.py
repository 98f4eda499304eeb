"""``manage.py run_scheduler``: enqueue the periodic tasks of ``SCHEDULED_JOBS``.

See ``cms/scheduler.py``.
"""

import signal

from django.core.management.base import BaseCommand, CommandError

from cms.scheduler import Job, Scheduler


class Command(BaseCommand):
    help = "Zet de terugkerende taken (publiceren, nieuwsbrieven, opruimen, zoekindex) klaar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Eén keer kijken wat er moet gebeuren (voor cron)."
        )
        parser.add_argument(
            "--job", action="append", default=[], help="Alleen deze taak nu (met --once)."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconden tussen twee rondes."
        )

    def handle(self, *args, once=False, job=(), interval=1.0, **options):
        scheduler = Scheduler()
        if once:
            # Cron: every minute for the interval jobs; a daily job by name at its own time.
            unknown = set(job) - {j.name for j in scheduler.jobs}
            if unknown:
                raise CommandError(f"Onbekende taak: {', '.join(sorted(unknown))}")
            chosen = [j for j in scheduler.jobs if (j.name in job if job else j.every)]
            scheduler.jobs = [Job(**{**j.__dict__, "every": 0, "at": None}) for j in chosen]
            for name in scheduler.tick():
                self.stdout.write(f"In de wachtrij: {name}")
            return
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Planner gestart met {len(scheduler.jobs)} taken.")
        scheduler.run(interval=interval, should_stop=lambda: bool(stopping))
