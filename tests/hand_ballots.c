/*
 * hand_ballots.c: proposals built by hand for the scoring tests (see
 * hand_ballots.h). Ballots and choices are laid out exactly as the reader
 * lays them out (internal.h, gvt_choice), so gvt_proposal_free frees them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hand_ballots.h"

gvt_proposal *hand_proposal(gvt_type type, uint32_t n_choices)
{
    gvt_proposal *p = gvt_proposal_new("hand");
    p->type = type;
    p->n_choices = n_choices;
    p->choices = gvt_arena_calloc(p->arena, n_choices ? n_choices : 1,
                                  sizeof *p->choices);
    for (uint32_t i = 0; i < n_choices; i++) {
        char label[24];
        snprintf(label, sizeof label, "C%u", (unsigned)(i + 1));
        p->choices[i] = gvt_arena_strdup(p->arena, label);
    }
    return p;
}

void hand_fx(mpz_t out, const char *dec)
{
    if (gvt_fx_parse(out, dec, strlen(dec), false) != GVT_FX_OK) {
        fprintf(stderr, "hand_fx: bad literal %s\n", dec);
        abort();
    }
}

static bool is_weights(gvt_type t)
{
    return t == GVT_TYPE_QUADRATIC || t == GVT_TYPE_WEIGHTED;
}

static gvt_choice *parse_choice(gvt_proposal *p, const char *text)
{
    gvt_choice *c = gvt_arena_calloc(p->arena, 1, sizeof *c);
    size_t len = strlen(text);
    uint32_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == ',';
    c->idx = gvt_arena_calloc(p->arena, cap, sizeof *c->idx);
    if (is_weights(p->type)) {
        c->w = gvt_arena_calloc(p->arena, cap, sizeof *c->w);
        mpz_init(c->total);
    }
    char *copy = gvt_xstrdup(text), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (!is_weights(p->type)) {
            c->idx[c->n++] = (uint32_t)strtoul(tok, NULL, 10) - 1;
            continue;
        }
        char *colon = strchr(tok, ':');
        if (!colon)
            abort();
        mpz_t v;
        mpz_init(v);
        hand_fx(v, colon + 1);
        mpz_add(c->total, c->total, v);
        if (tok[0] != 'x') {
            c->idx[c->n] = (uint32_t)strtoul(tok, NULL, 10) - 1;
            mpz_init_set(c->w[c->n], v);
            c->n++;
        }
        mpz_clear(v);
    }
    free(copy);
    return c;
}

size_t hand_ballot(gvt_proposal *p, const char *voter, const char *vp,
                   const char *choice)
{
    p->ballots =
        gvt_xrealloc(p->ballots, (p->n_ballots + 1) * sizeof *p->ballots);
    size_t i = p->n_ballots++;
    gvt_ballot *b = &p->ballots[i];
    memset(b, 0, sizeof *b);
    b->voter = gvt_arena_strdup(p->arena, voter);
    b->created = (int64_t)i;
    b->input = (uint32_t)i;
    mpz_init(b->vp);
    hand_fx(b->vp, vp);
    p->counts.read++;
    if (choice) {
        b->status = GVT_BALLOT_COUNTED;
        b->choice = parse_choice(p, choice);
        p->counts.counted++;
    } else {
        b->status = GVT_BALLOT_INVALID_CHOICE;
        p->counts.invalid_choice++;
    }
    mpz_add(p->scores_total, p->scores_total, b->vp);
    return i;
}

gvt_unit *hand_units(const gvt_proposal *p, size_t *out_n)
{
    gvt_unit *u = gvt_xmalloc((p->n_ballots + 1) * sizeof *u);
    size_t n = 0;
    for (size_t i = 0; i < p->n_ballots; i++) {
        if (p->ballots[i].status != GVT_BALLOT_COUNTED)
            continue;
        u[n].ballot = &p->ballots[i];
        mpz_init_set(u[n].w, p->ballots[i].vp);
        n++;
    }
    *out_n = n;
    return u;
}

mpz_t *hand_scores(uint32_t n)
{
    mpz_t *s = gvt_xmalloc((n ? n : 1) * sizeof *s);
    for (uint32_t i = 0; i < n; i++)
        mpz_init(s[i]);
    return s;
}

void hand_scores_free(mpz_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        mpz_clear(s[i]);
    free(s);
}

char *hand_scores_text(mpz_t *s, uint32_t n, int digits)
{
    gvt_buf b;
    gvt_buf_init(&b);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            gvt_buf_putc(&b, ' ');
        gvt_fx_append(&b, s[i], digits);
    }
    if (!b.data)
        gvt_buf_puts(&b, "");
    return b.data;
}

const char *hand_address(char buf[43], unsigned long k)
{
    snprintf(buf, 43, "0x%040lx", k);
    return buf;
}

uint64_t hand_rng(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

uint32_t hand_rng_below(uint64_t *state, uint32_t n)
{
    return (uint32_t)(hand_rng(state) % n);
}

void hand_permutation(uint64_t *state, uint32_t *perm, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        perm[i] = i + 1;
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = hand_rng_below(state, i);
        uint32_t x = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = x;
    }
}
