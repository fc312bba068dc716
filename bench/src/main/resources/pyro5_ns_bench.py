"""Real Pyro5's name server, measured as bin/bench measures Pyromesh's: prints one JSON line.

Usage: pyro5_ns_bench.py SECONDS   (PYTHONPATH must reach Pyro5; python3-serpent installed)
"""
import json
import socket
import subprocess
import sys
import time

import Pyro5.api
import Pyro5.errors

seconds = float(sys.argv[1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
started = time.perf_counter()
server = subprocess.Popen([sys.executable, "-m", "Pyro5.nameserver", "-n", "127.0.0.1", "-p", str(port), "-x"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while True:
        try:
            with Pyro5.api.Proxy("PYRO:Pyro.NameServer@127.0.0.1:%d" % port) as probe:
                probe.ping()
            break
        except Pyro5.errors.CommunicationError:
            time.sleep(0.002)
    cold_start = time.perf_counter() - started

    ns = Pyro5.api.Proxy("PYRO:Pyro.NameServer@127.0.0.1:%d" % port)

    def rate(operation):
        count = 0
        end = time.perf_counter() + seconds
        begin = time.perf_counter()
        while time.perf_counter() < end:
            operation(count)
            count += 1
        return count / (time.perf_counter() - begin)

    registers = rate(lambda i: ns.register("bench.%d" % i, "PYRO:obj@127.0.0.1:1"))
    lookups = rate(lambda i: ns.lookup("bench.%d" % (i % 1000)))
    print(json.dumps({"register": registers, "lookup": lookups, "cold_start": cold_start}))
finally:
    server.terminate()
    server.wait()
