"""A minimal Mongrel2 handler in Python with pyzmq, to compare with the
Swift m2handler under the same load. It does the same work for /echo/
paths: reads the JSON headers and answers with the method, the path, its
name and the headers, one per line, sorted; anything else gets a 404."""
import argparse
import json
import sys

import zmq

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--send-spec", default="tcp://127.0.0.1:9997")
parser.add_argument("--recv-spec", default="tcp://127.0.0.1:9996")
parser.add_argument("--name", default="python")
args = parser.parse_args()

context = zmq.Context()
requests = context.socket(zmq.PULL)
requests.connect(args.send_spec)
replies = context.socket(zmq.PUB)
replies.connect(args.recv_spec)
print(f"I: {args.name} ready", flush=True)


def netstring(data):
    """Splits LENGTH:DATA, off the front of data: (DATA, the rest)."""
    length, _, rest = data.partition(b":")
    size = int(length)
    return rest[:size], rest[size + 1:]


try:
    while True:
        sender, connection, path, rest = requests.recv().split(b" ", 3)
        raw_headers, rest = netstring(rest)
        body, _ = netstring(rest)
        headers = json.loads(raw_headers)
        method = headers.get("METHOD", "")
        if method == "JSON":
            continue   # a disconnect notice
        if path.startswith(b"/echo/"):
            lines = [f"{method} {path.decode()}", f"handler: {args.name}"]
            lines += [f"{key}: {value}" for key, value in sorted(headers.items())]
            if body:
                lines.append("body: " + body.decode(errors="replace"))
            status, text = b"200 OK", ("\n".join(lines) + "\n").encode()
        else:
            status, text = b"404 Not Found", b"Not found: " + path + b"\n"
        response = b"HTTP/1.1 %s\r\nX-Handler: %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s" % (
            status, args.name.encode(), len(text), text)
        replies.send(b"%s %d:%s, %s" % (sender, len(connection), connection, response))
except KeyboardInterrupt:
    sys.exit(0)
