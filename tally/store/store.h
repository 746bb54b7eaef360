/*
 * store.h: a proposal and its ballots in memory (the ballot store), and
 * choices: their raw form as read, decoded against the proposal's type and
 * checked with Snapshot's isValidChoice.
 *
 *   proposal.c  the store; gvt_proposal_finish (duplicates, invalid choices,
 *               Snapshot's scores_total)
 *   choice.c    raw choice tokens, decoding, validity, per-choice terms
 *   names.c     the names of decision rules and outcomes
 */
#ifndef GVT_STORE_H
#define GVT_STORE_H

#include "core/core.h"

/*
 * A ballot's choice, decoded once and checked against the proposal's type.
 * idx lists 0-based choice indices:
 *   single-choice, basic  one index
 *   approval              the approved indices that Snapshot credits
 *                         (JSON numbers only: an element "2" is valid but
 *                         credited nowhere), ascending, without repeats
 *   ranked-choice,        the ranking, first preference first (n entries)
 *   copeland
 *   quadratic, weighted   the canonically keyed choices ("1".."n") in
 *                         ascending order, with their weights in w; total is
 *                         the sum of every value of the object, including
 *                         values under keys Snapshot never credits ("01").
 */
typedef struct gvt_choice {
    uint32_t n;
    uint32_t *idx;
    mpz_t *w;    /* quadratic and weighted only, else NULL */
    mpz_t total; /* quadratic and weighted only */
} gvt_choice;

typedef enum gvt_ballot_status {
    GVT_BALLOT_COUNTED = 0,
    GVT_BALLOT_DUPLICATE,
    GVT_BALLOT_INVALID_CHOICE,
    GVT_BALLOT_ENCRYPTED /* a Shutter ciphertext still: encrypted */
} gvt_ballot_status;

/* How a ballot's vote id is stored (gvt_ballot.id_kind). */
enum {
    GVT_ID_NONE = 0, /* no id: it reads as "" */
    GVT_ID_HEX,      /* canonical "0x" + 64 lower-case hex digits, held as
                        the 32 bytes they spell, right after the voter's NUL */
    GVT_ID_TEXT      /* any other id: its NUL-terminated text, right after
                        the voter's NUL */
};

/* Room for a vote id's text from gvt_ballot_id when it is canonical. */
#define GVT_BALLOT_ID_HEX_SIZE 67

/*
 * One vote. A million of them stand in memory together, so the struct is
 * packed (48 bytes) and the id lives behind the voter's text in the same
 * arena block: read it with gvt_ballot_id. Hand-built ballots (zeroed, then
 * filled) have no id.
 */
typedef struct gvt_ballot {
    const char *voter;  /* lower-case address (arena); the id follows its NUL
                           as id_kind says */
    int64_t created;    /* INT64_MIN when absent */
    gvt_choice *choice; /* NULL when the choice is invalid */
    mpz_t vp;           /* fixed point, >= 0 */
    uint32_t input;     /* position in the input, from 0 */
    uint8_t status;     /* gvt_ballot_status */
    uint8_t id_kind;    /* GVT_ID_NONE, GVT_ID_HEX or GVT_ID_TEXT */
    uint8_t sealed;     /* the choice was a "0x..." string: Shutter's
                           ciphertext on a proposal with privacy "shutter" */
    uint8_t zero;       /* invalid, and its choice names choice 0
                           (gvt_choice_names_zero) */
} gvt_ballot;

/*
 * A ballot's vote id as text ("" when absent): a pointer into the arena, or
 * buf (GVT_BALLOT_ID_HEX_SIZE bytes) filled with a canonical id's text.
 */
const char *gvt_ballot_id(const gvt_ballot *b, char *buf);

/*
 * The proposal's decision rule as its export gives it (docs/outcomes.md,
 * docs/formats.md#proposal-fields): the text of each value (numbers as their
 * JSON text), NULL when absent or null. Read by the outcome module
 * (tally/outcome/), which gives them their meaning.
 */
typedef struct gvt_rule_text {
    const char *rule;         /* "rule": snapshot, openzeppelin, ... */
    const char *quorum;       /* "quorum": an amount of voting power */
    const char *quorum_type;  /* "quorumType": Snapshot's default, rejection */
    const char *quorum_share; /* "quorum_share": a share of the supply */
    const char *support;      /* "support": the share of For needed */
    const char *supply;       /* "supply": the voting power in existence */
} gvt_rule_text;

struct gvt_proposal {
    gvt_arena *arena;
    const char *source; /* file name as given */
    const char *id;
    const char *space;
    const char *title; /* "" when absent */
    const char *state; /* the hub's "pending", "active", "closed"; "" */
    gvt_type type;
    uint32_t n_choices;
    const char **choices;
    int64_t start, end; /* INT64_MIN when absent */
    /* What the hub recorded (the export's scores and scores_total, as the
     * numbers' JSON text), NULL when absent: checked against the recount. */
    const char **hub_scores;
    uint32_t n_hub_scores;
    const char *hub_scores_total;
    uint32_t n_strategies;
    gvt_rule_text rule;
    bool shutter; /* privacy "shutter": sealed ballots are `encrypted` */
    /* Ballots in input order. */
    gvt_ballot *ballots;
    size_t n_ballots;
    gvt_ballot_counts counts;
    /* Snapshot's scores_total: the vp of every non-duplicate ballot, valid
     * or not, except for copeland (valid only). */
    mpz_t scores_total;
    /* Invalid ballots (not duplicates) whose choice names choice 0. */
    size_t zero_choice;
    /* Set by the JSON reader (tally/read/) on the proposals it hands out: every
     * ballot's vp and choice weights are read-only views of arena limbs
     * (_mp_alloc 0), so gvt_proposal_free need not visit the ballots. False
     * (gvt_proposal_new's default) means: check each one. */
    bool views_only;
    /* What it was read from (docs/audit.md): each file with its size and
     * SHA-256 (role "export"); empty for a proposal built otherwise. And
     * whether it was picked out of many by its id (gvt_proposal_pick). */
    gvt_inputs inputs;
    bool picked_by_id;
};

/* Creates an empty proposal; the reader and the CSV import fill it. */
gvt_proposal *gvt_proposal_new(const char *source);

/*
 * Applies the counting rules of docs/formats.md#proposal-export after the
 * ballots are in: marks all but the greatest (created, id) per voter as
 * duplicates, counts invalid choices and computes scores_total. Called once by
 * every reader.
 */
void gvt_proposal_finish(gvt_proposal *p, unsigned threads);

/* ---- choice.c: a vote's choice, raw and decoded ----------------------------
 *
 * The reader captures a vote's "choice" value as a compact token list (the
 * raw form) and decodes it with the proposal's type: at once when the
 * proposal came first, otherwise when the document ends. Raw tokens are one
 * byte; GVT_RAW_NUMBER, GVT_RAW_STRING and GVT_RAW_KEY are followed by a
 * 4-byte length (host order) and the text (a number's original JSON text, a
 * string's decoded UTF-8 bytes).
 */
enum {
    GVT_RAW_NULL = 'n',
    GVT_RAW_TRUE = 't',
    GVT_RAW_FALSE = 'f',
    GVT_RAW_NUMBER = '#',
    GVT_RAW_STRING = 's',
    GVT_RAW_ARRAY = '[',
    GVT_RAW_ARRAY_END = ']',
    GVT_RAW_MAP = '{',
    GVT_RAW_MAP_END = '}',
    GVT_RAW_KEY = 'k'
};

/* Appends a token without text, or one with text, to a raw form. */
void gvt_choice_raw_token(gvt_buf *raw, char tok);
void gvt_choice_raw_text(gvt_buf *raw, char tok, const char *s, size_t len);

typedef enum gvt_choice_status {
    GVT_CHOICE_VALID = 0,
    GVT_CHOICE_INVALID,        /* isValidChoice refuses it: invalid-choice */
    GVT_CHOICE_UNREPRESENTABLE /* valid for Snapshot, but a weight cannot be
                                  held exactly (see gvt_fx_parse): data error */
} gvt_choice_status;

/*
 * The terms of quadratic and weighted for a ballot of weight w (fixed
 * point) and its k-th credited choice, with w_k its value and W the total of
 * its values: share = floor(w * w_k / W) (weighted's term) and radicand =
 * floor(w * w_k * 10^36 / W) (quadratic's term is its square root); either
 * may be NULL; t is scratch (share may be t itself when radicand is NULL).
 * Exact; by a machine-word division when w_k and W are small whole numbers
 * (the common case), else by GMP's.
 */
void gvt_choice_term(mpz_ptr share, mpz_ptr radicand, const gvt_choice *c,
                     uint32_t k, mpz_srcptr w, mpz_ptr t);

/*
 * Decodes a raw choice for a proposal of `type` with n_choices choices into
 * *out (allocated in arena; weights with GMP, freed by gvt_proposal_free).
 * *out is NULL unless the result is GVT_CHOICE_VALID. For single-choice and
 * basic, cache (n_choices entries, zeroed by the caller, or NULL) shares one
 * decoded choice per index between ballots. On GVT_CHOICE_UNREPRESENTABLE,
 * why receives a reason.
 */
gvt_choice_status gvt_choice_decode(gvt_arena *arena, gvt_type type,
                                    uint32_t n_choices,
                                    const unsigned char *raw, size_t len,
                                    gvt_choice **cache, gvt_choice **out,
                                    char *why, size_t why_size);

/*
 * Whether a raw choice names choice 0, which no proposal has (choices are
 * numbered from 1): a number equal to 0 anywhere in it, or a string or an
 * object key "0". The mark of an export numbered from 0.
 */
bool gvt_choice_names_zero(const unsigned char *raw, size_t len);

/*
 * JavaScript's Number(x) for the raw value at *p (advanced past it), as the
 * index check of docs/snapshot-parity.md applies it; NaN when the value
 * does not coerce. Exposed for the tests.
 */
double gvt_choice_js_number(const unsigned char **p, const unsigned char *end);

#endif /* GVT_STORE_H */
