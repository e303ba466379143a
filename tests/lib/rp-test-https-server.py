#!/usr/bin/python3
# rp-test-https-server.py: the HTTPS server behind tests/lib/rp-test-https.c
#
# Serves DOCROOT/HOST/PATH for a request for https://HOST/PATH (the Host
# header chooses the folder, so one server plays several web sites). Next to
# a path, PATH.redirect holds a Location to answer 302 with, and PATH.hang
# makes the request hang (a black hole at the HTTP level). Every request is
# appended to LOG as "HOST PATH?QUERY" before it is answered.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import http.server
import os
import ssl
import sys
import time
import urllib.parse

docroot, port, cert, key, log = sys.argv[1:6]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        with open(log, "a") as f:
            f.write("%s %s\n" % (host, self.path))
        path = urllib.parse.urlsplit(self.path).path
        if ".." in path or "/" in host:
            self.answer(404, b"")
            return
        base = os.path.join(docroot, host, path.lstrip("/"))
        if os.path.isfile(base + ".hang"):
            time.sleep(3600)
        if os.path.isfile(base + ".redirect"):
            with open(base + ".redirect") as f:
                location = f.read().strip()
            self.answer(302, b"", location)
        elif os.path.isfile(base):
            with open(base, "rb") as f:
                self.answer(200, f.read())
        else:
            self.answer(404, b"not here\n")

    def answer(self, status, body, location=None):
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", int(port)), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
# The handshake then happens in the request's thread, so a client that
# stalls it cannot block the accept loop.
server.socket = context.wrap_socket(server.socket, server_side=True,
                                    do_handshake_on_connect=False)
server.serve_forever()
