"""The pyzmq loops for scripts/bench: the same six measurements as the
Swift tools and the C reference (bench/c/perf.c), written for this project
in plain pyzmq, zero-copy off (copy=False costs more than it saves for small
frames, and the C and Swift loops reuse one message).

    perf.py local_thr  <bind-to> <message-size> <message-count>
    perf.py remote_thr <connect-to> <message-size> <message-count>
    perf.py local_lat  <bind-to> <message-size> <roundtrip-count>
    perf.py remote_lat <connect-to> <message-size> <roundtrip-count>
    perf.py inproc_thr <message-size> <message-count>
    perf.py inproc_lat <message-size> <roundtrip-count>
"""
import sys
import threading
import time

import zmq


def receive_all(s, size, count):
    if len(s.recv()) != size:
        sys.exit("message of incorrect size received")
    start = time.perf_counter()
    for _ in range(count - 1):
        if len(s.recv()) != size:
            sys.exit("message of incorrect size received")
    return time.perf_counter() - start


def send_all(s, size, count):
    payload = bytes(size)
    for _ in range(count):
        s.send(payload)


def echo_all(s, size, count):
    for _ in range(count):
        s.send(s.recv())


def round_trips(s, size, count):
    payload = bytes(size)
    start = time.perf_counter()
    for _ in range(count):
        s.send(payload)
        if len(s.recv()) != size:
            sys.exit("message of incorrect size received")
    return time.perf_counter() - start


def print_throughput(size, count, seconds):
    rate = count / max(seconds, 1e-6)
    print("message size: %d [B]" % size)
    print("message count: %d" % count)
    print("mean throughput: %d [msg/s]" % rate)
    print("mean throughput: %.3f [Mb/s]" % (rate * size * 8 / 1e6))


def print_latency(size, count, seconds):
    print("message size: %d [B]" % size)
    print("roundtrip count: %d" % count)
    print("average latency: %.3f [us]" % (seconds * 1e6 / (count * 2)))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    mode = argv[1]
    inproc = mode.startswith("inproc_")
    if len(argv) != (4 if inproc else 5):
        sys.exit(__doc__)
    endpoint = None if inproc else argv[2]
    size, count = int(argv[-2]), int(argv[-1])
    ctx = zmq.Context()

    if mode == "local_thr":
        s = ctx.socket(zmq.PULL)
        if endpoint.startswith("ipc://"):
            s.rcvhwm = 0  # as the Swift local_thr does (libzmq issue 4660)
        s.bind(endpoint)
        print_throughput(size, count, receive_all(s, size, count))
    elif mode == "remote_thr":
        s = ctx.socket(zmq.PUSH)
        s.connect(endpoint)
        send_all(s, size, count)
    elif mode == "local_lat":
        s = ctx.socket(zmq.REP)
        s.bind(endpoint)
        echo_all(s, size, count)
    elif mode == "remote_lat":
        s = ctx.socket(zmq.REQ)
        s.connect(endpoint)
        print_latency(size, count, round_trips(s, size, count))
    elif mode in ("inproc_thr", "inproc_lat"):
        lat = mode == "inproc_lat"
        s = ctx.socket(zmq.REQ if lat else zmq.PULL)
        address = "inproc://lat_test" if lat else "inproc://thr_test"
        s.bind(address)

        def worker():
            w = ctx.socket(zmq.REP if lat else zmq.PUSH)
            w.connect(address)
            (echo_all if lat else send_all)(w, size, count)
            w.close()

        thread = threading.Thread(target=worker)
        thread.start()
        if lat:
            print_latency(size, count, round_trips(s, size, count))
        else:
            print_throughput(size, count, receive_all(s, size, count))
        thread.join()
    else:
        sys.exit(__doc__)
    s.close()
    ctx.term()


if __name__ == "__main__":
    main(sys.argv)
