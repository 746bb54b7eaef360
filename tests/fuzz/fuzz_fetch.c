/*
 * fuzz_fetch.c: the fuzz target of the parsers of servers' answers
 * (tally/fetch/): any bytes either parse or fail with a message, never
 * crash; a parsed document written back parses again to the same text
 * (numbers keep their text); a page of votes is accepted or refused with a
 * JSON path, and an accepted one writes votes that parse as JSON.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const gvt_jval *root)
{
    gvt_buf a, b;
    gvt_buf_init(&a);
    gvt_buf_init(&b);
    gvt_jwrite(&a, root);
    char why[128];
    long long at;
    gvt_jdoc *again = gvt_jdoc_parse(a.data, a.len, why, sizeof why, &at);
    if (!again)
        abort();
    gvt_jwrite(&b, gvt_jdoc_root(again));
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
        abort();
    gvt_jdoc_free(again);
    gvt_buf_free(&a);
    gvt_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[128];
    long long at = -1;
    gvt_jdoc *d =
        gvt_jdoc_parse((const char *)data, size, why, sizeof why, &at);
    if (d) {
        roundtrip(gvt_jdoc_root(d));
        gvt_jdoc_free(d);
    } else if (!why[0] || at < 0 || at > (long long)size) {
        abort();
    }
    for (int at_mode = 0; at_mode < 2; at_mode++) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        if (!out)
            abort();
        gvt_error err;
        gvt_error_clear(&err);
        fputc('[', out);
        gvt_status st = gvt_fetch_page_for_tests(
            (const char *)data, size, 1700000000, at_mode, out, &err);
        fputc(']', out);
        fclose(out);
        if (st != GVT_OK && (st != GVT_ERR_DATA || !err.message[0]))
            abort();
        if (st == GVT_OK) {
            gvt_jdoc *votes = gvt_jdoc_parse(text, len, why, sizeof why, &at);
            if (!votes)
                abort();
            gvt_jdoc_free(votes);
        }
        free(text);
    }
    /* An eth_getLogs answer through the governor's event decoding: each
     * proposal written is one export the reader accepts. */
    for (int kind = 0; kind < 4; kind++) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        if (!out)
            abort();
        gvt_error err;
        gvt_error_clear(&err);
        gvt_status st =
            gvt_fetch_logs_for_tests((const char *)data, size, kind, out, &err);
        fclose(out);
        if (st != GVT_OK && (st != GVT_ERR_DATA || !err.message[0]))
            abort();
        for (char *line = text; st == GVT_OK && line && *line;) {
            char *nl = strchr(line, '\n');
            if (!nl)
                abort();
            gvt_proposal *p = NULL;
            gvt_error rerr;
            if (gvt_proposal_read_mem("fuzz", line, (size_t)(nl - line), &p,
                                      &rerr) != GVT_OK &&
                rerr.code != GVT_ERR_DATA)
                abort();
            gvt_proposal_free(p);
            line = nl + 1;
        }
        free(text);
    }
    return 0;
}
