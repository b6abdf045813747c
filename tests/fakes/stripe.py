#!/usr/bin/env python3
"""A local, stateful fake of the part of Stripe's API Recouvra uses: Checkout Sessions, their
webhooks and the payouts to the bank account. Started by `.ci/run` for the whole suite (the
tests start their own when it is not), and by the browser story (python3, standard library
only).

Why not localstripe (PyPI): it has no Checkout Sessions, and its card confirmation runs in
Stripe.js on the merchant's page, while the debtor's page works without JavaScript and never
sees a card. This fake serves what real Stripe Checkout does:

- POST /v1/checkout/sessions (Bearer secret key, form-encoded, Idempotency-Key honoured):
  a session `cs_test_…` with its hosted page `url`;
- GET /v1/checkout/sessions/{id};
- GET /pay/{id}: the hosted page, a card form (no JavaScript);
- POST /pay/{id}: card 4242 4242 4242 4242 pays (the session completes, a payment intent
  `pi_test_…` is made, `checkout.session.completed` is signed and POSTed to the webhook
  before the payer is sent to `success_url`); 4000 0000 0000 0002 is declined (the page
  again);
- every paid session is a charge `ch_test_…` with its balance transaction (Stripe's fee for
  European cards: 1.5 % + 0.25 €), available for the next payout;
- POST /_payouts (send=0 to keep its events unsent): a payout `po_test_…` of every available
  transaction, less the fees, `paid` at once; `payout.paid` and
  `payout.reconciliation_completed` are signed and sent;
- GET /v1/payouts/{id}, GET /v1/balance_transactions?payout=…&limit=…&starting_after=…
  (`expand[]=data.source` gives each charge with its `payment_intent`);
- GET /_events: every event of the account, with its exact body and signature (for replay
  tests);
- POST /_config/webhook (url=…, secret=…): where the account's events go, signed with which
  secret (as localstripe's /_config/webhooks), for a server started after the fake.

Accounts: every secret key `sk_test_…` is an account of its own (its sessions, events,
payouts and webhook), so that one fake serves tests running at once; the control routes
(`/_…`) name theirs with the same `Authorization: Bearer` header, else the one given on the
command line.

Usage: stripe.py --port 0 [--secret-key sk_test_x --webhook-secret S] [--webhook-url URL]
Prints `PORT <n>` on its first line once it listens.
"""

import argparse
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
SESSIONS = {}
ACCOUNTS = {}
ARGS = None


class Account:
    def __init__(self, key, webhook_url="", webhook_secret=""):
        self.key = key
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.idempotent = {}
        self.events = []
        self.txns = []  # balance transactions, oldest first
        self.charges = {}
        self.payouts = {}


def account(key):
    """The account of a secret key (made on its first use), or None for a key that is none."""
    if not key or not key.startswith("sk_test_"):
        return None
    with LOCK:
        if key not in ACCOUNTS:
            ACCOUNTS[key] = Account(key)
        return ACCOUNTS[key]


def rid(prefix):
    return prefix + secrets.token_hex(12)


def sign(acct, payload, t):
    mac = hmac.new(acct.webhook_secret.encode(), b"%d.%s" % (t, payload), hashlib.sha256)
    return "t=%d,v1=%s" % (t, mac.hexdigest())


def deliver(acct, kind, obj, send=True):
    event = {
        "id": rid("evt_test_"),
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }
    body = json.dumps(event).encode()
    signature = sign(acct, body, event["created"])
    status = None
    if send and acct.webhook_url:
        try:
            req = urllib.request.Request(
                acct.webhook_url,
                data=body,
                headers={"Content-Type": "application/json", "Stripe-Signature": signature},
            )
            with urllib.request.urlopen(req, timeout=30) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError:
            status = None
    with LOCK:
        acct.events.append({"id": event["id"], "type": kind, "body": body.decode(),
                            "signature": signature, "status": status})


def fee_of(amount):
    """Stripe's fee for a European card: 1.5 % (rounded half up) + 0.25 €."""
    return (amount * 15 + 500) // 1000 + 25


def error(handler, status, message, kind="invalid_request_error"):
    handler.reply(status, {"error": {"type": kind, "message": message}})


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, obj, content_type="application/json"):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location):
        self.send_response(303)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def form(self):
        n = int(self.headers.get("Content-Length") or 0)
        return dict(urllib.parse.parse_qsl(self.rfile.read(n).decode(), keep_blank_values=True))

    def key(self):
        auth = self.headers.get("Authorization") or ""
        return auth[7:] if auth.startswith("Bearer ") else None

    def authorised(self):
        """The account of the request's secret key (an API error when it has none)."""
        acct = account(self.key())
        if not acct:
            error(self, 401, "Invalid API Key provided", "authentication_error")
        return acct

    def control(self):
        """The account a control route is about: the request's key, else the command line's."""
        return account(self.key() or ARGS.secret_key)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        path, query = url.path, urllib.parse.parse_qs(url.query)
        if path == "/_events":
            acct = self.control()
            with LOCK:
                return self.reply(200, acct.events if acct else [])
        if path.startswith("/v1/"):
            acct = self.authorised()
            if not acct:
                return
        if path.startswith("/v1/checkout/sessions/"):
            s = SESSIONS.get(path.rsplit("/", 1)[1])
            return self.reply(200, s[1]) if s and s[0] is acct else error(self, 404, "No such checkout.session")
        if path.startswith("/v1/payouts/"):
            po = acct.payouts.get(path.rsplit("/", 1)[1])
            return self.reply(200, po) if po else error(self, 404, "No such payout")
        if path == "/v1/balance_transactions":
            return self.balance_transactions(acct, query)
        if path.startswith("/pay/"):
            s = SESSIONS.get(path.rsplit("/", 1)[1])
            if not s:
                return error(self, 404, "No such checkout.session")
            return self.page(s[1], None)
        error(self, 404, "Unrecognized request URL")

    def balance_transactions(self, acct, query):
        payout = (query.get("payout") or [None])[0]
        limit = max(1, min(100, int((query.get("limit") or ["10"])[0])))
        after = (query.get("starting_after") or [None])[0]
        expand = "data.source" in query.get("expand[]", [])
        with LOCK:
            txns = [t for t in acct.txns if payout is None or t["payout"] == payout]
        if after:
            ids = [t["id"] for t in txns]
            txns = txns[ids.index(after) + 1:] if after in ids else []
        page = []
        for t in txns[:limit]:
            t = dict(t)
            if expand and t["source"] in acct.charges:
                t["source"] = acct.charges[t["source"]]
            page.append(t)
        self.reply(200, {"object": "list", "data": page, "has_more": len(txns) > limit,
                         "url": "/v1/balance_transactions"})

    def page(self, s, message):
        amount = "%d,%02d €" % divmod(s["amount_total"], 100)
        name = html.escape(s["line_items"]["name"])
        alert = '<p role="alert" id="declined">%s</p>' % html.escape(message) if message else ""
        done = s["status"] != "open"
        body = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paiement sécurisé (fake Stripe)</title></head><body><main>
<h1>Paiement sécurisé</h1><p>{name}</p><p id="amount">{amount}</p>{alert}
{"<p>Session terminée.</p>" if done else f'''<form method="post" action="/pay/{s["id"]}">
<label for="card">Numéro de carte</label><input id="card" name="card" autocomplete="off" required>
<label for="exp">Expiration (MM/AA)</label><input id="exp" name="exp" required>
<label for="cvc">CVC</label><input id="cvc" name="cvc" required>
<button type="submit">Payer {amount}</button></form>
<p><a href="{html.escape(s["cancel_url"])}">Annuler</a></p>'''}
</main></body></html>"""
        self.reply(200, body.encode(), "text/html; charset=utf-8")

    def do_POST(self):
        path = urllib.parse.urlparse(self.path).path
        if path == "/_config/webhook":
            acct = self.control()
            f = self.form()
            acct.webhook_url = f.get("url", "")
            if f.get("secret"):
                acct.webhook_secret = f["secret"]
            return self.reply(200, {"url": acct.webhook_url})
        if path == "/_payouts":
            return self.payout(self.control(), self.form().get("send", "1") != "0")
        if path == "/v1/checkout/sessions":
            acct = self.authorised()
            if not acct:
                return
            key = self.headers.get("Idempotency-Key")
            f = self.form()
            with LOCK:
                if key and key in acct.idempotent:
                    return self.reply(200, SESSIONS[acct.idempotent[key]][1])
            try:
                amount = int(f["line_items[0][price_data][unit_amount]"])
                currency = f["line_items[0][price_data][currency]"]
                assert f["mode"] == "payment" and amount > 0 and int(f["line_items[0][quantity]"]) == 1
                success, cancel = f["success_url"], f["cancel_url"]
            except (KeyError, ValueError, AssertionError):
                return error(self, 400, "Missing or invalid parameters")
            sid = rid("cs_test_")
            port = self.server.server_address[1]
            s = {
                "id": sid, "object": "checkout.session", "mode": "payment",
                "status": "open", "payment_status": "unpaid",
                "amount_total": amount, "currency": currency,
                "client_reference_id": f.get("client_reference_id"),
                "metadata": {k[9:-1]: v for k, v in f.items() if k.startswith("metadata[")},
                "success_url": success, "cancel_url": cancel,
                "url": "http://127.0.0.1:%d/pay/%s" % (port, sid),
                "payment_intent": None,
                "line_items": {"name": f.get("line_items[0][price_data][product_data][name]", "")},
            }
            with LOCK:
                SESSIONS[sid] = (acct, s)
                if key:
                    acct.idempotent[key] = sid
            return self.reply(200, s)
        if path.startswith("/pay/"):
            found = SESSIONS.get(path.rsplit("/", 1)[1])
            if not found:
                return error(self, 404, "No such checkout.session")
            acct, s = found
            card = "".join(self.form().get("card", "").split())
            if s["status"] != "open":
                return self.page(s, "Cette session est terminée.")
            if card == "4000000000000002":
                return self.page(s, "Votre carte a été refusée.")
            if card != "4242424242424242":
                return self.page(s, "Numéro de carte invalide.")
            with LOCK:
                s["status"], s["payment_status"] = "complete", "paid"
                s["payment_intent"] = rid("pi_test_")
                charge = {"id": rid("ch_test_"), "object": "charge", "amount": s["amount_total"],
                          "currency": s["currency"], "payment_intent": s["payment_intent"]}
                acct.charges[charge["id"]] = charge
                fee = fee_of(charge["amount"])
                acct.txns.append({"id": rid("txn_test_"), "object": "balance_transaction",
                                  "type": "charge", "amount": charge["amount"], "fee": fee,
                                  "net": charge["amount"] - fee, "currency": s["currency"],
                                  "source": charge["id"], "payout": None})
            deliver(acct, "checkout.session.completed", s)
            return self.redirect(s["success_url"].replace("{CHECKOUT_SESSION_ID}", s["id"]))
        error(self, 404, "Unrecognized request URL")

    def payout(self, acct, send):
        """Pays out every available transaction: the payout, or 400 when there is none."""
        with LOCK:
            txns = [t for t in acct.txns if t["payout"] is None and t["type"] != "payout"]
            if not txns:
                return error(self, 400, "Nothing to pay out")
            po = {"id": rid("po_test_"), "object": "payout", "amount": sum(t["net"] for t in txns),
                  "currency": "eur", "arrival_date": int(time.time()), "automatic": True,
                  "status": "paid", "statement_descriptor": "STRIPE",
                  "reconciliation_status": "completed"}
            for t in txns:
                t["payout"] = po["id"]
            acct.txns.append({"id": rid("txn_test_"), "object": "balance_transaction",
                              "type": "payout", "amount": -po["amount"], "fee": 0,
                              "net": -po["amount"], "currency": "eur", "source": po["id"],
                              "payout": po["id"]})
            acct.payouts[po["id"]] = po
        deliver(acct, "payout.paid", po, send)
        deliver(acct, "payout.reconciliation_completed", po, send)
        self.reply(200, po)


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--secret-key", default="sk_test_default")
    p.add_argument("--webhook-url", default="")
    p.add_argument("--webhook-secret", default="")
    ARGS = p.parse_args()
    account(ARGS.secret_key)
    ACCOUNTS[ARGS.secret_key].webhook_url = ARGS.webhook_url
    ACCOUNTS[ARGS.secret_key].webhook_secret = ARGS.webhook_secret
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
