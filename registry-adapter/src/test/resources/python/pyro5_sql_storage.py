"""Real Pyro5's name server on its own SqlStorage, for SqlStoreTest.

usage: pyro5_sql_storage.py PYRO5_PATH register FILE   registers three names, with metadata, in FILE
       pyro5_sql_storage.py PYRO5_PATH list FILE       prints FILE's registrations: name, uri, tags (tab-separated)
"""
import sys

sys.path.insert(0, sys.argv[1])
from Pyro5.nameserver import NameServer, SqlStorage  # noqa: E402

command, dbfile = sys.argv[2], sys.argv[3]
ns = NameServer(SqlStorage(dbfile))
if command == "register":
    ns.register("Pyro.NameServer", "PYRO:Pyro.NameServer@localhost:9090",
                metadata={"class:Pyro5.nameserver.NameServer"})
    ns.register("example.warehouse", "PYRO:obj_8d2c@localhost:51234",
                metadata={"class:example.Warehouse", "region:\u00fcber"})
    ns.register("example.\U0001F600", "PYRO:obj_f00d@localhost:51234")
elif command == "list":
    sys.stdout.reconfigure(encoding="utf-8")
    for name, (uri, metadata) in sorted(ns.list(return_metadata=True).items()):
        print(name, uri, *sorted(metadata), sep="\t")
else:
    sys.exit("unknown command: " + command)
