"""The console script: a reader that stops early (``aidbridge ... | head``) is not an error."""

import subprocess
import sys

PRINT_A_LOT = (
    "from aidbridge.cli import main; "
    "main(['shell', '--no-imports', '-c', 'print(\"row\\\\n\" * 10**6)'])"
)


def test_a_closed_pipe_ends_quietly():
    run = subprocess.Popen(
        [sys.executable, "-c", PRINT_A_LOT], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert run.stdout.readline() == b"row\n"
    run.stdout.close()
    stderr = run.stderr.read().decode()
    assert run.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
