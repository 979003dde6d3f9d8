/*
 * vigil-load: the benchmark's load client and ack-only ceiling, in C on libmosquitto, so that what
 * `make bench` measures is the broker and the processor, not the client driving them.
 *
 *   vigil-load load     --broker HOST:PORT --devices A,B,... --events N [--rate R] [--window W] ...
 *   vigil-load ack-only --broker HOST:PORT --ack TEMPLATE
 *
 * `load` publishes wire v1 events as resending alarm units do (QoS 1, resent with a doubling delay
 * until Vigil's ack arrives), at a steady rate or as fast as a window of unacknowledged events
 * allows, and prints its counts and publish→ack latencies as `key value` lines. `ack-only` answers
 * every event with an `accepted` ack and stores nothing.
 *
 * The message bodies are not composed here. vigil-bench encodes them with the Swift Codable types
 * both ends of Vigil use (EventMessage, Ack), with the text `@ID@` where the event id goes and `@TS@`
 * where the device's clock goes, and passes them in; this program only puts the id and the time in
 * place, and reads the id and status back out of an ack.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <mosquitto.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ID_SLOT "@ID@"
#define TS_SLOT "@TS@"
#define MAX_SLOTS 4
#define MAX_RESEND_MS 30000u

static volatile sig_atomic_t stopping;
static void on_signal(int sig) { (void)sig; stopping = 1; }

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

__attribute__((noreturn)) static void die(const char *what, const char *detail) {
    fprintf(stderr, "vigil-load: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static void *must_alloc(size_t n) {
    void *p = calloc(1, n ? n : 1);
    if (!p) die("out of memory", NULL);
    return p;
}

/* A message body with its slots cut out: segment[0] slot[0] segment[1] … slot[slots-1] segment[slots]. */
struct template {
    int slots;
    char kind[MAX_SLOTS];       /* 'i': the event id, 't': the device clock */
    char *segment[MAX_SLOTS + 1];
    size_t length[MAX_SLOTS + 1];
};

static struct template template_from(const char *text, const char *option) {
    struct template t = {0};
    const char *rest = text;
    for (;;) {
        const char *id = strstr(rest, ID_SLOT), *ts = strstr(rest, TS_SLOT);
        const char *at = id && (!ts || id < ts) ? id : ts;
        if (!at || t.slots == MAX_SLOTS) break;
        t.kind[t.slots] = at == id ? 'i' : 't';
        t.length[t.slots] = (size_t)(at - rest);
        t.segment[t.slots] = strndup(rest, t.length[t.slots]);
        t.slots++;
        rest = at + strlen(ID_SLOT);
    }
    t.length[t.slots] = strlen(rest);
    t.segment[t.slots] = strdup(rest);
    bool has_id = false;
    for (int i = 0; i < t.slots; i++) has_id |= t.kind[i] == 'i';
    if (!has_id) {
        fprintf(stderr, "vigil-load: %s has no %s where the event id goes\n", option, ID_SLOT);
        exit(2);
    }
    return t;
}

/* The body with the id and the time in their slots, into buf; returns the length, or 0 if it does
 * not fit. */
static size_t fill(const struct template *t, const char *id, size_t id_len, const char *ts, char *buf, size_t cap) {
    size_t n = 0, ts_len = ts ? strlen(ts) : 0;
    for (int i = 0; i <= t->slots; i++) {
        if (n + t->length[i] > cap) return 0;
        memcpy(buf + n, t->segment[i], t->length[i]);
        n += t->length[i];
        if (i == t->slots) break;
        const char *v = t->kind[i] == 'i' ? id : ts;
        size_t len = t->kind[i] == 'i' ? id_len : ts_len;
        if (n + len > cap) return 0;
        memcpy(buf + n, v, len);
        n += len;
    }
    return n;
}

/* The wall clock as RFC 3339 UTC with milliseconds (2026-11-22T02:14:07.250Z), as VigilWire's
 * RFC3339.format writes it. */
static void wall_clock(char out[32]) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(out + n, 32 - n, ".%03ldZ", now.tv_nsec / 1000000);
}

/* The string value of `"key":"…"` in an encoded message (the first occurrence: inside an encoded
 * string every quote is escaped, so the pattern cannot start there). Ids and statuses never need
 * escaping. */
static bool string_field(const char *body, size_t len, const char *key, const char **value, size_t *value_len) {
    char pattern[32];
    int plen = snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    if (plen <= 0 || (size_t)plen >= sizeof pattern) return false;
    const char *at = memmem(body, len, pattern, (size_t)plen);
    if (!at) return false;
    const char *start = at + plen, *end = body + len;
    const char *close = memchr(start, '"', (size_t)(end - start));
    if (!close) return false;
    *value = start;
    *value_len = (size_t)(close - start);
    return true;
}

/* ---- options ---- */

struct options {
    const char *host;
    int port;
    const char *prefix;
    const char *client_id;
    char **devices;
    int device_count;
    long events;
    double rate;            /* events/s; 0: closed loop */
    long window;
    unsigned resend_ms;
    const char *run_id;
    double give_up_s;
    bool progress;
    struct template heartbeat, button, temperature, ack;
    bool have_event_templates, have_ack;
};

static void parse_broker(struct options *o, const char *arg) {
    const char *colon = strrchr(arg, ':');
    if (!colon) die("--broker takes HOST:PORT", arg);
    o->host = strndup(arg, (size_t)(colon - arg));
    o->port = atoi(colon + 1);
    if (o->port <= 0 || o->port > 65535) die("--broker has no valid port", arg);
}

static void parse_devices(struct options *o, const char *arg) {
    char *copy = strdup(arg);
    int n = 1;
    for (const char *p = arg; *p; p++) n += *p == ',';
    o->devices = must_alloc(sizeof(char *) * (size_t)n);
    o->device_count = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        o->devices[o->device_count++] = tok;
    if (o->device_count == 0) die("--devices names no device", arg);
}

__attribute__((noreturn)) static void usage(void) {
    fputs("usage: vigil-load load --broker HOST:PORT --devices A,B,... --events N [--rate R] [--window W]\n"
          "                  [--resend-ms MS] [--run-id ID] [--give-up S] [--prefix P] [--progress]\n"
          "                  --heartbeat BODY --button BODY --temperature BODY\n"
          "       vigil-load ack-only --broker HOST:PORT --ack BODY [--prefix P] [--client-id ID]\n"
          "Each BODY is an encoded message with " ID_SLOT " where the event id goes and, in an event,\n"
          TS_SLOT " where the device's clock goes.\n", stderr);
    exit(2);
}

static struct options parse(int argc, char **argv, const char **mode) {
    struct options o = {.prefix = "telecare", .events = 0, .window = 200, .resend_ms = 2000, .run_id = "load", .give_up_s = 120};
    static const struct option longs[] = {
        {"broker", required_argument, 0, 'b'},  {"devices", required_argument, 0, 'd'}, {"events", required_argument, 0, 'n'},
        {"rate", required_argument, 0, 'r'},    {"window", required_argument, 0, 'w'},  {"resend-ms", required_argument, 0, 's'},
        {"run-id", required_argument, 0, 'i'},  {"give-up", required_argument, 0, 'g'}, {"prefix", required_argument, 0, 'p'},
        {"progress", no_argument, 0, 'P'},      {"heartbeat", required_argument, 0, 'H'}, {"button", required_argument, 0, 'B'},
        {"temperature", required_argument, 0, 'T'}, {"ack", required_argument, 0, 'A'}, {"client-id", required_argument, 0, 'c'},
        {0, 0, 0, 0}};
    if (argc < 2) usage();
    *mode = argv[1];
    optind = 2;
    int heartbeat = 0, button = 0, temperature = 0, c;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 'b': parse_broker(&o, optarg); break;
        case 'd': parse_devices(&o, optarg); break;
        case 'n': o.events = atol(optarg); break;
        case 'r': o.rate = atof(optarg); break;
        case 'w': o.window = atol(optarg); break;
        case 's': o.resend_ms = (unsigned)atol(optarg); break;
        case 'i': o.run_id = optarg; break;
        case 'g': o.give_up_s = atof(optarg); break;
        case 'p': o.prefix = optarg; break;
        case 'P': o.progress = true; break;
        case 'H': o.heartbeat = template_from(optarg, "--heartbeat"); heartbeat = 1; break;
        case 'B': o.button = template_from(optarg, "--button"); button = 1; break;
        case 'T': o.temperature = template_from(optarg, "--temperature"); temperature = 1; break;
        case 'A': o.ack = template_from(optarg, "--ack"); o.have_ack = true; break;
        case 'c': o.client_id = optarg; break;
        default: usage();
        }
    }
    o.have_event_templates = heartbeat && button && temperature;
    if (!o.host) die("--broker is required", NULL);
    if (o.window < 1) o.window = 1;
    if (o.resend_ms < 1) o.resend_ms = 1;
    return o;
}

/* ---- the connection ---- */

static struct mosquitto *open_client(const struct options *o, const char *client_id, bool clean, void *state) {
    struct mosquitto *m = mosquitto_new(client_id, clean, state);
    if (!m) die("could not create a libmosquitto client", strerror(errno));
    /* Publishes queue until the turn's one write, as vigil serve's do. */
    mosquitto_threaded_set(m, true);
    mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    /* Bounded, as vigil serve's is: with no limit libmosquitto walks every unacknowledged message on
     * each PUBACK (MosquittoClient.Options.boundedInflight). */
    mosquitto_max_inflight_messages_set(m, 1000);
    int rc = mosquitto_connect(m, o->host, o->port, 30);
    if (rc != MOSQ_ERR_SUCCESS) die("could not connect to the broker", mosquitto_strerror(rc));
    return m;
}

/* One turn: wait for the socket up to `wait_ns`, read what is there, write what is queued. */
static int turn(struct mosquitto *m, uint64_t wait_ns) {
    int fd = mosquitto_socket(m);
    if (fd < 0) return MOSQ_ERR_NO_CONN;
    struct pollfd p = {.fd = fd, .events = POLLIN | (mosquitto_want_write(m) ? POLLOUT : 0)};
    struct timespec ts = {.tv_sec = (time_t)(wait_ns / 1000000000u), .tv_nsec = (long)(wait_ns % 1000000000u)};
    int n = ppoll(&p, 1, &ts, NULL);
    int rc = MOSQ_ERR_SUCCESS;
    if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
        /* Everything the socket has, a bounded number of packets at a time. */
        for (int i = 0; i < 4096; i++) {
            rc = mosquitto_loop_read(m, 1);
            if (rc != MOSQ_ERR_SUCCESS) return rc;
            struct pollfd again = {.fd = fd, .events = POLLIN};
            if (poll(&again, 1, 0) <= 0) break;
        }
    }
    if (mosquitto_want_write(m)) {
        rc = mosquitto_loop_write(m, 1);
        if (rc != MOSQ_ERR_SUCCESS) return rc;
    }
    return mosquitto_loop_misc(m);
}

/* ---- load ---- */

enum { UNSENT = 0, PENDING = 1, SETTLED = 2 };

struct due { uint64_t at; uint32_t event; uint32_t delay_ms; };

struct load {
    const struct options *o;
    struct mosquitto *m;
    uint8_t *state;
    uint64_t *first_sent;
    uint32_t *latency_us;
    long latencies;
    struct due *heap;
    long heap_len;
    long outstanding;
    long sent, resends, acked, accepted, duplicates, rejected, late_acks;
    size_t run_prefix_len;
    char run_prefix[128];
    bool subscribed;
    char body[8192];
    char topic[512];
};

static void heap_push(struct load *l, struct due d) {
    long i = l->heap_len++;
    while (i > 0) {
        long parent = (i - 1) / 2;
        if (l->heap[parent].at <= d.at) break;
        l->heap[i] = l->heap[parent];
        i = parent;
    }
    l->heap[i] = d;
}

static struct due heap_pop(struct load *l) {
    struct due top = l->heap[0], last = l->heap[--l->heap_len];
    long i = 0;
    for (;;) {
        long child = 2 * i + 1;
        if (child >= l->heap_len) break;
        if (child + 1 < l->heap_len && l->heap[child + 1].at < l->heap[child].at) child++;
        if (last.at <= l->heap[child].at) break;
        l->heap[i] = l->heap[child];
        i = child;
    }
    if (l->heap_len > 0) l->heap[i] = last;
    return top;
}

/* The n-th event: mostly heartbeats, a press and a temperature reading in every fifty, spread over
 * every device (the same mix as VigilSimulation's FloodPlan). */
static void publish_event(struct load *l, uint32_t n) {
    const struct options *o = l->o;
    const char *device = o->devices[n % (uint32_t)o->device_count];
    const struct template *t = &o->heartbeat;
    switch ((n + n / (uint32_t)o->device_count) % 50) {
    case 0: t = &o->button; break;
    case 25: t = &o->temperature; break;
    }
    char id[160], ts[32];
    int id_len = snprintf(id, sizeof id, "%s%u", l->run_prefix, n);
    wall_clock(ts);
    size_t len = fill(t, id, (size_t)id_len, ts, l->body, sizeof l->body);
    snprintf(l->topic, sizeof l->topic, "%s/v1/devices/%s/events", o->prefix, device);
    if (len) mosquitto_publish(l->m, NULL, l->topic, (int)len, l->body, 1, false);
}

static void send_new(struct load *l, uint32_t n, uint64_t now) {
    l->state[n] = PENDING;
    l->first_sent[n] = now;
    l->outstanding++;
    l->sent++;
    heap_push(l, (struct due){now + (uint64_t)l->o->resend_ms * 1000000u, n, l->o->resend_ms});
    publish_event(l, n);
}

static void resend_overdue(struct load *l, uint64_t now) {
    while (l->heap_len > 0 && l->heap[0].at <= now) {
        struct due d = heap_pop(l);
        if (l->state[d.event] != PENDING) continue;
        /* As an alarm unit backs off: double the wait, up to 30 s. */
        uint32_t delay = d.delay_ms * 2 > MAX_RESEND_MS ? MAX_RESEND_MS : d.delay_ms * 2;
        heap_push(l, (struct due){now + (uint64_t)delay * 1000000u, d.event, delay});
        l->resends++;
        publish_event(l, d.event);
    }
}

/* On every CONNACK: a refusal ends the run; otherwise subscribe to every device's `channel`. */
static void subscribe_on_connect(struct mosquitto *m, const struct options *o, int rc, const char *channel) {
    if (rc != 0) {
        fprintf(stderr, "vigil-load: the broker refused the connection: %s\n", mosquitto_connack_string(rc));
        exit(2);
    }
    char topic[256];
    snprintf(topic, sizeof topic, "%s/v1/devices/+/%s", o->prefix, channel);
    mosquitto_subscribe(m, NULL, topic, 1);
}

static void on_load_connect(struct mosquitto *m, void *obj, int rc) {
    subscribe_on_connect(m, ((struct load *)obj)->o, rc, "acks");
}

static void on_load_subscribe(struct mosquitto *m, void *obj, int mid, int count, const int *granted) {
    (void)m; (void)mid; (void)count; (void)granted;
    ((struct load *)obj)->subscribed = true;
}

static void on_ack(struct mosquitto *m, void *obj, const struct mosquitto_message *msg) {
    (void)m;
    struct load *l = obj;
    const char *id, *status;
    size_t id_len, status_len;
    if (!msg->payload || !string_field(msg->payload, (size_t)msg->payloadlen, "id", &id, &id_len)) return;
    /* Another run's ack (a resend answered after that run ended): not ours to count. */
    if (id_len <= l->run_prefix_len || memcmp(id, l->run_prefix, l->run_prefix_len) != 0) return;
    char digits[24];
    size_t dl = id_len - l->run_prefix_len;
    if (dl >= sizeof digits) return;
    memcpy(digits, id + l->run_prefix_len, dl);
    digits[dl] = 0;
    char *end;
    unsigned long n = strtoul(digits, &end, 10);
    if (*end || n >= (unsigned long)l->o->events) return;
    if (l->state[n] != PENDING) {
        l->late_acks++;
        return;
    }
    l->state[n] = SETTLED;
    l->outstanding--;
    l->acked++;
    uint64_t us = (now_ns() - l->first_sent[n]) / 1000u;
    l->latency_us[l->latencies++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
    if (string_field(msg->payload, (size_t)msg->payloadlen, "status", &status, &status_len)) {
        if (status_len == 8 && !memcmp(status, "accepted", 8)) l->accepted++;
        else if (status_len == 9 && !memcmp(status, "duplicate", 9)) l->duplicates++;
        else if (status_len == 8 && !memcmp(status, "rejected", 8)) l->rejected++;
    }
}

static int by_value(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static uint32_t percentile(const uint32_t *sorted, long n, double p) {
    if (n == 0) return 0;
    long i = (long)(p / 100.0 * (double)n + 0.5) - 1;
    if (i < 0) i = 0;
    if (i >= n) i = n - 1;
    return sorted[i];
}

static int run_load(const struct options *o) {
    if (!o->devices || o->events <= 0 || !o->have_event_templates)
        die("load needs --devices, --events and the --heartbeat, --button and --temperature bodies", NULL);
    struct load *l = must_alloc(sizeof *l);
    l->o = o;
    l->state = must_alloc((size_t)o->events);
    l->first_sent = must_alloc(sizeof(uint64_t) * (size_t)o->events);
    l->latency_us = must_alloc(sizeof(uint32_t) * (size_t)o->events);
    /* Every pending event has one entry, and so does each settled one until its time comes up. */
    l->heap = must_alloc(sizeof(struct due) * (size_t)o->events);
    l->run_prefix_len = (size_t)snprintf(l->run_prefix, sizeof l->run_prefix, "%s-", o->run_id);

    l->m = open_client(o, NULL, true, l);
    mosquitto_connect_callback_set(l->m, on_load_connect);
    mosquitto_subscribe_callback_set(l->m, on_load_subscribe);
    mosquitto_message_callback_set(l->m, on_ack);
    uint64_t ready_by = now_ns() + 10 * 1000000000ull;
    while (!l->subscribed && !stopping) {
        if (now_ns() > ready_by) die("no subscription to acks within 10 s", NULL);
        int rc = turn(l->m, 20 * 1000000u);
        if (rc != MOSQ_ERR_SUCCESS) die("lost the broker before the run began", mosquitto_strerror(rc));
    }

    uint64_t start = now_ns(), give_up = start + (uint64_t)(o->give_up_s * 1e9), next_progress = start + 1000000000u;
    long next = 0;
    while (!stopping) {
        uint64_t now = now_ns();
        if (now >= give_up) break;
        long limit = o->events;
        if (o->rate > 0) {
            long due = (long)((double)(now - start) / 1e9 * o->rate) + 1;
            if (due < limit) limit = due;
        }
        while (next < limit && l->outstanding < o->window) send_new(l, (uint32_t)next++, now);
        if (next >= o->events && l->outstanding == 0) break;
        resend_overdue(l, now);
        /* Sleep until the next scheduled send or resend, at most 5 ms. */
        uint64_t wake = now + 5000000u;
        if (o->rate > 0 && next < o->events) {
            uint64_t send_at = start + (uint64_t)((double)next / o->rate * 1e9);
            if (send_at < wake) wake = send_at;
        }
        if (l->heap_len > 0 && l->heap[0].at < wake) wake = l->heap[0].at;
        int rc = turn(l->m, wake > now ? wake - now : 0);
        if (rc != MOSQ_ERR_SUCCESS) {
            /* Devices keep their events and resend them; reconnect and carry on. */
            fprintf(stderr, "vigil-load: connection lost (%s), reconnecting\n", mosquitto_strerror(rc));
            while (!stopping && mosquitto_reconnect(l->m) != MOSQ_ERR_SUCCESS) {
                struct timespec pause = {0, 100000000};
                nanosleep(&pause, NULL);
            }
        }
        if (o->progress && now >= next_progress) {
            struct timespec wall;
            clock_gettime(CLOCK_REALTIME, &wall);
            fprintf(stderr, "progress %.1f sent %ld acked %ld outstanding %ld resends %ld late_acks %ld wall %.3f\n",
                    (double)(now - start) / 1e9, l->sent, l->acked, l->outstanding, l->resends, l->late_acks,
                    (double)wall.tv_sec + (double)wall.tv_nsec / 1e9);
            next_progress += 1000000000u;
        }
    }
    double seconds = (double)(now_ns() - start) / 1e9;
    mosquitto_disconnect(l->m);
    mosquitto_loop_write(l->m, 1);

    qsort(l->latency_us, (size_t)l->latencies, sizeof(uint32_t), by_value);
    printf("sent %ld\nresends %ld\nacked %ld\naccepted %ld\nduplicates %ld\nrejected %ld\nlate_acks %ld\n",
           l->sent, l->resends, l->acked, l->accepted, l->duplicates, l->rejected, l->late_acks);
    printf("seconds %.6f\np50_us %u\np90_us %u\np99_us %u\nmax_us %u\n", seconds,
           percentile(l->latency_us, l->latencies, 50), percentile(l->latency_us, l->latencies, 90),
           percentile(l->latency_us, l->latencies, 99), l->latencies ? l->latency_us[l->latencies - 1] : 0);
    for (long n = 0; n < o->events; n++)
        if (l->state[n] != SETTLED) printf("unacked %s%ld\n", l->run_prefix, n);
    mosquitto_destroy(l->m);
    return 0;
}

/* ---- ack-only ---- */

struct responder {
    const struct options *o;
    size_t head_len;          /* "PREFIX/v1/devices/" */
    long answered;
    char body[8192];
    char topic[512];
};

static void on_responder_connect(struct mosquitto *m, void *obj, int rc) {
    subscribe_on_connect(m, ((struct responder *)obj)->o, rc, "events");
}

static void on_event(struct mosquitto *m, void *obj, const struct mosquitto_message *msg) {
    struct responder *r = obj;
    size_t topic_len = strlen(msg->topic);
    static const char tail[] = "/events";
    if (topic_len <= r->head_len + sizeof tail - 1) return;
    const char *device = msg->topic + r->head_len;
    size_t device_len = topic_len - r->head_len - (sizeof tail - 1);
    const char *id;
    size_t id_len;
    if (!msg->payload || !string_field(msg->payload, (size_t)msg->payloadlen, "id", &id, &id_len)) return;
    int tl = snprintf(r->topic, sizeof r->topic, "%s/v1/devices/%.*s/acks", r->o->prefix, (int)device_len, device);
    size_t len = fill(&r->o->ack, id, id_len, NULL, r->body, sizeof r->body);
    if (tl <= 0 || (size_t)tl >= sizeof r->topic || !len) return;
    if (mosquitto_publish(m, NULL, r->topic, (int)len, r->body, 1, false) == MOSQ_ERR_SUCCESS) r->answered++;
}

static int run_ack_only(const struct options *o) {
    if (!o->have_ack) die("ack-only needs --ack", NULL);
    struct responder *r = must_alloc(sizeof *r);
    r->o = o;
    r->head_len = strlen(o->prefix) + strlen("/v1/devices/");
    /* A persistent session, as vigil serve's: the broker keeps events for it across a reconnect. */
    struct mosquitto *m = open_client(o, o->client_id ? o->client_id : "vigil-ack-only", false, r);
    mosquitto_connect_callback_set(m, on_responder_connect);
    mosquitto_message_callback_set(m, on_event);
    while (!stopping) {
        int rc = turn(m, 100 * 1000000u);
        if (rc != MOSQ_ERR_SUCCESS && !stopping) {
            struct timespec pause = {0, 100000000};
            nanosleep(&pause, NULL);
            mosquitto_reconnect(m);
        }
    }
    mosquitto_disconnect(m);
    mosquitto_loop_write(m, 1);
    mosquitto_destroy(m);
    printf("answered %ld\n", r->answered);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode;
    struct options o = parse(argc, argv, &mode);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    mosquitto_lib_init();
    int rc;
    if (!strcmp(mode, "load")) rc = run_load(&o);
    else if (!strcmp(mode, "ack-only")) rc = run_ack_only(&o);
    else usage();
    mosquitto_lib_cleanup();
    return rc;
}
