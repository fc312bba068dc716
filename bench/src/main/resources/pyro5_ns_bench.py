"""Real Pyro5's name server, measured as bin/bench measures Pyromesh's: prints one JSON line.

Usage: pyro5_ns_bench.py SECONDS ROUNDS   (PYTHONPATH must reach Pyro5; python3-serpent installed)

Cold start: `python3 -m Pyro5.nameserver` spawned to its first answered ping, the median of ROUNDS (at
least 3) starts. Operations: ROUNDS rounds, each a warm-up of a third of SECONDS and then SECONDS of
sequential calls through one proxy, registers and lookups alternating; the best round of each counts.
"""
import json
import socket
import statistics
import subprocess
import sys
import time

import Pyro5.api
import Pyro5.errors

seconds = float(sys.argv[1])
rounds = int(sys.argv[2])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_name_server():
    """A name server on a free port, and how long it took to answer its first ping."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "Pyro5.nameserver", "-n", "127.0.0.1", "-p", str(port), "-x"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            with Pyro5.api.Proxy("PYRO:Pyro.NameServer@127.0.0.1:%d" % port) as probe:
                probe.ping()
            return server, port, time.perf_counter() - started
        except Pyro5.errors.CommunicationError:
            time.sleep(0.002)


def stop(server):
    server.terminate()
    server.wait()


cold_starts = []
for _ in range(max(3, rounds)):
    server, _, took = start_name_server()
    stop(server)
    cold_starts.append(took)

server, port, _ = start_name_server()
try:
    ns = Pyro5.api.Proxy("PYRO:Pyro.NameServer@127.0.0.1:%d" % port)
    serial = [0]
    looked_up = [0]

    def register():
        serial[0] += 1
        ns.register("bench.%d" % serial[0], "PYRO:obj@127.0.0.1:1")

    def lookup():
        looked_up[0] += 1
        ns.lookup("bench.%d" % (1 + looked_up[0] % 1000))

    def timed(operation, duration):
        count = 0
        begin = time.perf_counter()
        end = begin + duration
        while time.perf_counter() < end:
            operation()
            count += 1
        return count / (time.perf_counter() - begin)

    def rate(operation):
        timed(operation, seconds / 3)
        return timed(operation, seconds)

    for _ in range(1000):
        register()
    registers = lookups = 0
    for _ in range(rounds):
        registers = max(registers, rate(register))
        lookups = max(lookups, rate(lookup))
    print(json.dumps({"register": registers, "lookup": lookups, "cold_start": statistics.median(cold_starts)}))
finally:
    stop(server)
