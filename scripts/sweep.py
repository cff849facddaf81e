"""The fuzz sweep: every server of scripts/sweep-targets gets bounded hostile
traffic, then must still answer, must not have crashed or grown without
bound, and must end promptly on SIGINT and on SIGTERM.

Run through scripts/sweep, which puts it in a private network namespace.
Usage: sweep.py BIN_DIR TARGETS_FILE [NAME...]
"""
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import zmq

# How much hostile traffic, per socket type and round. Two rounds, so that a
# growth of memory between the rounds (not just after the first) shows a leak.
MESSAGES_PER_SOCKET = 150
ROUNDS = 2
BIG_FRAME = 10 * 1024 * 1024
RAPID_CONNECTS = 20   # per socket of the target and round
# Resident memory: the growth allowed over the whole barrage, and between the
# end of the first round and the end of the second (where a leak keeps growing
# but allocator caches and queues already filled do not).
GROWTH_LIMIT_MB = 32
SECOND_ROUND_LIMIT_MB = 16
# glibc keeps freed blocks of a size it has seen freed (its mmap threshold
# rises to the largest, up to 32 MB) in per-thread heaps that it rarely gives
# back: after a few 10 MB frames a server's RSS stays up to ~70 MB higher
# with nothing leaked. A fixed threshold takes that cache out of the
# measurement, so the limits above can be tight enough to see a real leak.
EXAMPLE_ENVIRONMENT = dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072")
REPLY_DEADLINE = 30.0     # seconds for the well-formed exchange
SIGNAL_DEADLINE = 2.0     # seconds for SIGINT / SIGTERM to end the example
CRASH_MARKS = ("Fatal error", "fatal error", "Illegal instruction", "Segmentation",
               "Program crashed", "Assertion failed")

# Which socket types can talk to a socket of each type (ZMTP's valid pairs).
PEERS = {
    "req": ["rep", "router"], "rep": ["req", "dealer"],
    "dealer": ["rep", "dealer", "router"], "router": ["req", "dealer", "router"],
    "pub": ["sub", "xsub"], "xpub": ["sub", "xsub"],
    "sub": ["pub", "xpub"], "xsub": ["pub", "xpub"],
    "push": ["pull"], "pull": ["push"], "pair": ["pair"],
}
# One type each server type refuses at the handshake (a wrong protocol header).
WRONG = {"req": "pull", "rep": "pub", "dealer": "sub", "router": "pub", "pub": "push",
         "xpub": "pull", "sub": "req", "xsub": "rep", "push": "router", "pull": "dealer",
         "pair": "rep"}
TYPES = {name: getattr(zmq, name.upper()) for name in PEERS}


def default_signal_actions():
    """In the child, before exec: SIGINT and SIGTERM back to their default
    actions and unblocked, whatever the sweep inherited (a shell that started
    it in the background ignores SIGINT), so each example meets the signals
    as it would in a terminal."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


class Target:
    def __init__(self, line):
        fields = [f.strip() for f in line.split(" | ")]
        if len(fields) != 7:
            raise SystemExit(f"sweep-targets: expected 7 fields, got {len(fields)}: {line}")
        self.name, options, ready, stdin, args, sockets, self.exchange = fields
        self.signals, *extra = options.split()
        if self.signals not in ("default", "exit0"):
            raise SystemExit(f"sweep-targets: {self.name}: signals must be default or exit0")
        self.messages = MESSAGES_PER_SOCKET
        self.testdata = None   # bytes of a file "testdata" made in the run's directory
        for option in extra:
            key, _, value = option.partition("=")
            if key not in ("messages", "testdata") or not value.isdigit():
                raise SystemExit(f"sweep-targets: {self.name}: unknown option {option}")
            setattr(self, key, int(value))
        self.ready = None if ready == "-" else ready
        self.stdin = None if stdin == "-" else stdin.replace("\\n", "\n")
        self.args = [] if args == "-" else args.split()
        self.sockets = []   # (server type, "bind" | "connect", endpoint)
        for spec in sockets.split():
            match = re.fullmatch(r"(\w+)([@>])(\S+)", spec)
            if not match or match.group(1) not in PEERS:
                raise SystemExit(f"sweep-targets: {self.name}: bad socket {spec}")
            kind = "bind" if match.group(2) == "@" else "connect"
            self.sockets.append((match.group(1), kind, match.group(3)))


class Example:
    """One run of an example, its output collected by reader threads."""

    def __init__(self, binary, target, directory):
        self.target = target
        self.stdout_lines = []
        self.stderr_text = []
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            [binary] + target.args, cwd=directory, env=EXAMPLE_ENVIRONMENT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_signal_actions)
        for stream, sink in ((self.process.stdout, self.stdout_lines), (self.process.stderr, self.stderr_text)):
            threading.Thread(target=self._read, args=(stream, sink), daemon=True).start()

    def _read(self, stream, sink):
        # chunks, not lines: a prompt has no newline
        for raw in iter(lambda: os.read(stream.fileno(), 65536), b""):
            with self.lock:
                sink.append(raw.decode("utf-8", "replace"))

    def output(self):
        with self.lock:
            return "".join(self.stdout_lines)

    def wait_for_text(self, text, deadline):
        end = time.time() + deadline
        while True:
            if text in self.output():
                return True
            if time.time() >= end:
                return False
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def type(self, text):
        try:
            self.process.stdin.write(text.encode())
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def rss_kb(self):
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def crash_lines(self):
        with self.lock:
            text = "".join(self.stderr_text)
        return [line for line in text.splitlines() if any(mark in line for mark in CRASH_MARKS)]

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def resolve(endpoint, directory):
    """An ipc endpoint's file lives in the run's directory."""
    if endpoint.startswith("ipc://") and not endpoint.startswith("ipc:///"):
        return "ipc://" + os.path.join(directory, endpoint[len("ipc://"):])
    return endpoint


def random_frames(rng):
    """0 to 8 frames: empty ones, short text, random bytes, or a fake envelope."""
    shape = rng.randrange(6)
    if shape == 0:
        return [b"" for _ in range(rng.randrange(0, 9))]
    if shape == 1:   # a wrong envelope: delimiter in odd places, bogus identities
        return rng.choice([[b"", b"a", b"b"], [b"a", b"b"], [b"", b""], [b"\x00id", b"", b"x"],
                           [b"", b"\x01"], [b"READY"], [b"\x01"], [b"me", b"", b"you", b"", b"x"]])
    return [os.urandom(rng.choice([0, 1, 2, 5, 17, 64, 300])) for _ in range(rng.randrange(0, 9))]


def send_frames(sock, frames):
    """Sends without blocking; returns whether it went out. A zero-frame
    message cannot exist on the wire: it is sent as one empty frame."""
    frames = frames or [b""]
    try:
        sock.send_multipart(frames, flags=zmq.NOBLOCK)
        return True
    except zmq.ZMQError:
        return False


def drain(sock):
    try:
        while sock.poll(0):
            sock.recv_multipart(zmq.NOBLOCK)
    except zmq.ZMQError:
        pass


def raw_attack(endpoint, rng):
    """Raw bytes and broken ZMTP greetings straight on the transport, and
    rapid connect/close. Returns the number of connections made."""
    count = 0
    greetings = [
        os.urandom(64),
        b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x09",                        # signature, then version 9
        b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00" + b"BOGUS".ljust(20, b"\x00") + b"\x00" * 32,
        b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00" + b"NULL".ljust(20, b"\x00") + b"\x00" * 32
        + b"\x04\xff" + os.urandom(60),                                   # a lying command size
        b"GET / HTTP/1.0\r\n\r\n",
    ]
    for greeting in greetings * 2:
        try:
            if endpoint.startswith("tcp://"):
                host, port = endpoint[len("tcp://"):].rsplit(":", 1)
                conn = socket.create_connection((host, int(port)), timeout=1)
            else:
                conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                conn.settimeout(1)
                conn.connect(endpoint[len("ipc://"):])
            count += 1
            conn.sendall(greeting)
            if rng.random() < 0.5:
                try:
                    conn.recv(64)
                except OSError:
                    pass
            conn.close()
        except OSError:
            pass
    return count


def bind_retrying(sock, endpoint):
    """Binds, retrying for a second: the socket that held the endpoint a
    moment ago is closed by libzmq's I/O thread, not at once."""
    for attempt in range(20):
        try:
            sock.bind(endpoint)
            return
        except zmq.ZMQError as error:
            if error.errno != zmq.EADDRINUSE or attempt == 19:
                raise
            time.sleep(0.05)


def barrage(target, directory, rng, big_frame):
    """One round of hostile traffic on every socket of the target, from a
    context of its own, ended (every connection closed) before returning.
    Returns the number of messages sent."""
    context = zmq.Context()
    try:
        return barrage_in(context, target, directory, rng, big_frame)
    finally:
        context.destroy(linger=0)


def barrage_in(context, target, directory, rng, big_frame):
    sent = 0
    for server_type, kind, raw_endpoint in target.sockets:
        endpoint = resolve(raw_endpoint, directory)
        # A socket of the wrong type at an address the example connects to
        # is left out: libzmq gives up that connection for good after such a
        # handshake (a protocol error ends the session, with no reconnect), in
        # C as in Swift, so it would test libzmq, not the example.
        wrong = [WRONG[server_type]] if kind == "bind" else []
        for peer_type in PEERS[server_type] + wrong:
            sock = context.socket(TYPES[peer_type])
            sock.linger = 0
            sock.sndhwm = 200
            if peer_type == "req":
                sock.setsockopt(zmq.REQ_RELAXED, 1)
            if peer_type == "sub":
                sock.setsockopt(zmq.SUBSCRIBE, b"")
            try:
                if kind == "bind":
                    sock.connect(endpoint)
                else:
                    bind_retrying(sock, endpoint)
            except zmq.ZMQError as error:
                print(f"  {target.name}: cannot reach {endpoint} as {peer_type}: {error}", file=sys.stderr)
                sock.close()
                continue
            time.sleep(0.15 if kind == "connect" else 0.05)   # let the handshake or reconnect happen
            if peer_type in ("pull", "sub"):
                for _ in range(20):                              # receive-only: hostile subscriptions instead
                    if peer_type == "sub":
                        sock.setsockopt(zmq.SUBSCRIBE, os.urandom(rng.randrange(0, 40)))
                    drain(sock)
                    time.sleep(0.002)
                sent += 20 if peer_type == "sub" else 0
            else:
                for index in range(target.messages):
                    frames = random_frames(rng)
                    if peer_type == "xsub" and rng.random() < 0.5:    # subscription-like frames
                        frames = [bytes([rng.choice([0, 1, 2, 255])]) + os.urandom(rng.randrange(0, 30))]
                    if big_frame and index == target.messages // 2:
                        frames = [b"", b"\x00" * BIG_FRAME] if rng.random() < 0.5 else [b"\x00" * BIG_FRAME]
                        big_frame = False
                    if send_frames(sock, frames):
                        sent += 1
                    if index % 25 == 0:
                        drain(sock)
                drain(sock)
            sock.close()
        # rapid connect and disconnect, and a disconnect in the middle of a message
        for _ in range(RAPID_CONNECTS):
            peer = context.socket(TYPES[PEERS[server_type][0]])
            peer.linger = 0
            try:
                if kind == "bind":
                    peer.connect(endpoint)
                else:
                    bind_retrying(peer, endpoint)
                if PEERS[server_type][0] not in ("sub", "pull"):
                    peer.send(b"partial", zmq.SNDMORE | zmq.NOBLOCK)
            except zmq.ZMQError:
                pass
            peer.close()
        if kind == "bind":
            sent += raw_attack(endpoint, rng)
    return sent


def exchange(context, example, target, directory):
    """The well-formed exchange of the target line. Returns None when it
    worked, else what went wrong."""
    words = target.exchange.split()
    verb = words[0]
    deadline = time.time() + REPLY_DEADLINE
    sockets = []

    def make(kind, endpoint, bind=False):
        sock = context.socket(kind)
        sock.linger = 0
        sockets.append(sock)
        if bind:
            bind_retrying(sock, resolve(endpoint, directory))
        else:
            sock.connect(resolve(endpoint, directory))
        return sock

    try:
        if verb in ("req", "dealer", "chat"):
            arrow = words.index("=>")
            endpoint, request = words[1], words[2:arrow][0].split("/") if words[2:arrow] else [""]
            rest = words[arrow + 1:]
            expected = None if rest[:1] == ["*"] else (rest[0] if rest and rest[0] != "via" else "")
            if "via" in rest:
                worker = make(zmq.REP, rest[rest.index("via") + 1])
            else:
                worker = None
            client = make(zmq.DEALER if verb == "dealer" else zmq.REQ, endpoint)
            if verb != "dealer":
                client.setsockopt(zmq.REQ_RELAXED, 1)
            next_line = 0.0
            request = [part.encode() for part in request]
            next_send = 0.0
            while time.time() < deadline:
                if time.time() >= next_send:
                    client.send_multipart(request)
                    # resent every two seconds, as a Lazy Pirate client would: a
                    # copy may have gone to a worker that was a hostile peer
                    next_send = time.time() + 2.0
                if worker is not None and worker.poll(0):
                    worker.recv_multipart()
                    worker.send((expected or "").encode())
                if verb == "chat" and time.time() >= next_line:
                    # each line answers the request it owes (maybe a hostile
                    # one, still queued), or waits in its outbox
                    example.type(expected + "\n")
                    next_line = time.time() + 0.3
                if client.poll(100):
                    reply = client.recv_multipart()
                    if expected is None or reply[-1] == expected.encode():
                        return None
                    if verb != "chat":
                        return f"reply {reply!r}, expected {expected!r}"
            return "no reply"
        if verb == "pubsub":
            publisher = make(zmq.PUB, words[1], bind=True)
            subscriber = make(zmq.SUB, words[2])
            subscriber.setsockopt(zmq.SUBSCRIBE, b"")
            update = words[3].encode().split(b"/") if len(words) > 3 else [b"10001 20 30"]
            while time.time() < deadline:
                publisher.send_multipart(update)
                if subscriber.poll(100):
                    subscriber.recv_multipart()
                    return None
            return "no update came through"
        if verb == "state":
            publisher = make(zmq.PUB, words[1], bind=True)
            line = f"{words[2]} - 3 workers free"
            while time.time() < deadline:
                publisher.send_multipart([words[2].encode(), b"3"])
                if example.wait_for_text(line, 0.2):
                    return None
            return f"never printed '{line}'"
        if verb == "pull":
            # PULL connects (as a PLAIN or CURVE client if asked) and must
            # receive a message whose last frame is R
            puller = context.socket(zmq.PULL)
            puller.linger = 0
            sockets.append(puller)
            public = None
            for option in words[4:]:
                key, _, value = option.partition("=")
                if key == "plain":
                    user, _, password = value.partition(":")
                    puller.plain_username, puller.plain_password = user.encode(), password.encode()
                elif key == "curve":
                    server_key = read_public_key(os.path.join(directory, value))
                    if server_key is None:
                        return f"no public key in {value}"
                    public, secret = zmq.curve_keypair()   # (written to trust= below)
                    puller.curve_serverkey, puller.curve_publickey, puller.curve_secretkey = server_key, public, secret
                elif key == "trust" and public is not None:
                    # ironhouse: the client's public key goes into the server's
                    # directory of trusted keys, in the certificate file format
                    trusted = os.path.join(directory, value)
                    os.makedirs(trusted, exist_ok=True)
                    with open(os.path.join(trusted, "sweep.key"), "w") as cert:
                        cert.write(f'metadata\ncurve\n    public-key = "{public.decode()}"\n')
            puller.connect(resolve(words[1], directory))
            expected = words[3].encode()
            while time.time() < deadline:
                if puller.poll(100):
                    if puller.recv_multipart()[-1] == expected:
                        return None
            return f"never received {words[3]}"
        if verb == "lbqueue":
            # a load-balancing queue: a worker on BE announces itself with
            # READY "\001" (as a REQ, or as a DEALER heartbeating "\002" for
            # the Paranoid Pirate), then echoes with the last frame set to R;
            # a REQ client on FE must get R back
            arrow = words.index("=>")
            request = [part.encode() for part in words[2].split("/")]
            expected = words[arrow + 1].encode()
            backend, style = words[arrow + 3], words[arrow + 4]
            worker = make(zmq.REQ if style == "req" else zmq.DEALER, backend)
            worker.send(b"\x01")
            client = make(zmq.REQ, words[1])
            client.setsockopt(zmq.REQ_RELAXED, 1)
            next_send = next_beat = 0.0
            while time.time() < deadline:
                now = time.time()
                if now >= next_send:
                    client.send_multipart(request)
                    next_send = now + 2.0
                if style != "req" and now >= next_beat:
                    worker.send(b"\x02")
                    next_beat = now + 1.0
                if worker.poll(0):
                    frames = worker.recv_multipart()
                    if len(frames) > 1:
                        worker.send_multipart(frames[:-1] + [expected])
                if client.poll(100):
                    if client.recv_multipart()[-1] == expected:
                        return None
            return "no reply"
        if verb == "mdp":
            # Majordomo: a worker for SERVICE on EP echoes with R; a client
            # asks SERVICE for A and must get R
            endpoint, service = words[1], words[2].encode()
            request, expected = words[3].encode(), words[5].encode()
            worker = make(zmq.DEALER, endpoint)
            worker.send_multipart([b"", b"MDPW01", b"\x01", service])
            client = make(zmq.REQ, endpoint)
            client.setsockopt(zmq.REQ_RELAXED, 1)
            next_send = next_beat = 0.0
            while time.time() < deadline:
                now = time.time()
                if now >= next_send:
                    client.send_multipart([b"MDPC01", service, request])
                    next_send = now + 2.0
                if now >= next_beat:
                    worker.send_multipart([b"", b"MDPW01", b"\x04"])
                    next_beat = now + 1.0
                if worker.poll(0):
                    frames = worker.recv_multipart()
                    if len(frames) >= 5 and frames[2] == b"\x02":
                        worker.send_multipart([b"", b"MDPW01", b"\x03", frames[3], b"", expected])
                    elif len(frames) >= 3 and frames[2] == b"\x05":   # disconnected: announce again
                        worker.send_multipart([b"", b"MDPW01", b"\x01", service])
                if client.poll(100):
                    reply = client.recv_multipart()
                    if reply[-1] == expected:
                        return None
            return "no reply"
        if verb == "router":
            # a ROUTER client addresses the server by its routing id
            arrow = words.index("=>")
            identity, request = words[2].encode(), [part.encode() for part in words[3].split("/")]
            expected = words[arrow + 1].encode()
            client = make(zmq.ROUTER, words[1])
            next_send = 0.0
            while time.time() < deadline:
                if time.time() >= next_send:
                    client.send_multipart([identity] + request)
                    next_send = time.time() + 1.0
                if client.poll(100):
                    if client.recv_multipart()[-1] == expected:
                        return None
            return "no reply"
        if verb == "snapshot":
            # Clone: ICANHAZ? (with the subtree, unless "-") on a DEALER; the
            # snapshot must end with a KTHXBAI message
            request = [b"ICANHAZ?"] + ([] if words[2] == "-" else [words[2].encode()])
            client = make(zmq.DEALER, words[1])
            next_send = 0.0
            while time.time() < deadline:
                if time.time() >= next_send:
                    client.send_multipart(request)
                    next_send = time.time() + 2.0
                if client.poll(100):
                    if client.recv_multipart()[0] == b"KTHXBAI":
                        return None
            return "no KTHXBAI"
        if verb == "m2":
            # Mongrel2: PUSH bound at SEND passes a request, SUB bound at RECV
            # must see a reply addressed to our server UUID
            pusher = make(zmq.PUSH, words[1], bind=True)
            replies = make(zmq.SUB, words[2], bind=True)
            replies.setsockopt(zmq.SUBSCRIBE, b"")
            headers = b'{"PATH":"/echo/sweep","METHOD":"GET"}'
            request = b"sweep-uuid 7 /echo/sweep " + netstring(headers) + netstring(b"")
            next_send = 0.0
            while time.time() < deadline:
                if time.time() >= next_send:
                    pusher.send(request)
                    next_send = time.time() + 1.0
                if replies.poll(100):
                    if replies.recv_multipart()[-1].startswith(b"sweep-uuid 1:7, HTTP/1.1 200"):
                        return None
            return "no reply"
        return f"unknown exchange verb {verb}"
    except zmq.ZMQError as error:
        return f"exchange: {error}"
    finally:
        for sock in sockets:
            sock.close()


def netstring(data):
    return str(len(data)).encode() + b":" + data + b","


def read_public_key(path):
    """The Z85 public key of a certificate file (public-key = "...")."""
    try:
        with open(path) as cert:
            match = re.search(r'public-key\s*=\s*"([^"]{40})"', cert.read())
    except OSError:
        return None
    return match.group(1).encode() if match else None


def start(binary, target, directory, type_stdin):
    example = Example(binary, target, directory)
    if target.ready:
        if not example.wait_for_text(target.ready, 20):
            return example, f"never printed '{target.ready}'"
    time.sleep(1.0)   # its sockets are bound and its threads started
    if type_stdin and target.stdin:
        example.type(target.stdin)
        time.sleep(0.5)
    return example, None


def signal_run(binary, target, directory, signum, type_stdin, barrage_first=None):
    """Starts the example, optionally runs a barrage first, sends `signum`
    and checks how it ends. Returns (problem or None, example)."""
    example, problem = start(binary, target, directory, type_stdin)
    if problem:
        example.stop()
        return problem, example
    if barrage_first:
        barrage_first(example)
    return ended_by(example, target, signum), example


def ended_by(example, target, signum):
    name = signal.Signals(signum).name
    if example.process.poll() is not None:
        return f"had exited ({example.process.returncode}) before {name}"
    example.process.send_signal(signum)
    try:
        code = example.process.wait(SIGNAL_DEADLINE)
    except subprocess.TimeoutExpired:
        example.stop()
        return f"still running {SIGNAL_DEADLINE:.0f} s after {name}"
    wanted = -signum if target.signals == "default" else 0
    if code != wanted:
        return f"{name}: exit {code}, expected {wanted}"
    time.sleep(0.1)   # the stderr reader catches up
    crashes = example.crash_lines()
    if crashes:
        return f"{name}: {crashes[0]}"
    return None


def sweep(binary_dir, target, rng):
    binary = os.path.join(binary_dir, target.name)
    context = zmq.Context()
    problems = []
    row = {"sent": 0, "before": 0, "after": 0}
    directory = tempfile.mkdtemp(prefix=f"sweep-{target.name}-")
    if target.testdata is not None:
        with open(os.path.join(directory, "testdata"), "wb") as data:
            data.write(os.urandom(target.testdata))
    try:
        # Run 1: barrage, well-formed exchange, then SIGINT.
        def attack(example):
            row["before"] = example.rss_kb()
            middle = 0
            for round_number in range(ROUNDS):
                row["sent"] += barrage(target, directory, rng, big_frame=True)
                time.sleep(0.5)
                if example.process.poll() is not None:
                    problems.append(f"died during the barrage (exit {example.process.returncode})")
                    return
                if round_number == 0:
                    middle = example.rss_kb()
            row["after"] = example.rss_kb()
            problem = exchange(context, example, target, directory)
            if problem:
                problems.append("after the barrage: " + problem)
            if row["after"] - row["before"] > GROWTH_LIMIT_MB * 1024:
                problems.append(f"memory grew {(row['after'] - row['before']) // 1024} MB (limit {GROWTH_LIMIT_MB})")
            if row["after"] - middle > SECOND_ROUND_LIMIT_MB * 1024:
                problems.append(f"memory grew {(row['after'] - middle) // 1024} MB in the second round "
                                f"(limit {SECOND_ROUND_LIMIT_MB})")
            for line in example.crash_lines():
                problems.append("stderr: " + line)
                break
        problem, example = signal_run(binary, target, directory, signal.SIGINT, True, attack)
        if problem and not problems:
            problems.append(problem)
        errors = [line for line in "".join(example.stderr_text).splitlines() if line.strip()]
        row["errors"] = len(errors)
        if problems and os.environ.get("SWEEP_VERBOSE"):
            problems += ["stderr: " + line for line in errors[-5:]]
            problems += ["stdout: " + line for line in example.output().splitlines()[-5:]]
        # Run 2: SIGTERM, before anything is typed (at a prompt, if it has one).
        problem, _ = signal_run(binary, target, directory, signal.SIGTERM, False)
        if problem:
            problems.append(problem)
        # Run 3: SIGINT at the prompt, for those that have one.
        if target.stdin:
            problem, _ = signal_run(binary, target, directory, signal.SIGINT, False)
            if problem:
                problems.append("at the prompt: " + problem)
    finally:
        context.destroy(linger=0)
        shutil.rmtree(directory, ignore_errors=True)
    return row, problems


def main():
    binary_dir, targets_file = sys.argv[1], sys.argv[2]
    wanted = set(sys.argv[3:])
    with open(targets_file) as lines:
        targets = [Target(line) for line in lines if line.strip() and not line.startswith("#")]
    if wanted:
        unknown = wanted - {target.name for target in targets}
        if unknown:
            raise SystemExit(f"not in {targets_file}: {' '.join(sorted(unknown))}")
        targets = [target for target in targets if target.name in wanted]
    missing = [t.name for t in targets if not os.access(os.path.join(binary_dir, t.name), os.X_OK)]
    if missing:
        raise SystemExit(f"not built in {binary_dir}: {' '.join(missing)}")
    rng = random.Random(int(os.environ.get("SWEEP_SEED", "0")) or None)
    started = time.time()
    print(f"| example | messages sent | survived | RSS before (MB) | RSS after (MB) | stderr lines | seconds |")
    print(f"|---|---:|---|---:|---:|---:|---:|")
    failures = []
    for target in targets:
        began = time.time()
        row, problems = sweep(binary_dir, target, rng)
        survived = "yes" if not problems else "NO"
        print(f"| {target.name} | {row['sent']} | {survived} | {row['before'] / 1024:.1f} | "
              f"{row['after'] / 1024:.1f} | {row.get('errors', 0)} | {time.time() - began:.1f} |", flush=True)
        for problem in problems:
            failures.append(f"{target.name}: {problem}")
    print(f"\n{len(targets)} servers in {time.time() - started:.0f} s")
    for failure in failures:
        print("FAIL " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
