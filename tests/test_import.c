/*
 * test_import.c: the CSV import of docs/formats.md#csv-inputs (tally/import.c).
 *
 * Every expected document below was written by hand from the rules: Bravo
 * support 1/0/2 -> choices 1/2/3, True/False -> 1/2, raw weights shifted by
 * the decimals in the text, dates converted with Python's
 * datetime.fromisoformat(...).timestamp() (UTC when no zone), addresses
 * lower-cased. Errors pin status, line, column (field number) and message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "history/history.h"
#include "tmpdir.h"

#define A1 "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"
#define A1L "0xabcdef0123456789abcdef0123456789abcdef01"
#define A2 "0x1111111111111111111111111111111111111111"
#define A3 "0x2222222222222222222222222222222222222222"

typedef struct outcome {
    gvt_status rc;
    gvt_error err;
    gvt_import_stats st;
    char *text; /* all documents concatenated */
    size_t n;
} outcome;

static outcome run(const char *name, const char *csv, gvt_import_kind kind,
                   const char *map, const char *type, int decimals)
{
    outcome o;
    memset(&o, 0, sizeof o);
    gvt_import_options opt = {
        .kind = kind, .map = map, .type = type, .decimals = decimals};
    const char *path = tmpdir_write(name, csv);
    gvt_buf *docs = NULL;
    o.rc = gvt_import_docs(path, &opt, &docs, &o.n, &o.st, &o.err);
    gvt_buf all;
    gvt_buf_init(&all);
    gvt_buf_add(&all, "", 0);
    for (size_t i = 0; i < o.n; i++) {
        gvt_buf_add(&all, docs[i].data, docs[i].len);
        gvt_buf_free(&docs[i]);
    }
    free(docs);
    o.text = all.data;
    return o;
}

static size_t skipped(const outcome *o, const char *reason)
{
    for (size_t i = 0; i < o->st.n_skipped; i++)
        if (strcmp(o->st.skipped[i].reason, reason) == 0)
            return o->st.skipped[i].rows;
    return 0;
}

/* Bravo: 0/1/2 support written as floats, 43.0 ids, quoted reasons holding
 * commas, quotes and line breaks, non-vote events skipped and counted. */
static void test_governor_bravo(void **state)
{
    (void)state;
    const char *csv =
        "event_name,timestamp,voter,proposalId,support,votes,reason\n"
        "ProposalCreated,2021-04-14T03:00:21,,43.0,,,\n"
        "VoteCast,2021-04-14T03:00:21," A1 ",43.0,1.0,"
        "321446000000000000000000,\"short, with comma\"\n"
        "VoteCast,2021-04-14T03:00:21," A2 ",43.0,0.0,1,"
        "\"he said \"\"no\"\"\nand left\"\n"
        "ProposalQueued,2021-04-14T03:00:21,,43.0,,,\n"
        "VoteCast,2021-04-14T03:00:21," A3 ",44,2,1500000000000000000,\n";
    outcome o = run("bravo.csv", csv, GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, -1);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(
        o.text,
        "{\"proposal\":{\"id\":\"43\",\"space\":\"bravo\",\"type\":\"basic\","
        "\"choices\":[\"For\",\"Against\",\"Abstain\"],"
        "\"rule\":\"compound\"},\"votes\":["
        "{\"voter\":\"" A1L "\",\"created\":1618369221,\"choice\":1,"
        "\"vp\":321446},"
        "{\"voter\":\"" A2 "\",\"created\":1618369221,\"choice\":2,"
        "\"vp\":0.000000000000000001}]}\n"
        "{\"proposal\":{\"id\":\"44\",\"space\":\"bravo\",\"type\":\"basic\","
        "\"choices\":[\"For\",\"Against\",\"Abstain\"],"
        "\"rule\":\"compound\"},\"votes\":["
        "{\"voter\":\"" A3 "\",\"created\":1618369221,\"choice\":3,"
        "\"vp\":1.5}]}\n");
    assert_int_equal(o.n, 2);
    assert_int_equal(o.st.rows, 5);
    assert_int_equal(o.st.imported, 3);
    assert_int_equal(o.st.proposals, 2);
    assert_int_equal(skipped(&o, "ProposalCreated"), 1);
    assert_int_equal(skipped(&o, "ProposalQueued"), 1);
    assert_int_equal(o.st.n_skipped, 2);
    free(o.text);
}

/* Aave and Lido column names; True/False support; --decimals; the vote id
 * from txhash and log_index; "first name found wins" for the proposal. */
static void test_governor_aliases(void **state)
{
    (void)state;
    outcome o = run("aave.csv",
                    "event_name,txhash,log_index,votingPower,support,id,voter\n"
                    "VoteEmitted,0xaa,7.0,12345678,True,0.0," A2 "\n"
                    "VoteEmitted,0xbb,8,100,False,0.0," A3 "\n",
                    GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, 6);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(
        o.text,
        "{\"proposal\":{\"id\":\"0\",\"space\":\"aave\",\"type\":\"basic\","
        "\"choices\":[\"For\",\"Against\",\"Abstain\"],"
        "\"rule\":\"unknown\"},\"votes\":["
        "{\"id\":\"0xaa:7\",\"voter\":\"" A2 "\",\"choice\":1,"
        "\"vp\":12.345678},"
        "{\"id\":\"0xbb:8\",\"voter\":\"" A3 "\",\"choice\":2,"
        "\"vp\":0.0001}]}\n");
    free(o.text);

    o = run("lido.csv",
            "event_name,supports,voter,voteId,stake,id\n"
            "CastVote,False," A2 ",7,0,99\n"
            "CastObjection,True," A2 ",7,5,99\n",
            GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, 0);
    assert_int_equal(o.rc, GVT_OK);
    /* no proposalId: "id" comes before "voteId" (docs/formats.md#csv-inputs) */
    assert_string_equal(
        o.text,
        "{\"proposal\":{\"id\":\"99\",\"space\":\"lido\",\"type\":\"basic\","
        "\"choices\":[\"For\",\"Against\",\"Abstain\"],"
        "\"rule\":\"aragon\"},\"votes\":["
        "{\"voter\":\"" A2 "\",\"choice\":2,\"vp\":0}]}\n");
    assert_int_equal(skipped(&o, "CastObjection"), 1);
    free(o.text);
}

/*
 * The column names of the main sources (issue 14): OpenZeppelin's VoteCast
 * (voter, proposalId, support, weight, reason), Dune's decoded tables
 * (evt_tx_hash, evt_index, evt_block_time) and its spellbook (proposal_id,
 * voter_address, support as for/against/abstain, block_time in " UTC").
 * The same two votes each way; 2023-01-02 03:04:05 UTC is 1672628645.
 */
static void test_source_names(void **state)
{
    (void)state;
    const char *want =
        "{\"proposal\":{\"id\":\"5\",\"space\":\"SPACE\",\"type\":\"basic\","
        "\"choices\":[\"For\",\"Against\",\"Abstain\"],\"rule\":\"RULE\"},"
        "\"votes\":[{\"id\":\"0xaa:3\",\"voter\":\"" A2
        "\",\"created\":1672628645,"
        "\"choice\":1,\"vp\":2.5},"
        "{\"id\":\"0xbb:4\",\"voter\":\"" A3 "\",\"created\":1672628645,"
        "\"choice\":3,\"vp\":1}]}\n";
    static const struct {
        const char *name, *csv;
        int decimals;
        const char *rule; /* from the weight column */
    } cases[] = {
        {"oz.csv",
         "voter,proposalId,support,weight,reason,transactionHash,logIndex,"
         "timestamp\n" A2 ",5,1,2500,\"yes, sure\",0xaa,3,1672628645\n" A3
         ",5,2,1000,,0xbb,4,1672628645\n",
         3, "openzeppelin"},
        {"dune.csv",
         "evt_tx_hash,evt_index,evt_block_time,voter,proposalId,support,"
         "weight\n0xaa,3,2023-01-02 03:04:05.000 UTC," A2
         ",5,1,2500\n0xbb,4,2023-01-02 03:04:05.000 UTC," A3 ",5,2,1000\n",
         3, "openzeppelin"},
        {"spell.csv",
         "block_time,tx_hash,log_index,proposal_id,voter_address,support,"
         "votes\n2023-01-02 03:04:05 UTC,0xaa,3,5," A2
         ",for,2.50\n2023-01-02T03:04:05Z,0xbb,4,5," A3 ",Abstain,1\n",
         0, "compound"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        outcome o = run(cases[i].name, cases[i].csv, GVT_IMPORT_GOVERNOR_CSV,
                        NULL, NULL, cases[i].decimals);
        if (o.rc)
            fail_msg("%s: %s", cases[i].name, o.err.message);
        char space[16], doc[1024];
        snprintf(space, sizeof space, "%.*s", (int)(strlen(cases[i].name) - 4),
                 cases[i].name);
        const char *at = strstr(want, "SPACE"), *ru = strstr(want, "RULE");
        snprintf(doc, sizeof doc, "%.*s%s%.*s%s%s", (int)(at - want), want,
                 space, (int)(ru - (at + 5)), at + 5, cases[i].rule, ru + 4);
        assert_string_equal(o.text, doc);
        free(o.text);
    }
    /* A missing column names the names tried and quotes the header. */
    outcome o = run("bad.csv", "voter,proposal,support,amount\n",
                    GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, -1);
    assert_int_equal(o.rc, GVT_ERR_DATA);
    assert_string_equal(o.err.message,
                        "no proposal (proposalId, proposal_id, id, voteId, "
                        "vote_id) column in the header, whose 4 columns read "
                        "'voter', 'proposal', 'support', 'amount'");
    free(o.text);
}

/*
 * Semicolons and tabs: taken as the delimiter when the header line has no
 * comma outside quotes (a quoted header name may hold one); commas inside
 * fields then stay in the field. UTF-16 is refused, with or without a byte
 * order mark.
 */
static void test_delimiters_and_encodings(void **state)
{
    (void)state;
    const char *want = "{\"proposal\":{\"id\":\"p1\",\"space\":\"\",\"type\":"
                       "\"single-choice\","
                       "\"choices\":[\"1\",\"2\"]},\"votes\":["
                       "{\"voter\":\"" A2 "\",\"choice\":2,\"vp\":1.5}]}\n";
    /* a comma inside a quoted header name does not count */
    outcome o = run(
        "semi.csv",
        "Who;Pick;Power;\"Note, free\";P\n" A2 ";2;1.5;\"a, b\";p1\n",
        GVT_IMPORT_CSV, "voter=Who,choice=Pick,vp=Power,proposal=P", NULL, -1);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(o.text, want);
    free(o.text);
    o = run("tab.csv", "Who\tPick\tPower\tP\n" A2 "\t2\t1.5\tp1\n",
            GVT_IMPORT_CSV, "voter=Who,choice=Pick,vp=Power,proposal=P", NULL,
            -1);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(o.text, want);
    free(o.text);
    /* a comma in the header keeps commas: the semicolons stay in fields */
    o = run("comma.csv", "Who,Pick;x,Power,P\n" A2 ",2;y,1.5,p1\n",
            GVT_IMPORT_CSV, "voter=Who,choice=Pick;x,vp=Power,proposal=P", NULL,
            -1);
    assert_int_equal(o.rc, GVT_ERR_DATA);
    assert_string_equal(o.err.message,
                        "column 'Pick;x': choice '2;y' is neither an integer "
                        "nor a JSON array or object");
    free(o.text);

    static const char le[] = "\xff\xfeW\0h\0o\0,\0";
    static const char be[] = "\xfe\xff\0W\0h\0o\0,";
    static const char bare[] = "W\0h\0o\0,\0";
    const struct {
        const char *bytes;
        size_t n;
        const char *what;
    } enc[] = {
        {le, sizeof le - 1, "UTF-16 (little-endian byte order mark FF FE)"},
        {be, sizeof be - 1, "UTF-16 (big-endian byte order mark FE FF)"},
        {bare, sizeof bare - 1,
         "not text: it holds NUL bytes (UTF-16 without a byte order "
         "mark?)"}};
    for (size_t i = 0; i < 3; i++) {
        const char *path =
            tmpdir_write_bytes("u16.csv", enc[i].bytes, enc[i].n);
        gvt_import_options opt = {.kind = GVT_IMPORT_GOVERNOR_CSV,
                                  .decimals = -1};
        gvt_buf *docs = NULL;
        size_t n = 0;
        gvt_error err;
        assert_int_equal(gvt_import_docs(path, &opt, &docs, &n, NULL, &err),
                         GVT_ERR_DATA);
        char want_msg[300];
        snprintf(want_msg, sizeof want_msg,
                 "the file is %s; CSV is read as UTF-8: convert it first, e.g. "
                 "iconv -f UTF-16 -t UTF-8 FILE > FILE-utf8.csv",
                 enc[i].what);
        assert_string_equal(err.message, want_msg);
        assert_int_equal(err.line, 1);
    }
}

/* Text choices named by choice_labels: any case, with spaces around; the
 * labels name the choices, also one nobody chose; an unknown label is an
 * error naming the cell; numbers and JSON still pass. */
static void test_choice_labels(void **state)
{
    (void)state;
    const char *csv =
        "voter,answer,vp\n" A2 ",yes,2\n" A3 ", NO ,1\n" A1 ",3,4\n";
    const char *path = tmpdir_write("yn.csv", csv);
    const char *const forms[] = {"Yes,No,Abstain", " Yes , No ,Abstain",
                                 "[\"Yes\", \"No\", \"Abstain\"]",
                                 "['Yes', 'No', 'Abstain']"};
    for (size_t i = 0; i < 4; i++) {
        gvt_import_options opt = {.kind = GVT_IMPORT_CSV,
                                  .map = "voter=voter,choice=answer,vp=vp",
                                  .decimals = -1,
                                  .choice_labels = forms[i]};
        gvt_buf *docs = NULL;
        size_t n = 0;
        gvt_error err;
        assert_int_equal(gvt_import_docs(path, &opt, &docs, &n, NULL, &err),
                         GVT_OK);
        assert_int_equal(n, 1);
        assert_string_equal(
            docs[0].data,
            "{\"proposal\":{\"id\":\"yn\",\"space\":\"\",\"type\":"
            "\"single-choice\",\"choices\":[\"Yes\",\"No\",\"Abstain\"]},"
            "\"votes\":[{\"voter\":\"" A2 "\",\"choice\":1,\"vp\":2},"
            "{\"voter\":\"" A3 "\",\"choice\":2,\"vp\":1},"
            "{\"voter\":\"" A1L "\",\"choice\":3,\"vp\":4}]}\n");
        gvt_buf_free(&docs[0]);
        free(docs);
    }
    gvt_import_options opt = {.kind = GVT_IMPORT_CSV,
                              .map = "voter=voter,choice=answer,vp=vp",
                              .decimals = -1,
                              .choice_labels = "Yes,Nope"};
    gvt_buf *docs = NULL;
    size_t n = 0;
    gvt_error err;
    assert_int_equal(gvt_import_docs(path, &opt, &docs, &n, NULL, &err),
                     GVT_ERR_DATA);
    assert_string_equal(err.message, "column 'answer': choice 'NO' is none "
                                     "of the choice labels");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    const char *const bad[] = {"Yes,,No", "Yes,yes", "[1, 2]", "[\"a\"", ""};
    for (size_t i = 0; i < 5; i++) {
        opt.choice_labels = bad[i];
        assert_int_equal(gvt_import_docs(path, &opt, &docs, &n, NULL, &err),
                         GVT_ERR_USAGE);
    }
    opt.kind = GVT_IMPORT_GOVERNOR_CSV;
    opt.choice_labels = "Yes,No";
    assert_int_equal(gvt_import_docs(path, &opt, &docs, &n, NULL, &err),
                     GVT_ERR_USAGE);
}

/* Skip reasons longer than the stats' 63 bytes: every row of one long event
 * name counts under one reason, cut at 60 bytes plus "..."; a cut never
 * splits a UTF-8 character; names that fit stay whole. */
static void test_long_skip_reasons(void **state)
{
    (void)state;
    /* 70 bytes: "Proposal" then 62 x 'X' */
    char long_ev[71], csv[1024];
    memcpy(long_ev, "Proposal", 8);
    memset(long_ev + 8, 'X', 62);
    long_ev[70] = '\0';
    /* 59 x 'Y', then U+00E9 (2 bytes) across bytes 59-60, then "Zend" */
    const char *utf8_ev =
        "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY"
        "\xc3\xa9Zend";
    snprintf(csv, sizeof csv,
             "event_name,voter,proposalId,support,votes\n"
             "%s,,1,,\n"
             "VoteCast," A2 ",1,1,1\n"
             "%s,,1,,\n"
             "%s,,1,,\n"
             "%s,,1,,\n",
             long_ev, long_ev, utf8_ev, utf8_ev);
    outcome o = run("long.csv", csv, GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, 0);
    assert_int_equal(o.rc, GVT_OK);
    assert_int_equal(o.st.rows, 5);
    assert_int_equal(o.st.imported, 1);
    assert_int_equal(o.st.n_skipped, 2);
    char want[64];
    memcpy(want, long_ev, 60);
    memcpy(want + 60, "...", 4);
    assert_string_equal(o.st.skipped[0].reason, want);
    assert_int_equal(o.st.skipped[0].rows, 2);
    /* byte 60 would be the second byte of U+00E9: cut before the character */
    assert_string_equal(
        o.st.skipped[1].reason,
        "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY"
        "...");
    assert_int_equal(o.st.skipped[1].rows, 2);
    free(o.text);

    /* 63 bytes fit whole */
    char fits[64];
    memset(fits, 'F', 63);
    fits[63] = '\0';
    snprintf(csv, sizeof csv,
             "event_name,voter,proposalId,support,votes\n"
             "%s,,1,,\nVoteCast," A2 ",1,1,1\n",
             fits);
    o = run("fits.csv", csv, GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, 0);
    assert_int_equal(o.rc, GVT_OK);
    assert_int_equal(skipped(&o, fits), 1);
    free(o.text);
}

/* --map with labels, Python-quoted objects, arrays, dates in three forms,
 * the auto type, and the space column. */
static void test_mapped(void **state)
{
    (void)state;
    const char *csv = "Member,Proposal ID,Created,Choice #,Choice,VP\n" A1
                      ",Qm1,2022-05-15T05:14:33.000Z,2,no,116.5\n" A2
                      ",Qm1,1652591673,1,yes,1e-7\n" A3
                      ",Qm2,2024-02-29T23:59:59+02:00,1,\"yes, sir\",3\n";
    outcome o = run("dcl.csv", csv, GVT_IMPORT_CSV,
                    "voter=Member,choice=Choice #,vp=VP,proposal=Proposal ID,"
                    "created=Created,label=Choice",
                    NULL, -1);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(
        o.text, "{\"proposal\":{\"id\":\"Qm1\",\"space\":\"\",\"type\":"
                "\"single-choice\",\"choices\":[\"yes\",\"no\"]},\"votes\":["
                "{\"voter\":\"" A1L "\",\"created\":1652591673,\"choice\":2,"
                "\"vp\":116.5},"
                "{\"voter\":\"" A2 "\",\"created\":1652591673,\"choice\":1,"
                "\"vp\":0.0000001}]}\n"
                "{\"proposal\":{\"id\":\"Qm2\",\"space\":\"\",\"type\":"
                "\"single-choice\",\"choices\":[\"yes, sir\"]},\"votes\":["
                "{\"voter\":\"" A3 "\",\"created\":1709243999,\"choice\":1,"
                "\"vp\":3}]}\n");
    free(o.text);

    csv = "symbol,proposal_id,voter,voting_power,choice,created\n"
          "COMP,0xp1," A1 ",80000.0,\"{'4': 1, '1': 2.5}\",2025-12-03\n"
          "COMP,0xp1," A2 ",1,{},2025-12-03\n"
          "UNI,0xp2," A2 ",2,\"[1, 3]\",2025-12-03\n"
          "UNI,0xp3," A3 ",2,2,2025-12-03\n";
    o = run("res.csv", csv, GVT_IMPORT_CSV,
            "voter=voter,choice=choice,vp=voting_power,proposal=proposal_id,"
            "created=created,space=symbol",
            "auto", -1);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(
        o.text,
        "{\"proposal\":{\"id\":\"0xp1\",\"space\":\"COMP\",\"type\":"
        "\"weighted\",\"choices\":[\"1\",\"2\",\"3\",\"4\"]},\"votes\":["
        "{\"voter\":\"" A1L "\",\"created\":1764720000,"
        "\"choice\":{\"4\":1,\"1\":2.5},\"vp\":80000},"
        "{\"voter\":\"" A2 "\",\"created\":1764720000,\"choice\":{},"
        "\"vp\":1}]}\n"
        "{\"proposal\":{\"id\":\"0xp2\",\"space\":\"UNI\",\"type\":"
        "\"approval\",\"choices\":[\"1\",\"2\",\"3\"]},\"votes\":["
        "{\"voter\":\"" A2 "\",\"created\":1764720000,\"choice\":[1,3],"
        "\"vp\":2}]}\n"
        "{\"proposal\":{\"id\":\"0xp3\",\"space\":\"UNI\",\"type\":"
        "\"single-choice\",\"choices\":[\"1\",\"2\"]},\"votes\":["
        "{\"voter\":\"" A3 "\",\"created\":1764720000,\"choice\":2,"
        "\"vp\":2}]}\n");
    free(o.text);

    /* Choices Snapshot would refuse pass through for the reader to count
     * as invalid-choice (docs/formats.md#proposal-export); they name no choice.
     */
    csv = "v,c,w\n" A1 ",0,1\n" A2 ",\"{'01': 2, '2': -1.5e0}\",1\n" A3
          ",\"[0, 2, \"\"x\"\"]\",1\n";
    o = run("odd.csv", csv, GVT_IMPORT_CSV, "voter=v,choice=c,vp=w", "weighted",
            -1);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(
        o.text, "{\"proposal\":{\"id\":\"odd\",\"space\":\"\",\"type\":"
                "\"weighted\",\"choices\":[\"1\",\"2\"]},\"votes\":["
                "{\"voter\":\"" A1L "\",\"choice\":0,\"vp\":1},"
                "{\"voter\":\"" A2 "\",\"choice\":{\"01\":2,\"2\":-1.5e0},"
                "\"vp\":1},"
                "{\"voter\":\"" A3 "\",\"choice\":[0,2,\"x\"],\"vp\":1}]}\n");
    free(o.text);
}

/* --proposals: the table's type, space and choices win; rows of ids
 * without votes are ignored, a repeated id is skipped; an unknown type is a
 * data error located in the table. */
static void test_proposal_table(void **state)
{
    (void)state;
    const char *table =
        tmpdir_write("props.csv", "space_id,proposal_id,title,type,choices\n"
                                  "uni.eth,0xp1,\"A, title\",basic,\n"
                                  "x.eth,0xp1,again,weighted,\n"
                                  "comp.eth,0xp2,t,single-choice,"
                                  "\"['Yes', 'No', 'Maybe']\"\n"
                                  "none.eth,0xp9,t,approval,\n");
    char table_path[128];
    snprintf(table_path, sizeof table_path, "%s", table);
    const char *csv = "symbol,proposal_id,voter,voting_power,choice\n"
                      "UNI,0xp1," A1 ",5,3\n"
                      "COMP,0xp2," A2 ",1,2\n"
                      "ARB,0xp3," A3 ",1,1\n";
    gvt_import_options opt = {.kind = GVT_IMPORT_CSV,
                              .map = "voter=voter,choice=choice,"
                                     "vp=voting_power,proposal=proposal_id,"
                                     "space=symbol",
                              .type = "auto",
                              .decimals = -1,
                              .proposals = table_path};
    const char *path = tmpdir_write("votes.csv", csv);
    gvt_buf *docs;
    size_t n;
    gvt_error err;
    assert_int_equal(gvt_import_docs(path, &opt, &docs, &n, NULL, &err),
                     GVT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(
        docs[0].data,
        "{\"proposal\":{\"id\":\"0xp1\",\"space\":\"uni.eth\",\"type\":"
        "\"basic\",\"choices\":[\"For\",\"Against\",\"Abstain\"]},"
        "\"votes\":[{\"voter\":\"" A1L "\",\"choice\":3,\"vp\":5}]}\n");
    assert_string_equal(
        docs[1].data,
        "{\"proposal\":{\"id\":\"0xp2\",\"space\":\"comp.eth\",\"type\":"
        "\"single-choice\",\"choices\":[\"Yes\",\"No\",\"Maybe\"]},"
        "\"votes\":[{\"voter\":\"" A2 "\",\"choice\":2,\"vp\":1}]}\n");
    /* not in the table: --type auto and the space column */
    assert_string_equal(
        docs[2].data,
        "{\"proposal\":{\"id\":\"0xp3\",\"space\":\"ARB\",\"type\":"
        "\"single-choice\",\"choices\":[\"1\"]},"
        "\"votes\":[{\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1}]}\n");
    for (size_t i = 0; i < n; i++)
        gvt_buf_free(&docs[i]);
    free(docs);

    tmpdir_write("props.csv", "proposal_id,type\n0xp1,basic\n0xp2,poll\n");
    path = tmpdir_write("votes.csv", csv);
    assert_int_equal(gvt_import_docs(path, &opt, &docs, &n, NULL, &err),
                     GVT_ERR_DATA);
    assert_string_equal(err.message,
                        "column 'type': type 'poll' is not a Snapshot type");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_non_null(strstr(err.file, "props.csv"));
}

/* Snapshot's report: one proposal named after the file, author_ipfs_hash as
 * vote id; choice.N columns become weighted ballots. */
static void test_snapshot_csv(void **state)
{
    (void)state;
    outcome o = run("snapshot-report-0xabc.csv",
                    "address,choice,voting_power,timestamp,author_ipfs_hash,"
                    "reason\n" A1 ",2,10.25,1700000000,bafyA,\"x,\ny\"\n",
                    GVT_IMPORT_SNAPSHOT_CSV, NULL, "basic", -1);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(
        o.text,
        "{\"proposal\":{\"id\":\"0xabc\",\"space\":\"\",\"type\":\"basic\","
        "\"choices\":[\"For\",\"Against\",\"Abstain\"]},\"votes\":["
        "{\"id\":\"bafyA\",\"voter\":\"" A1L "\",\"created\":1700000000,"
        "\"choice\":2,\"vp\":10.25}]}\n");
    free(o.text);

    o = run("w.csv",
            "address,choice.1,choice.2,choice.3,voting_power,timestamp,"
            "author_ipfs_hash,reason\n" A2 ",1,,3,5,1700000000,bafyB,\n",
            GVT_IMPORT_SNAPSHOT_CSV, NULL, NULL, -1);
    assert_int_equal(o.rc, GVT_OK);
    assert_string_equal(
        o.text,
        "{\"proposal\":{\"id\":\"w\",\"space\":\"\",\"type\":\"weighted\","
        "\"choices\":[\"1\",\"2\",\"3\"]},\"votes\":["
        "{\"id\":\"bafyB\",\"voter\":\"" A2 "\",\"created\":1700000000,"
        "\"choice\":{\"1\":1,\"3\":3},\"vp\":5}]}\n");
    free(o.text);
}

static void expect_error(const char *csv, gvt_import_kind kind, const char *map,
                         long line, long column, const char *message)
{
    outcome o = run("bad.csv", csv, kind, map, NULL, -1);
    assert_int_equal(o.rc, GVT_ERR_DATA);
    assert_int_equal(o.n, 0);
    assert_string_equal(o.err.message, message);
    assert_int_equal(o.err.line, line);
    assert_int_equal(o.err.column, column);
    assert_non_null(strstr(o.err.file, "bad.csv"));
    free(o.text);
}

/* Each malformed row: status 65, the line the record starts on (after a
 * multi-line quoted field), the field number and the column name. */
static void test_malformed(void **state)
{
    (void)state;
    const char *head = "event_name,voter,proposalId,support,votes,reason\n"
                       "VoteCast," A2 ",1,1,5,\"two\nlines\"\n";
    char csv[1024];
    snprintf(csv, sizeof csv, "%sVoteCast," A3 ",1,yes,5,\n", head);
    expect_error(csv, GVT_IMPORT_GOVERNOR_CSV, NULL, 4, 4,
                 "column 'support': support 'yes' is none of 0, 1, 2, True, "
                 "False, For, Against, Abstain");
    snprintf(csv, sizeof csv, "%sVoteCast,alice.eth,1,1,5,\n", head);
    expect_error(csv, GVT_IMPORT_GOVERNOR_CSV, NULL, 4, 2,
                 "column 'voter': 'alice.eth' is not an address (0x and 40 "
                 "or 64 hex digits)");
    snprintf(csv, sizeof csv, "%sVoteCast," A3 ",1,1,1.5,\n", head);
    expect_error(csv, GVT_IMPORT_GOVERNOR_CSV, NULL, 4, 5,
                 "column 'votes': weight '1.5' is not a whole number of base "
                 "units");
    snprintf(csv, sizeof csv, "%sVoteCast," A3 ",1,1\n", head);
    expect_error(csv, GVT_IMPORT_GOVERNOR_CSV, NULL, 4, -1,
                 "4 fields where the header has 6");
    snprintf(csv, sizeof csv, "%sVoteCast," A3 ",1,1,5,\"open\n\n", head);
    expect_error(csv, GVT_IMPORT_GOVERNOR_CSV, NULL, 4, -1,
                 "malformed CSV: error parsing data while strict checking "
                 "enabled (a quoted field is not closed)");
    snprintf(csv, sizeof csv, "%sVoteCast," A3 ",1,1,5,a\"b\n", head);
    expect_error(csv, GVT_IMPORT_GOVERNOR_CSV, NULL, 4, -1,
                 "malformed CSV: error parsing data while strict checking "
                 "enabled");
    snprintf(csv, sizeof csv, "%sVoteCast," A3 ",,1,5,\n", head);
    expect_error(csv, GVT_IMPORT_GOVERNOR_CSV, NULL, 4, 3,
                 "column 'proposalId': empty proposal id");
    expect_error("v,p,c,w\n" A2 ",,1,1\n", GVT_IMPORT_CSV,
                 "voter=v,proposal=p,choice=c,vp=w", 2, 2,
                 "column 'p': empty proposal id");
    expect_error("v,c,w\n" A2 ",yes,1\n", GVT_IMPORT_CSV,
                 "voter=v,choice=c,vp=w", 2, 2,
                 "column 'c': choice 'yes' is neither an integer nor a JSON "
                 "array or object");
    expect_error("v,c,w\n" A2 ",\"{'1': 1\",1\n", GVT_IMPORT_CSV,
                 "voter=v,choice=c,vp=w", 2, 2,
                 "column 'c': choice '{'1': 1' is neither an integer nor a "
                 "JSON array or object");
    expect_error("v,c,w\n" A2 ",1,-3\n", GVT_IMPORT_CSV,
                 "voter=v,choice=c,vp=w", 2, 3,
                 "column 'w': voting power '-3': negative number");
    expect_error("v,c,w,t\n" A2 ",1,3,2024-13-01\n", GVT_IMPORT_CSV,
                 "voter=v,choice=c,vp=w,created=t", 2, 4,
                 "column 't': '2024-13-01' is neither ISO 8601 nor unix "
                 "seconds");
    expect_error("v,c,w\n", GVT_IMPORT_CSV, "voter=v,choice=c,vp=x", 1, -1,
                 "map vp=x: no such column in the header");
    expect_error("event_name,voter\nProposalCreated," A2 "\n",
                 GVT_IMPORT_GOVERNOR_CSV, NULL, 1, -1,
                 "no proposal (proposalId, proposal_id, id, voteId, vote_id) "
                 "column in the header, whose 2 columns read 'event_name', "
                 "'voter'");
    expect_error("event_name,voter,proposalId,support,votes\n"
                 "ProposalCreated,,1,,\n",
                 GVT_IMPORT_GOVERNOR_CSV, NULL, -1, -1,
                 "no vote imported (1 rows, all skipped)");
}

static void test_usage(void **state)
{
    (void)state;
    outcome o =
        run("u.csv", "a\n", GVT_IMPORT_CSV, "voter=a,choice=a", NULL, -1);
    assert_int_equal(o.rc, GVT_ERR_USAGE);
    free(o.text);
    o = run("u.csv", "a\n", GVT_IMPORT_CSV, "voter=a,choice=a,vp=a", "poll",
            -1);
    assert_int_equal(o.rc, GVT_ERR_USAGE);
    free(o.text);
    gvt_import_options opt = {.kind = GVT_IMPORT_CSV, .map = "v=a"};
    gvt_buf *docs;
    size_t n;
    gvt_error err;
    assert_int_equal(
        gvt_import_docs("/nonexistent/x.csv", &opt, &docs, &n, NULL, &err),
        GVT_ERR_USAGE);
    opt.map = "voter=a,choice=b,vp=c";
    assert_int_equal(
        gvt_import_docs("/nonexistent/x.csv", &opt, &docs, &n, NULL, &err),
        GVT_ERR_NOINPUT);
}

/*
 * Seeded mutations of a valid governor table (bytes replaced, inserted,
 * lines cut): the import never crashes and either fails with 65 at a line
 * inside the file, or writes documents that are valid JSON and that the
 * reader accepts. GVT_SEED overrides the seed; it is printed.
 */
static void test_mutations(void **state)
{
    (void)state;
    unsigned long seed = 20261129;
    if (getenv("GVT_SEED"))
        seed = strtoul(getenv("GVT_SEED"), NULL, 10);
    printf("test_mutations: seed %lu\n", seed);
    const char *base =
        "event_name,voter,proposalId,support,votes,timestamp,reason\n"
        "VoteCast," A1 ",1,1,5000000000000000000,2021-01-01T00:00:00,"
        "\"a,\"\"b\"\"\nc\"\n"
        "VoteCast," A2 ",1.0,0.0,1,1609459200,\n"
        "ProposalCreated,,2,,,,\n"
        "VoteCast," A3 ",2,False,7,2021-01-01,plain\n";
    static const char alphabet[] = ",\"\n\r0123456789.xXaF{}[]'-\xc3\xff ";
    size_t len = strlen(base);
    int ok = 0, bad = 0;
    for (int iter = 0; iter < 1500; iter++) {
        char buf[1024];
        memcpy(buf, base, len + 1);
        size_t n = len;
        int edits = 1 + (int)((seed >> 16) % 4);
        for (int e = 0; e < edits; e++) {
            seed = seed * 6364136223846793005ul + 1442695040888963407ul;
            size_t at = (size_t)(seed >> 33) % n;
            char c = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
            switch ((seed >> 8) % 3) {
            case 0:
                buf[at] = c;
                break;
            case 1:
                if (n + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, n - at + 1);
                    buf[at] = c;
                    n++;
                }
                break;
            default:
                n = at;
                buf[n] = '\0';
                break;
            }
            if (n == 0)
                break;
        }
        outcome o =
            run("mut.csv", buf, GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, -1);
        if (o.rc != GVT_OK) {
            assert_int_equal(o.rc, GVT_ERR_DATA);
            assert_true(o.err.message[0] != '\0');
            bad++;
        } else {
            /* one document per line, each read back by the reader */
            char *save = NULL;
            for (char *line = strtok_r(o.text, "\n", &save); line;
                 line = strtok_r(NULL, "\n", &save)) {
                gvt_proposal *p = NULL;
                gvt_error err;
                gvt_status st =
                    gvt_proposal_read_mem("mut", line, strlen(line), &p, &err);
                if (st)
                    fprintf(stderr, "unreadable: %s\n%s\n", err.message, line);
                assert_int_equal(st, GVT_OK);
                gvt_proposal_free(p);
            }
            ok++;
        }
        free(o.text);
    }
    printf("test_mutations: %d imported, %d refused\n", ok, bad);
    assert_true(ok > 0 && bad > 0);
}

/* A weight whose whole part, once divided by 10^decimals, has more digits
 * than the reader accepts (60) is refused by the import, not written into an
 * export the reader would refuse (found by fuzz_import). 79 digits / 10^18:
 * 61 before the point. */
static void test_weight_past_reader_bound(void **state)
{
    (void)state;
    char csv[512];
    snprintf(csv, sizeof csv,
             "event_name,voter,proposalId,support,votes\n"
             "VoteCast,%s,7,1,1%078d\n",
             A1, 0);
    outcome o = run("big.csv", csv, GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, -1);
    assert_int_equal(o.rc, GVT_ERR_DATA);
    assert_non_null(strstr(o.err.message, "more than 60 integer digits"));
    assert_int_equal(o.err.line, 2);
    free(o.text);
    /* 60 digits pass */
    snprintf(csv, sizeof csv,
             "event_name,voter,proposalId,support,votes\n"
             "VoteCast,%s,7,1,1%077d\n",
             A1, 0);
    o = run("big.csv", csv, GVT_IMPORT_GOVERNOR_CSV, NULL, NULL, -1);
    assert_int_equal(o.rc, GVT_OK);
    free(o.text);
    /* a date before 1970, which the reader would refuse: a row error
     * (found by fuzz_import) */
    o = run("old.csv",
            "symbol,proposal_id,voter,voting_power,choice,created\n"
            "COMP,0xp3," A1 ",1,1,0860-12-03\n",
            GVT_IMPORT_CSV,
            "voter=voter,choice=choice,vp=voting_power,proposal=proposal_id,"
            "created=created",
            NULL, -1);
    assert_int_equal(o.rc, GVT_ERR_DATA);
    assert_non_null(strstr(o.err.message, "'0860-12-03' is before 1970"));
    free(o.text);
}

/* A choice object with a repeated key, at any depth, or a positive weight
 * past the reader's bounds is a row error: the reader refuses either in an
 * export (both found by fuzz_import); distinct keys and a negative weight
 * (an invalid choice, which the reader counts) pass and read back. */
static void test_choice_reader_would_refuse(void **state)
{
    (void)state;
    static const char *const map = "voter=voter,choice=choice,vp=voting_power,"
                                   "proposal=proposal_id,created=created";
    static const struct {
        const char *cell, *key;
    } bad[] = {
        {"\"{'1': 1, '1': 2.5}\"", "repeats the key \"1\""},
        {"\"{'2': 1, '1': 1, '3': 1, '2': 4}\"", "repeats the key \"2\""},
        {"\"[1, {'a': 1, 'b': {'c': 1, 'c': 2}}]\"", "repeats the key \"c\""},
        {"\"{'4': 222222111113333E3333333300000, '1': 2.5}\"",
         "weight '222222111113333E3333333300000': number too large"},
        {"\"{'1': 1e-40}\"", "weight '1e-40': number too precise"},
    };
    char csv[512];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(csv, sizeof csv,
                 "proposal_id,voter,voting_power,choice,created\n"
                 "0xp1,%s,1,2,1700000000\n"
                 "0xp1,%s,1,%s,1700000000\n",
                 A1, A2, bad[i].cell);
        outcome o = run("dup.csv", csv, GVT_IMPORT_CSV, map, NULL, -1);
        assert_int_equal(o.rc, GVT_ERR_DATA);
        assert_non_null(strstr(o.err.message, bad[i].key));
        assert_int_equal(o.err.line, 3);
        assert_int_equal(o.err.column, 4);
        free(o.text);
    }
    snprintf(csv, sizeof csv,
             "proposal_id,voter,voting_power,choice,created\n"
             "0xp1,%s,1,\"{'1': 1, '2': 2.5}\",1700000000\n"
             "0xp1,%s,1,\"{'1': -1e400, '2': 1}\",1700000000\n",
             A1, A2);
    outcome o = run("dup.csv", csv, GVT_IMPORT_CSV, map, "weighted", -1);
    assert_int_equal(o.rc, GVT_OK);
    gvt_proposal *p = NULL;
    gvt_error err;
    assert_int_equal(
        gvt_proposal_read_mem("dup", o.text, strlen(o.text), &p, &err), GVT_OK);
    gvt_ballot_counts c = gvt_proposal_ballot_counts(p);
    assert_int_equal(c.counted, 1);
    assert_int_equal(c.invalid_choice, 1);
    gvt_proposal_free(p);
    free(o.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_governor_bravo),
        cmocka_unit_test(test_weight_past_reader_bound),
        cmocka_unit_test(test_choice_reader_would_refuse),
        cmocka_unit_test(test_governor_aliases),
        cmocka_unit_test(test_source_names),
        cmocka_unit_test(test_delimiters_and_encodings),
        cmocka_unit_test(test_choice_labels),
        cmocka_unit_test(test_long_skip_reasons),
        cmocka_unit_test(test_mapped),
        cmocka_unit_test(test_snapshot_csv),
        cmocka_unit_test(test_proposal_table),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
