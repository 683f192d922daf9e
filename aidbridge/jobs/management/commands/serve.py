import os
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
        parser.add_argument(
            "--trusted-proxy",
            default=os.environ.get("AIDBRIDGE_TRUSTED_PROXY", ""),
            help="address of the HTTPS proxy in front (e.g. 127.0.0.1): its X-Forwarded-For and "
            "X-Forwarded-Proto are believed, so lockouts count the real client address",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the job worker (run `aidbridge db_worker` apart)",
        )

    def handle(self, *args, host, port, threads, trusted_proxy, no_worker, **options):
        worker = (
            None
            if no_worker
            else subprocess.Popen(
                [sys.executable, "-m", "aidbridge.cli", "db_worker", "--no-startup-delay"]
            )
        )
        self.stdout.write(f"AidBridge is serving on http://{host}:{port}/  (Ctrl+C stops it)")
        try:
            proxy = (
                {
                    "trusted_proxy": trusted_proxy,
                    "trusted_proxy_count": 1,
                    "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto",
                    "clear_untrusted_proxy_headers": True,
                }
                if trusted_proxy
                else {}
            )
            serve(application, host=host, port=port, threads=threads, ident="AidBridge", **proxy)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
