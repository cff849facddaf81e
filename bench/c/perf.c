/*
 * The C reference for scripts/bench: the loops of libzmq's six perf tools
 * over plain libzmq, written for this project, so that the Swift tools can
 * be compared with C built and run on the same machine in the same run.
 *
 *   perf local_thr  <bind-to> <message-size> <message-count>
 *   perf remote_thr <connect-to> <message-size> <message-count>
 *   perf local_lat  <bind-to> <message-size> <roundtrip-count>
 *   perf remote_lat <connect-to> <message-size> <roundtrip-count>
 *   perf inproc_thr <message-size> <message-count>
 *   perf inproc_lat <message-size> <roundtrip-count>
 *
 * The output lines are those of the Swift tools. Every failure exits 1.
 * Build: cc -O2 -o perf perf.c -lzmq -lpthread
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static void die(const char *what)
{
    fprintf(stderr, "perf: %s: %s\n", what, zmq_strerror(zmq_errno()));
    exit(1);
}

static long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static void print_throughput(size_t size, int count, long elapsed)
{
    if (elapsed < 1) elapsed = 1;
    double rate = (double) count / (double) elapsed * 1e6;
    printf("message size: %d [B]\n", (int) size);
    printf("message count: %d\n", count);
    printf("mean throughput: %d [msg/s]\n", (int) rate);
    printf("mean throughput: %.3f [Mb/s]\n", rate * (double) size * 8 / 1e6);
}

static void print_latency(size_t size, int count, long elapsed)
{
    printf("message size: %d [B]\n", (int) size);
    printf("roundtrip count: %d\n", count);
    printf("average latency: %.3f [us]\n", (double) elapsed / (count * 2.0));
}

/* Receives count messages into one zmq_msg_t; returns the microseconds from
 * the first message (the start signal) to the last. */
static long receive_all(void *s, size_t size, int count)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, s, 0) < 0) die("receive");
    if (zmq_msg_size(&msg) != size) { fprintf(stderr, "message of incorrect size received\n"); exit(1); }
    long start = now_us();
    for (int i = 1; i < count; i++) {
        if (zmq_msg_recv(&msg, s, 0) < 0) die("receive");
        if (zmq_msg_size(&msg) != size) { fprintf(stderr, "message of incorrect size received\n"); exit(1); }
    }
    long elapsed = now_us() - start;
    zmq_msg_close(&msg);
    return elapsed;
}

static void send_all(void *s, size_t size, int count)
{
    zmq_msg_t msg;
    for (int i = 0; i < count; i++) {
        if (zmq_msg_init_size(&msg, size) != 0) die("zmq_msg_init_size");
        if (zmq_msg_send(&msg, s, 0) < 0) die("send");
        zmq_msg_close(&msg);
    }
}

static void echo_all(void *s, size_t size, int count)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    for (int i = 0; i < count; i++) {
        if (zmq_msg_recv(&msg, s, 0) < 0) die("receive");
        if (zmq_msg_size(&msg) != size) { fprintf(stderr, "message of incorrect size received\n"); exit(1); }
        if (zmq_msg_send(&msg, s, 0) < 0) die("send");
    }
    zmq_msg_close(&msg);
}

static long round_trips(void *s, size_t size, int count)
{
    zmq_msg_t msg;
    if (zmq_msg_init_size(&msg, size) != 0) die("zmq_msg_init_size");
    memset(zmq_msg_data(&msg), 0, size);
    long start = now_us();
    for (int i = 0; i < count; i++) {
        if (zmq_msg_send(&msg, s, 0) < 0) die("send");
        if (zmq_msg_recv(&msg, s, 0) < 0) die("receive");
        if (zmq_msg_size(&msg) != size) { fprintf(stderr, "message of incorrect size received\n"); exit(1); }
    }
    long elapsed = now_us() - start;
    zmq_msg_close(&msg);
    return elapsed;
}

static void *open_socket(void *ctx, int type, const char *endpoint, int bind)
{
    void *s = zmq_socket(ctx, type);
    if (!s) die("zmq_socket");
    if ((bind ? zmq_bind(s, endpoint) : zmq_connect(s, endpoint)) != 0) die(endpoint);
    return s;
}

struct worker_args { void *ctx; size_t size; int count; int lat; };

static void *worker(void *argument)
{
    struct worker_args *a = argument;
    if (a->lat) {
        void *s = open_socket(a->ctx, ZMQ_REP, "inproc://lat_test", 0);
        echo_all(s, a->size, a->count);
        zmq_close(s);
    } else {
        void *s = open_socket(a->ctx, ZMQ_PUSH, "inproc://thr_test", 0);
        send_all(s, a->size, a->count);
        zmq_close(s);
    }
    return NULL;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: perf local_thr|remote_thr|local_lat|remote_lat <endpoint> <message-size> <count>\n"
            "       perf inproc_thr|inproc_lat <message-size> <count>\n");
    exit(1);
}

int main(int argc, char *argv[])
{
    if (argc < 2) usage();
    const char *mode = argv[1];
    int inproc = strncmp(mode, "inproc_", 7) == 0;
    if (argc != (inproc ? 4 : 5)) usage();
    const char *endpoint = inproc ? NULL : argv[2];
    size_t size = (size_t) atoi(argv[inproc ? 2 : 3]);
    int count = atoi(argv[inproc ? 3 : 4]);
    if (count < 1) usage();

    void *ctx = zmq_ctx_new();
    if (!ctx) die("zmq_ctx_new");

    if (strcmp(mode, "local_thr") == 0) {
        void *s = zmq_socket(ctx, ZMQ_PULL);
        if (!s) die("zmq_socket");
        /* As the Swift local_thr does: over ipc, libzmq 4.3 can lose the tail
         * of the stream when the sender closes while the receiver is held
         * back by its high-water mark (libzmq issue 4660). */
        int unlimited = 0;
        if (strncmp(endpoint, "ipc://", 6) == 0 && zmq_setsockopt(s, ZMQ_RCVHWM, &unlimited, sizeof unlimited) != 0) die("ZMQ_RCVHWM");
        if (zmq_bind(s, endpoint) != 0) die(endpoint);
        print_throughput(size, count, receive_all(s, size, count));
        zmq_close(s);
    } else if (strcmp(mode, "remote_thr") == 0) {
        void *s = open_socket(ctx, ZMQ_PUSH, endpoint, 0);
        send_all(s, size, count);
        zmq_close(s);
    } else if (strcmp(mode, "local_lat") == 0) {
        void *s = open_socket(ctx, ZMQ_REP, endpoint, 1);
        echo_all(s, size, count);
        zmq_close(s);
    } else if (strcmp(mode, "remote_lat") == 0) {
        void *s = open_socket(ctx, ZMQ_REQ, endpoint, 0);
        print_latency(size, count, round_trips(s, size, count));
        zmq_close(s);
    } else if (inproc) {
        int lat = strcmp(mode, "inproc_lat") == 0;
        if (!lat && strcmp(mode, "inproc_thr") != 0) usage();
        void *s = open_socket(ctx, lat ? ZMQ_REQ : ZMQ_PULL, lat ? "inproc://lat_test" : "inproc://thr_test", 1);
        struct worker_args args = { ctx, size, count, lat };
        pthread_t thread;
        if (pthread_create(&thread, NULL, worker, &args) != 0) { fprintf(stderr, "perf: pthread_create failed\n"); exit(1); }
        if (lat)
            print_latency(size, count, round_trips(s, size, count));
        else
            print_throughput(size, count, receive_all(s, size, count));
        pthread_join(thread, NULL);
        zmq_close(s);
    } else {
        usage();
    }
    zmq_ctx_term(ctx);
    return 0;
}
