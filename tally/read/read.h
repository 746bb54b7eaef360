/*
 * read.h: the export reader (docs/formats.md#proposal-export -> the ballot
 * store). Its public entry points are gvt_proposal_read_* in govtally.h; what
 * the tests reach is here.
 */
#ifndef GVT_READ_H
#define GVT_READ_H

#include "store/store.h"

/* gvt_proposal_read_stream over a buffer in memory (for the tests). */
gvt_status gvt_proposal_read_stream_mem(const char *name, const void *data,
                                        size_t size, gvt_proposal_fn fn,
                                        void *ctx, gvt_error *err);

/*
 * gvt_proposal_read_stream_opt taking the SHA-256 of the bytes read into
 * digest (NULL: none; docs/audit.md): complete when the stream was read to
 * its end (GVT_OK, fn never asking to stop).
 */
gvt_status gvt_proposal_read_stream_digest(const char *path,
                                           const gvt_read_options *opt,
                                           gvt_proposal_fn fn, void *ctx,
                                           gvt_digest *digest, gvt_error *err);

/*
 * gvt_proposal_read_mem_opt, and on failure the proposal's id into id (room
 * bytes, "" when the failure came before the id or room is 0): replay's
 * error rows name the proposal whose document is broken.
 */
gvt_status gvt_proposal_read_mem_id(const char *name, const void *data,
                                    size_t size, const gvt_read_options *opt,
                                    gvt_proposal **out_proposal, gvt_error *err,
                                    char *id, size_t room);

/*
 * For the tests: where the reader looks for the boundary at which a single
 * document is split between two threads: -1 automatic (the middle of the
 * rest of a large input, with 2 or more cores), 0 never, > 0 from this byte
 * offset on, whatever the size. Not thread-safe; process-wide.
 */
void gvt_reader_split_for_tests(long long at);
/* How many split reads had their second half merged (for the tests). */
unsigned long gvt_reader_splits_merged(void);
/* For the tests: the reader's fast lane for plain votes on (default) or
 * off (YAJL's events only); not thread-safe, process-wide. And how many
 * votes the lane has committed so far. */
void gvt_reader_lane_for_tests(bool on);
unsigned long gvt_reader_lane_votes(void);

#endif /* GVT_READ_H */
