/*
 * http.c: the one HTTP client of govtally fetch (libcurl's easy interface),
 * which POSTs a JSON request and parses the JSON answer, with the rules of
 * docs/fetch.md:
 *   - politeness: at most opt->rate requests a second (default 1.5: the hub
 *     allows a caller without an API key 100 requests a minute);
 *   - retries: a connection refused or reset, a time-out, a body cut short,
 *     HTTP 5xx or an answer that is not JSON is tried again after a delay
 *     that doubles from opt->backoff_ms up to 30 s, opt->retries times at
 *     most (an answer that is not JSON twice at most);
 *   - HTTP 429 waits for the Retry-After the server gave (the backoff when
 *     none, 300 s at most) and does not use the retry budget, 30 in a row at
 *     most;
 *   - bounds: 10 s to connect, opt->timeout_s for a whole request, a stall
 *     of 60 s without a byte, an answer of 256 MiB.
 * The API key (SNAPSHOT_API_KEY) goes in the x-api-key header, where the hub
 * looks for it (snapshot-hub src/helpers/keycard.ts).
 */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch/fetch.h"

#define MAX_ANSWER ((size_t)256 << 20)
#define MAX_DELAY_MS 30000L
#define MAX_RETRY_AFTER_S 300L
#define MAX_429_IN_A_ROW 30
#define MAX_NOT_JSON 2

struct gvt_http {
    CURL *curl;
    struct curl_slist *headers;
    char *url;
    double min_interval; /* seconds between request starts */
    double last_start;
    int retries;
    long backoff_ms;
    gvt_buf answer;
    bool too_big;
    unsigned long requests, retried;
    char curl_error[CURL_ERROR_SIZE];
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_seconds(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = {.tv_sec = (time_t)s,
                          .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
    gvt_http *h = ctx;
    size_t len = size * n;
    if (h->answer.len + len > MAX_ANSWER) {
        h->too_big = true;
        return 0; /* libcurl stops with CURLE_WRITE_ERROR */
    }
    gvt_buf_add(&h->answer, p, len);
    return len;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_started;

static void start_curl(void)
{
    curl_started = curl_global_init(CURL_GLOBAL_DEFAULT);
}

gvt_http *gvt_http_new(const gvt_fetch_options *opt, const char *default_url,
                       gvt_error *err)
{
    pthread_once(&curl_once, start_curl);
    const char *url = opt && opt->url ? opt->url : default_url;
    CURL *c = curl_started == CURLE_OK ? curl_easy_init() : NULL;
    if (!c) {
        gvt_error_set(err, GVT_ERR_INTERNAL, url, "libcurl cannot start");
        return NULL;
    }
    gvt_http *h = gvt_xcalloc(1, sizeof *h);
    h->curl = c;
    h->url = gvt_xstrdup(url);
    double rate = opt && opt->rate >= 0 ? opt->rate : 1.5;
    h->min_interval = rate > 0 ? 1.0 / rate : 0;
    h->last_start = -1e9;
    h->retries = opt && opt->retries >= 0 ? opt->retries : 6;
    h->backoff_ms = opt && opt->backoff_ms > 0 ? opt->backoff_ms : 1000;
    long timeout = opt && opt->timeout_s > 0 ? opt->timeout_s : 120;
    gvt_buf_init(&h->answer);

    h->headers = curl_slist_append(NULL, "Content-Type: application/json");
    h->headers = curl_slist_append(h->headers, "Accept: application/json");
    if (opt && opt->api_key && *opt->api_key) {
        gvt_buf line;
        gvt_buf_init(&line);
        gvt_buf_printf(&line, "x-api-key: %s", opt->api_key);
        h->headers = curl_slist_append(h->headers, line.data);
        gvt_buf_free(&line);
    }
    curl_easy_setopt(c, CURLOPT_URL, h->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "govtally/" GVT_VERSION);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->curl_error);
    return h;
}

void gvt_http_free(gvt_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->headers);
    gvt_buf_free(&h->answer);
    free(h->url);
    free(h);
}

const char *gvt_http_url(const gvt_http *h)
{
    return h ? h->url : "(test)";
}

unsigned long gvt_http_requests(const gvt_http *h)
{
    return h->requests;
}

unsigned long gvt_http_retries(const gvt_http *h)
{
    return h->retried;
}

/* What one attempt came to. */
enum outcome { DONE, RETRY, WAIT_429, FAIL };

/* A transport error worth another try (the server may come back). */
static bool transient(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
        return true;
    default:
        return false;
    }
}

/* A short, printable head of the answer for messages. */
static void answer_head(const gvt_buf *b, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len && n + 1 < size && i < 120; i++) {
        unsigned char c = (unsigned char)b->data[i];
        out[n++] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
    }
    out[n] = '\0';
}

static enum outcome attempt(gvt_http *h, const char *body, size_t len,
                            gvt_jdoc **doc, long *wait_s, char *why,
                            size_t why_size, gvt_status *code)
{
    double gap = h->last_start + h->min_interval - now();
    sleep_seconds(gap);
    h->last_start = now();
    h->requests++;
    h->answer.len = 0;
    h->too_big = false;
    h->curl_error[0] = '\0';
    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    CURLcode rc = curl_easy_perform(h->curl);
    if (rc != CURLE_OK) {
        if (h->too_big) {
            snprintf(why, why_size, "answer larger than %zu MiB",
                     MAX_ANSWER >> 20);
            *code = GVT_ERR_DATA;
            return FAIL;
        }
        snprintf(why, why_size, "%s",
                 h->curl_error[0] ? h->curl_error : curl_easy_strerror(rc));
        *code = GVT_ERR_NOINPUT;
        return transient(rc) ? RETRY : FAIL;
    }
    long status = 0;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
    char head[128];
    answer_head(&h->answer, head, sizeof head);
    if (status == 429) {
        curl_off_t after = 0;
        curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &after);
        *wait_s = (long)after;
        snprintf(why, why_size, "HTTP 429 (too many requests), Retry-After %ld",
                 *wait_s);
        *code = GVT_ERR_NOINPUT;
        return WAIT_429;
    }
    if (status >= 500 || status < 200) {
        snprintf(why, why_size, "HTTP %ld: %s", status, head);
        *code = GVT_ERR_NOINPUT;
        return RETRY;
    }
    if (status >= 300) {
        snprintf(why, why_size, "HTTP %ld: %s", status, head);
        *code = GVT_ERR_NOINPUT;
        return FAIL;
    }
    char what[160];
    long long at = 0;
    *doc = gvt_jdoc_parse(h->answer.data ? h->answer.data : "", h->answer.len,
                          what, sizeof what, &at);
    if (*doc)
        return DONE;
    snprintf(why, why_size, "the answer is not JSON (%s at byte %lld of %zu)",
             what, at, h->answer.len);
    *code = GVT_ERR_DATA;
    return RETRY;
}

gvt_status gvt_http_post(gvt_http *h, const char *body, size_t len,
                         const char *what, gvt_jdoc **out_doc, gvt_error *err)
{
    *out_doc = NULL;
    int failures = 0, in_a_row_429 = 0, not_json = 0;
    char why[512];
    for (;;) {
        long wait_s = 0;
        gvt_status code = GVT_OK;
        enum outcome o =
            attempt(h, body, len, out_doc, &wait_s, why, sizeof why, &code);
        if (o == DONE)
            return GVT_OK;
        long delay_ms = h->backoff_ms;
        for (int i = 0; i < failures && delay_ms < MAX_DELAY_MS; i++)
            delay_ms *= 2;
        if (delay_ms > MAX_DELAY_MS)
            delay_ms = MAX_DELAY_MS;
        if (o == WAIT_429) {
            if (++in_a_row_429 > MAX_429_IN_A_ROW ||
                wait_s > MAX_RETRY_AFTER_S) {
                gvt_error_set(err, GVT_ERR_NOINPUT, h->url,
                              "%s: the server keeps refusing: %s", what, why);
                return GVT_ERR_NOINPUT;
            }
            h->retried++;
            sleep_seconds(wait_s > 0 ? (double)wait_s : delay_ms / 1000.0);
            continue;
        }
        in_a_row_429 = 0;
        if (code == GVT_ERR_DATA && o == RETRY && ++not_json > MAX_NOT_JSON)
            o = FAIL;
        if (o == FAIL || failures >= h->retries) {
            if (o == RETRY)
                gvt_error_set(err, code, h->url,
                              "%s: failed after %d attempts: %s", what,
                              failures + 1, why);
            else
                gvt_error_set(err, code, h->url, "%s: %s", what, why);
            return code;
        }
        failures++;
        h->retried++;
        sleep_seconds(delay_ms / 1000.0);
    }
}
