#!/usr/bin/env python3
"""expect_status.py N CMD...: runs CMD (its standard streams are ours) and
succeeds only if it exits with status N; `not` cannot tell 1 (findings)
from 2 (an error)."""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.call(sys.argv[2:])
if got != want:
    sys.stderr.write("expect_status: %s exited with %d, expected %d\n"
                     % (sys.argv[2], got, want))
    sys.exit(1)
