"""The benchmarks' launcher: runs one command as a child process and prints, as one line of
JSON, the child's own CPU seconds (user and system, from ``os.wait4``'s rusage: the child
and the processes it waited for, so a command's worker processes count), its wall seconds
and its peak memory (``ru_maxrss``), and its exit code.

Run: python -I -S launch.py [--stdout FILE] [--stderr FILE] -- COMMAND [ARGS...]

Why a launcher of its own: on Linux a child's ``ru_maxrss`` starts from the size of the
process that forked it (the forked copy's high-water mark survives the exec), so a child
of a benchmark that has just built a 10,000-row tracker would report the benchmark's size.
This process is tiny (no site, nothing imported before the fork but os and time), so the
peak it reports is the child's own; the harness (`harness.launch`) always goes through it.
The command's output goes to the files given (else nowhere), never to this JSON line.
"""

import os
import sys
import time


def _redirect(fd: int, path: str) -> None:
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(target, fd)
    os.close(target)


def main(argv: list[str]) -> int:
    files = {"--stdout": os.devnull, "--stderr": os.devnull}
    while argv and argv[0] != "--":
        option, value, *argv = argv
        files[option] = value
    command = argv[1:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: its output where asked, then the command
        try:
            _redirect(1, files["--stdout"])
            _redirect(2, files["--stderr"])
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    import json

    print(json.dumps({"user": usage.ru_utime, "sys": usage.ru_stime, "cpu": usage.ru_utime + usage.ru_stime,
                      "wall": wall, "peak_mb": usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 1024),
                      "rc": os.waitstatus_to_exitcode(status)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
