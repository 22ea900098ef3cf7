#!/usr/bin/env python3
"""Prints the CUDA toolkit's prefix for the nvcc given (the folder holding
its include/ and lib64/), or nothing if it cannot be told.

nvcc is often reached through a wrapper or a link (/usr/local/bin/nvcc
running /usr/local/cuda-13.0/bin/nvcc), so the prefix is not always two
folders above the nvcc found on PATH. nvcc itself knows: its dry run
prints the TOP it was installed under.
"""

import os
import subprocess
import sys


def main():
    nvcc = sys.argv[1]
    try:
        out = subprocess.run([nvcc, '-dryrun', '-x', 'cu', '-E', os.devnull],
                             capture_output=True, text=True, timeout=60)
        for line in (out.stdout + out.stderr).splitlines():
            if line.startswith('#$ TOP='):
                top = os.path.realpath(line[len('#$ TOP='):].strip())
                if os.path.isdir(os.path.join(top, 'include')):
                    print(top)
                    return
    except (OSError, subprocess.SubprocessError):
        pass
    # An nvcc that does not say: the usual layout, PREFIX/bin/nvcc
    top = os.path.dirname(os.path.dirname(os.path.realpath(nvcc)))
    if os.path.isdir(os.path.join(top, 'include')):
        print(top)


if __name__ == '__main__':
    main()
