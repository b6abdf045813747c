#!/usr/bin/env python3
"""A local, stateful fake of the part of Stripe's API Recouvra uses: Checkout Sessions and
their webhooks. Started by the tests and the browser story (python3, standard library only).

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
- GET /_events: every event sent, with its exact body and signature (for replay tests);
- POST /_config/webhook (url=…): where events go (as localstripe's /_config/webhooks), for a
  server started after the fake.

Usage: stripe.py --port 0 --secret-key sk_test_x --webhook-secret S [--webhook-url URL]
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
IDEMPOTENT = {}
EVENTS = []
ARGS = None


def rid(prefix):
    return prefix + secrets.token_hex(12)


def sign(payload, t):
    mac = hmac.new(ARGS.webhook_secret.encode(), b"%d.%s" % (t, payload), hashlib.sha256)
    return "t=%d,v1=%s" % (t, mac.hexdigest())


def deliver(kind, obj):
    event = {
        "id": rid("evt_test_"),
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }
    body = json.dumps(event).encode()
    signature = sign(body, event["created"])
    status = None
    if not ARGS.webhook_url:
        EVENTS.append({"id": event["id"], "type": kind, "body": body.decode(),
                       "signature": signature, "status": None})
        return
    try:
        req = urllib.request.Request(
            ARGS.webhook_url,
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
        EVENTS.append({"id": event["id"], "type": kind, "body": body.decode(),
                       "signature": signature, "status": status})


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

    def authorised(self):
        if self.headers.get("Authorization") != "Bearer " + ARGS.secret_key:
            error(self, 401, "Invalid API Key provided", "authentication_error")
            return False
        return True

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        if path == "/_events":
            with LOCK:
                return self.reply(200, EVENTS)
        if path.startswith("/v1/checkout/sessions/"):
            if not self.authorised():
                return
            s = SESSIONS.get(path.rsplit("/", 1)[1])
            return self.reply(200, s) if s else error(self, 404, "No such checkout.session")
        if path.startswith("/pay/"):
            s = SESSIONS.get(path.rsplit("/", 1)[1])
            if not s:
                return error(self, 404, "No such checkout.session")
            return self.page(s, None)
        error(self, 404, "Unrecognized request URL")

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
            ARGS.webhook_url = self.form().get("url", "")
            return self.reply(200, {"url": ARGS.webhook_url})
        if path == "/v1/checkout/sessions":
            if not self.authorised():
                return
            key = self.headers.get("Idempotency-Key")
            f = self.form()
            with LOCK:
                if key and key in IDEMPOTENT:
                    return self.reply(200, SESSIONS[IDEMPOTENT[key]])
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
                SESSIONS[sid] = s
                if key:
                    IDEMPOTENT[key] = sid
            return self.reply(200, s)
        if path.startswith("/pay/"):
            s = SESSIONS.get(path.rsplit("/", 1)[1])
            if not s:
                return error(self, 404, "No such checkout.session")
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
            deliver("checkout.session.completed", s)
            return self.redirect(s["success_url"].replace("{CHECKOUT_SESSION_ID}", s["id"]))
        error(self, 404, "Unrecognized request URL")


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--secret-key", required=True)
    p.add_argument("--webhook-url", default="")
    p.add_argument("--webhook-secret", required=True)
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
