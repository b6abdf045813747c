#!/usr/bin/env python3
"""Load run (issue 7): N concurrent clients for D seconds against a real `recouvra serve` on
SQLite, mixing reads and writes; every acknowledged write is then counted back from the
database, and every answer's status is counted.

Python standard library only (threads + urllib + sqlite3). See README.md beside this file.

    python3 bench/load/load.py --binary target/release/recouvra --clients 64 --duration 60

Exit status: 0 when there was no 5xx, no transport error and no acknowledged write missing
from the database; 1 otherwise.
"""

import argparse
import collections
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

DEMO_PASSWORD = "demo-recouvra-2026"
CREDITOR = "compta@lemaire-fournitures.fr"
AGENT = "agent@demo.recouvra.fr"
# Cases opened and accepted before the run: the targets of logCall and recordPayment.
TARGETS = 40

CASE_INPUT = {
    "debtor": {
        "kind": "COMPANY", "name": "Boulangerie Martin", "legalForm": "SARL", "siren": "362275869",
        "address": {"line1": "12 rue de la République", "postalCode": "69002", "city": "Lyon"},
        "email": "compta@boulangerie-martin.fr",
    },
    "invoices": [
        {"number": "F-2026-001", "issueDate": "2026-01-10", "dueDate": "2026-02-09", "amount": "1200.00"},
        {"number": "F-2026-002", "issueDate": "2026-02-10", "dueDate": "2026-03-12", "amount": "850.50"},
    ],
    "note": "Charge de test.",
}

OPEN_CASE = "mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }"
ACCEPT = "mutation($id: ID!) { acceptCase(id: $id) { state } }"
LOG_CALL = ("mutation($id: ID!) { logCall(caseId: $id, outcome: NO_ANSWER, "
            "notes: \"Charge : pas de réponse\") { call { id } } }")
PAYMENT = ("mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }")
CASES = ("query { cases(first: 50) { totalCount edges { node { id reference state "
         "debtor { name } totals { outstanding } } } } }")
CASE_PAGE = ("query($id: ID!) { case(id: $id) { id reference state version debtor { name } "
             "totals { principalClaimed alreadyPaid outstanding } payments { id amount } "
             "timeline { kind at } } }")
STATEMENT = ("query($id: ID!) { statement(caseId: $id) { asOf regime "
             "totals { totalDue } } }")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One HTTP client: POST /graphql, returning (status, parsed body or None)."""

    def __init__(self, base, token=None, timeout=30):
        self.url = base + "/graphql"
        self.token = token
        self.timeout = timeout

    def gql(self, query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        req = urllib.request.Request(self.url, data=body, method="POST")
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, None


def must(status_body, what):
    status, body = status_body
    if status != 200 or body is None or body.get("errors"):
        sys.exit(f"setup failed ({what}): {status} {body}")
    return body["data"]


def login(base, email):
    d = must(Client(base).gql(
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
        {"e": email, "p": DEMO_PASSWORD}), "login " + email)
    return d["login"]["accessToken"]


class Tally:
    """Shared counters (one lock: the load is I/O bound, the lock is not the limit)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.status = collections.Counter()
        self.codes = collections.Counter()   # GraphQL error codes
        self.ops = collections.Counter()
        self.transport_errors = 0
        self.acked = collections.defaultdict(list)  # table -> ids acknowledged
        self.samples = []  # a few 5xx or transport-error bodies, for the report

    def record(self, op, status, body, table=None, path=None):
        with self.lock:
            self.requests += 1
            self.ops[op] += 1
            self.status[status] += 1
            if body and body.get("errors"):
                for e in body["errors"]:
                    self.codes[(e.get("extensions") or {}).get("code", "?")] += 1
            elif status == 200 and table and body:
                node = body.get("data")
                for key in path:
                    node = node[key]
                self.acked[table].append(int(node))
            if status >= 500 and len(self.samples) < 5:
                self.samples.append((op, status, body))


def worker(base, tokens, targets, stop_at, tally, seed):
    rnd = random.Random(seed)
    creditor = Client(base, tokens["creditor"])
    agent = Client(base, tokens["agent"])
    # Reads and writes mixed roughly 70 / 30.
    ops = (["cases"] * 25 + ["case"] * 25 + ["statement"] * 20
           + ["open"] * 10 + ["call"] * 10 + ["payment"] * 10)
    while time.monotonic() < stop_at:
        op = rnd.choice(ops)
        case_id = rnd.choice(targets)
        try:
            if op == "cases":
                tally.record(op, *agent.gql(CASES))
            elif op == "case":
                tally.record(op, *creditor.gql(CASE_PAGE, {"id": case_id}))
            elif op == "statement":
                tally.record(op, *agent.gql(STATEMENT, {"id": case_id}))
            elif op == "open":
                s, b = creditor.gql(OPEN_CASE, {"i": CASE_INPUT})
                tally.record(op, s, b, "cases", ["openCase", "id"])
            elif op == "call":
                s, b = agent.gql(LOG_CALL, {"id": case_id})
                tally.record(op, s, b, "calls", ["logCall", "call", "id"])
            else:
                s, b = agent.gql(PAYMENT, {"i": {
                    "caseId": case_id, "receivedOn": "2026-03-20", "amount": "1.00",
                    "method": "TRANSFER", "reference": f"LOAD-{seed}"}})
                tally.record(op, s, b, "payments", ["recordPayment", "payment", "id"])
        except (urllib.error.URLError, OSError, ValueError) as e:
            with tally.lock:
                tally.requests += 1
                tally.transport_errors += 1
                if len(tally.samples) < 5:
                    tally.samples.append((op, "transport", repr(e)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default="target/release/recouvra")
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--pool-size", type=int, default=None,
                    help="RECOUVRA_DB_POOL_SIZE (the server's default when omitted)")
    ap.add_argument("--keep", action="store_true", help="keep the data dir")
    args = ap.parse_args()

    data = tempfile.mkdtemp(prefix="recouvra-load-")
    db_path = os.path.join(data, "recouvra.db")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": "sqlite://" + db_path,
        "RECOUVRA_DATA_DIR": data,
        "RECOUVRA_JWT_SECRET": "load-test-secret-load-test-secret-0123",
        "RECOUVRA_BIND": f"127.0.0.1:{port}",
        "RECOUVRA_TEST_TODAY": "2026-03-20",
        "RECOUVRA_LOG": "warn",
    }
    if args.pool_size:
        env["RECOUVRA_DB_POOL_SIZE"] = str(args.pool_size)
    log = open(os.path.join(data, "server.log"), "w")
    server = subprocess.Popen([args.binary, "serve", "--demo"], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        started = time.monotonic()
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() - started > 60:
                    sys.exit(f"the server did not start; see {data}/server.log")
                time.sleep(0.1)
        tokens = {"creditor": login(base, CREDITOR), "agent": login(base, AGENT)}
        creditor, agent = Client(base, tokens["creditor"]), Client(base, tokens["agent"])
        targets = []
        for _ in range(TARGETS):
            cid = must(creditor.gql(OPEN_CASE, {"i": CASE_INPUT}), "openCase")["openCase"]["id"]
            must(agent.gql(ACCEPT, {"id": cid}), "acceptCase")
            targets.append(cid)
        with sqlite3.connect(db_path) as db:
            before = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                      for t in ("cases", "calls", "payments")}

        tally = Tally()
        stop_at = time.monotonic() + args.duration
        threads = [threading.Thread(target=worker,
                                    args=(base, tokens, targets, stop_at, tally, i))
                   for i in range(args.clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
    finally:
        # A graceful stop: what was acknowledged must be in the file afterwards.
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    # Count back from the database: every acknowledged id is there.
    found, lost, extra = {}, {}, {}
    with sqlite3.connect(db_path) as db:
        for table in ("cases", "calls", "payments"):
            ids = tally.acked.get(table, [])
            present = set()
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                present.update(r[0] for r in db.execute(
                    f"SELECT id FROM {table} WHERE id IN ({marks})", chunk))
            found[table] = len(present)
            lost[table] = len(set(ids) - present)
            total = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            # Rows written but never acknowledged (a client timed out): not a loss, but shown.
            extra[table] = total - before[table] - len(present)

    fivexx = sum(n for s, n in tally.status.items() if isinstance(s, int) and s >= 500)
    acked = {t: len(v) for t, v in tally.acked.items()}
    report = {
        "clients": args.clients,
        "duration_s": round(elapsed, 1),
        "requests": tally.requests,
        "requests_per_s": round(tally.requests / elapsed, 1),
        "by_operation": dict(tally.ops),
        "http_status": {str(k): v for k, v in sorted(tally.status.items())},
        "graphql_error_codes": dict(tally.codes),
        "http_5xx": fivexx,
        "transport_errors": tally.transport_errors,
        "writes_acknowledged": acked,
        "writes_found": found,
        "writes_lost": lost,
        "rows_not_acknowledged": extra,
        "samples_of_failures": tally.samples,
        "data_dir": data if args.keep else None,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    ok = fivexx == 0 and tally.transport_errors == 0 and sum(lost.values()) == 0
    print(f"{'PASS' if ok else 'FAIL'}: {tally.requests} requests, {fivexx} 5xx, "
          f"{tally.transport_errors} transport errors, writes acknowledged "
          f"{sum(acked.values())} / found {sum(found.values())} / lost {sum(lost.values())}")
    if not args.keep:
        import shutil
        shutil.rmtree(data, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
