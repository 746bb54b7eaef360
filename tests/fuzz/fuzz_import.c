/*
 * fuzz_import.c: fuzz target for the CSV importer (tally/history/). The
 * first byte picks the kind (G governor-csv, S csv with a fixed map and
 * type auto, P snapshot-csv as basic, else snapshot-csv); the rest is the
 * file. Any file gives exports or a data error naming the file, and every
 * export it gives is read back by the export reader without an error: the
 * importer never writes what the reader refuses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_memfile.h"
#include "history/history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    gvt_import_options opt;
    memset(&opt, 0, sizeof opt);
    opt.decimals = -1;
    switch (data[0]) {
    case 'G':
        opt.kind = GVT_IMPORT_GOVERNOR_CSV;
        break;
    case 'S':
        opt.kind = GVT_IMPORT_CSV;
        opt.map = "voter=voter,choice=choice,vp=voting_power,"
                  "proposal=proposal_id,created=created,space=symbol";
        opt.type = "auto";
        break;
    case 'P':
        opt.kind = GVT_IMPORT_SNAPSHOT_CSV;
        opt.type = "basic";
        break;
    default:
        opt.kind = GVT_IMPORT_SNAPSHOT_CSV;
    }
    const char *path = fuzz_memfile("in.csv", data + 1, size - 1);
    gvt_buf *docs = NULL;
    size_t n = 0;
    gvt_import_stats stats;
    gvt_error err;
    gvt_status st = gvt_import_docs(path, &opt, &docs, &n, &stats, &err);
    if (st != GVT_OK) {
        if (docs || n || (st != GVT_ERR_DATA && st != GVT_ERR_USAGE) ||
            !err.message[0] || strcmp(err.file, path) != 0)
            abort();
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        gvt_proposal *p = NULL;
        gvt_error e;
        if (gvt_proposal_read_mem("import", docs[i].data, docs[i].len, &p,
                                  &e) != GVT_OK) {
            fprintf(stderr, "fuzz_import: export %zu refused: %s\n", i,
                    e.message);
            abort();
        }
        gvt_proposal_free(p);
        gvt_buf_free(&docs[i]);
    }
    free(docs);
    return 0;
}
