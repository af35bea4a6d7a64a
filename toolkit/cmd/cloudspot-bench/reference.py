# The reference Python client's side of cloudspot-bench -reference: it
# lists one company's artikels or klanten with the client's own
# CloudspotERP_CompanyAPI, unchanged, and prints one JSON line in the shape
# of the bench's client processes (clientResult): the items of the last
# list, each list's time in nanoseconds and the process's peak RSS in bytes.
#
#   python3 reference.py check
#   python3 reference.py artikels|klanten BASEURL TOKEN RUNS
#
# The client comes from PYTHONPATH (a checkout) or from the installed
# packages; check says which file was imported and which release it is.
import json
import os
import platform
import re
import sys
import time


def release(package_dir):
    """The release of the client imported from package_dir: its checkout's
    setup.py, or else the installed distribution's metadata."""
    setup = os.path.join(os.path.dirname(package_dir), "setup.py")
    try:
        with open(setup, encoding="utf-8") as f:
            m = re.search(r"""version\s*=\s*['"]([^'"]+)['"]""", f.read())
        if m:
            return m.group(1)
    except OSError:
        pass
    try:
        from importlib.metadata import version
        return version("cloudspot-erp-api")
    except Exception:
        return "unknown"


def main(argv):
    if len(argv) < 2 or argv[1] not in ("check", "artikels", "klanten") or (argv[1] != "check" and len(argv) != 5):
        print("usage: reference.py check | artikels|klanten BASEURL TOKEN RUNS", file=sys.stderr)
        return 2
    import cloudspot.api
    import cloudspot.config

    if argv[1] == "check":
        print(json.dumps({
            "module": os.path.abspath(cloudspot.api.__file__),
            "release": release(os.path.dirname(os.path.abspath(cloudspot.api.__file__))),
            "python": platform.python_version(),
        }))
        return 0

    mode, base, token, runs = argv[1], argv[2], argv[3], int(argv[4])
    # The client reads TEST_URL when it is made with test_mode=True.
    cloudspot.config.TEST_URL = base
    api = cloudspot.api.CloudspotERP_CompanyAPI(token, test_mode=True)
    endpoint = api.artikels if mode == "artikels" else api.klanten
    durations, items = [], 0
    for _ in range(runs):
        start = time.perf_counter_ns()
        got = endpoint.list()
        durations.append(time.perf_counter_ns() - start)
        if got.hasError:
            print("%s.list() was refused: %s" % (mode, got.error.message), file=sys.stderr)
            return 1
        items = len(got.items())
        # One list held at a time, as the SDK's runs hold none between them.
        del got
    print(json.dumps({"items": items, "durations": durations, "peak_rss": peak_rss()}))
    return 0


def peak_rss():
    """The process's peak resident memory in bytes: VmHWM, as the bench
    reads it for every process. Not getrusage's ru_maxrss: Linux keeps in it
    the peak of the memory this process had before its exec, and a process
    that Go starts shares the Go program's memory until then, so ru_maxrss
    shows the bench's own peak whenever that is the larger."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
