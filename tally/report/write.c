/*
 * write.c: gvt_result_write, the dispatch to the writer of a format. Each
 * writer appends its whole report to one buffer, which is then written out:
 * a report is never half written by a writer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

GVT_API gvt_status gvt_result_write(const gvt_result *r, gvt_format format,
                                    int color, FILE *out, gvt_error *err)
{
    gvt_write_options opt = {.color = color, .width = 80};
    return gvt_result_write_with(r, format, &opt, out, err);
}

GVT_API gvt_status gvt_result_write_with(const gvt_result *r, gvt_format format,
                                         const gvt_write_options *opt,
                                         FILE *out, gvt_error *err)
{
    gvt_write_options plain = {.width = 80};
    if (!opt)
        opt = &plain;
    gvt_buf b;
    gvt_buf_init(&b);
    switch (format) {
    case GVT_FORMAT_JSON:
        gvt_report_json(r, &b);
        break;
    case GVT_FORMAT_TEXT:
        gvt_report_text(r, opt->color, opt->width, &b);
        break;
    case GVT_FORMAT_CSV:
        gvt_report_csv(r, &b);
        break;
    case GVT_FORMAT_HTML:
        gvt_report_html(r, &b);
        break;
    default:
        gvt_error_set(err, GVT_ERR_USAGE, NULL, "unknown format %d",
                      (int)format);
        return GVT_ERR_USAGE;
    }
    size_t n = b.len;
    bool ok = n == 0 || fwrite(b.data, 1, n, out) == n;
    gvt_buf_free(&b);
    if (!ok) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                      "cannot write the report: %s", strerror(errno));
        return GVT_ERR_CANTCREAT;
    }
    return GVT_OK;
}
