"""A webhook receiver for Vigil's tests: a real HTTP server on 127.0.0.1.

Usage: webhook_receiver.py DIR STATUS[,STATUS...] [DELAY]

Binds a free port (the kernel picks it, so two tests never race for one) and writes it to DIR/port
once listening. Each POST is answered with the next status of the list (the last one repeats), and
its body is written to DIR/requests/NNNN-STATUS.json *before* the answer is sent, so a client that
has its answer can already read what the receiver got. Status 0 never answers (a hung receiver). DELAY (seconds, default 0) is how long each answer
takes: a slow receiver, as a paging gateway under load is.
Stopped by its PID (SIGTERM).
"""
import http.server
import os
import sys
import threading
import time

directory, answers = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
requests = os.path.join(directory, "requests")
os.makedirs(requests, exist_ok=True)
lock = threading.Lock()
count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            status = answers[min(count, len(answers) - 1)]
            count += 1
            name = os.path.join(requests, "%04d-%d.json" % (count, status))
            with open(name + ".tmp", "wb") as f:
                f.write(body)
            os.rename(name + ".tmp", name)
        if status == 0:
            time.sleep(3600)
            return
        time.sleep(delay)
        reply = b"{}"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.path, format % args))


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(directory, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
server.serve_forever()
