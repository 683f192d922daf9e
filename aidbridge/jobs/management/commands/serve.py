import subprocess
import sys

from django.core.management.base import BaseCommand
from waitress import serve

from aidbridge.wsgi import application


class Command(BaseCommand):
    help = "Serve AidBridge with waitress, with a background worker for jobs."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start the job worker (run `aidbridge db_worker` apart)")

    def handle(self, *args, host, port, threads, no_worker, **options):
        worker = None if no_worker else subprocess.Popen(
            [sys.executable, "-m", "aidbridge.cli", "db_worker", "--no-startup-delay"])
        self.stdout.write(f"AidBridge is serving on http://{host}:{port}/  (Ctrl+C stops it)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="AidBridge")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
