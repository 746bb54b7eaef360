/*
 * help.c: the text of `govtally --help` and of `govtally CMD --help` for
 * every subcommand. Every option a subcommand accepts is listed here, and
 * the man page (docs/govtally.1) describes the same ones: the `man` test
 * checks that every option of every help text appears there.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: govtally COMMAND [ARGS]\n"
    "\n"
    "Tally a governance proposal exactly and show where a few wallets "
    "decided it.\n"
    "\n"
    "  govtally run PROPOSAL [--proposal ID] [-a ATTESTATIONS]... [-i "
    "ISSUERS]\n"
    "               [--schemes LIST] [--cap F] [--rule R] [--quorum Q]\n"
    "               [--support S] [--supply N] [--threads N]\n"
    "               [--format text|json|csv|html] [--wide] [-o FILE]\n"
    "  govtally check [--allow-outside] FIXTURE... | -\n"
    "  govtally attest keygen [--type ed25519|eth] -o SECRET_KEY_FILE\n"
    "  govtally attest sign -k SECRET_KEY_FILE --scope S --issued-at T\n"
    "               [--expires-at T] [--weight W] [-o FILE] SUBJECTS.csv\n"
    "  govtally attest sign -k SECRET_KEY_FILE --scope S --issued-at T\n"
    "               --list passport|poh|worldid [--map M] [--min-score X]\n"
    "               [--action A] [--skipped FILE] [-o FILE] LIST.csv\n"
    "  govtally attest verify -i ISSUERS [--scope S] [--at T] [--threads N]\n"
    "               ATTESTATIONS...\n"
    "  govtally import snapshot-csv|governor-csv|csv [--map M] [--type T]\n"
    "               [--decimals D] [--proposals P] [--choice-labels L] FILE\n"
    "               [-o OUT]\n"
    "  govtally replay INPUT... [--from snapshot-csv|governor-csv|csv\n"
    "               [--map M] [--type T] [--decimals D] [--proposals P]\n"
    "               [--choice-labels L]]\n"
    "               [-a A -i I] [--cap F] [--rule R] [--quorum Q]\n"
    "               [--support S] [--supply N] [--threads N]\n"
    "               [--format csv|json] [-o FILE]\n"
    "  govtally fetch snapshot PROPOSAL_ID [-o FILE] [--hub URL]\n"
    "  govtally fetch snapshot --space SPACE [--since DATE] [--until DATE]\n"
    "               [--state S] [-o FILE] [--resume]\n"
    "  govtally fetch governor --rpc URL --address GOVERNOR [--from-block N]\n"
    "               [--to-block N|latest] [--kind oz|bravo|alpha|aragon]\n"
    "               [--decimals D] [-o FILE]\n"
    "  govtally fetch eas --rpc URL --contract EAS --schema UID\n"
    "               [--attester ADDRESS] [--from-block N] [--to-block "
    "N|latest]\n"
    "               [-o FILE]\n"
    "  govtally verify RESULT.json [--inputs DIR] [--threads N]\n"
    "  govtally --help | --version\n"
    "\n"
    "'govtally COMMAND --help' describes a command and every option;\n"
    "'man govtally' (docs/govtally.1) has them all, docs/formats.md the "
    "files.\n"
    "\n"
    "Schemes: snapshot, token, address, quadratic, personhood,\n"
    "quadratic-personhood, capped-personhood.\n"
    "Exit status: 0 ok, 1 check mismatch (or attest verify: an attestation\n"
    "is not valid; verify: the result differs), 64 usage, 65 bad data,\n"
    "66 input cannot be opened, 70 internal error, 73 output cannot be\n"
    "created.\n";

static const char run_help[] =
    "usage: govtally run PROPOSAL [options]\n"
    "\n"
    "Tallies one proposal under every scheme asked for, with the whale\n"
    "analysis, and writes one report. PROPOSAL is a Snapshot export\n"
    "({\"proposal\": ..., \"votes\": [...]} or the hub's GraphQL response\n"
    "{\"data\": {...}}), a file or '-' for standard input. A file of\n"
    "several exports (JSON Lines, as 'govtally import' writes) or a folder\n"
    "of them needs --proposal.\n"
    "\n"
    "  --proposal ID            the proposal of that id, out of a file of\n"
    "                           several exports or a folder of them\n"
    "  -a, --attestations FILE  proof-of-personhood attestations\n"
    "                           (gvt-attestation/1, EAS off-chain packages or\n"
    "                           the records of fetch eas: JSON Lines or a\n"
    "                           JSON array); may be given up to 64 times,\n"
    "                           judged as one set; needs -i\n"
    "  -i, --issuers FILE       the issuer trust file; needs -a\n"
    "  --schemes LIST           scheme ids separated by commas, in the order\n"
    "                           wanted (default: snapshot,token,address,\n"
    "                           quadratic, then personhood,\n"
    "                           quadratic-personhood, capped-personhood when\n"
    "                           -a and -i are given; the last three need "
    "them)\n"
    "  --cap F                  the cap of capped-personhood, a decimal in\n"
    "                           [0, 1] (default 0.1)\n"
    "  --threads N              read and tally on at most N threads, 0 to\n"
    "                           1024 (0, the default: one per core); the\n"
    "                           report is the same for every N\n"
    "  --rule R                 the decision rule: snapshot, openzeppelin,\n"
    "                           compound, aragon or unknown (default: the\n"
    "                           export's, snapshot when it names none)\n"
    "  --quorum Q               the quorum: an amount of voting power, or N%\n"
    "                           of the supply (default: the export's)\n"
    "  --support S              the share of For among For and Against to\n"
    "                           exceed, a decimal in [0, 1] or N%\n"
    "  --supply N               the voting power in existence (a total\n"
    "                           supply), for a quorum given as a share\n"
    "  --format FORMAT          text, json (gvt-result/1), csv or html\n"
    "                           (default: by the output's name, .txt .json\n"
    "                           .csv .html; else text on a terminal, json\n"
    "                           otherwise); one that the name contradicts\n"
    "                           is a usage error\n"
    "  --wide                   text: every scheme in one table (default:\n"
    "                           as many tables as the width needs: COLUMNS,\n"
    "                           the terminal's, or 80)\n"
    "  -o, --output FILE        write the report there, atomically (default:\n"
    "                           standard output)\n"
    "  -h, --help               this help\n"
    "\n"
    "Colour in the text report only on a terminal and without NO_COLOR.\n";

static const char check_help[] =
    "usage: govtally check [--allow-outside] FIXTURE...\n"
    "       find fixtures -name fixture.json | govtally check -\n"
    "\n"
    "Runs each fixture (a JSON file naming a proposal, optional attestations\n"
    "and issuers, options and the expected subset of the gvt-result/1\n"
    "document; paths relative to the fixture) and prints 'ok NAME', or\n"
    "'FAIL NAME (FILE)' and one line per differing key, or 'ERROR FILE' for a\n"
    "fixture that cannot be used. Numbers match within 1e-9 relative.\n"
    "The files a fixture names must be regular files inside its folder.\n"
    "A FIXTURE '-' reads fixture files from standard input, one a line\n"
    "(blank lines and lines starting with '#' skipped).\n"
    "\n"
    "  --allow-outside  let a fixture name files outside its folder\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 every fixture matches, 1 a mismatch, 65 a broken fixture\n"
    "(bad JSON; a missing, mistyped or unknown key; an unknown scheme id),\n"
    "66 a file that cannot be opened. Every fixture is run either way.\n";

static const char attest_help[] =
    "usage: govtally attest keygen|sign|verify [options]\n"
    "\n"
    "Issue and check proof-of-personhood attestations (gvt-attestation/1,\n"
    "Ed25519 or EIP-712). 'govtally attest SUBCOMMAND --help' for each:\n"
    "\n"
    "  keygen [--type ed25519|eth] -o SECRET_KEY_FILE\n"
    "                                     make an issuer key pair\n"
    "  sign -k SECRET_KEY_FILE --scope S --issued-at T [--expires-at T]\n"
    "       [--weight W] [-o FILE] SUBJECTS.csv\n"
    "                                     sign one attestation per subject\n"
    "  verify -i ISSUERS [--scope S] [--at T] [--threads N] ATTESTATIONS\n"
    "                                     check attestations without a "
    "proposal\n";

static const char keygen_help[] =
    "usage: govtally attest keygen [--type ed25519|eth] -o SECRET_KEY_FILE\n"
    "\n"
    "Makes an Ed25519 key pair: writes the 32-byte secret seed as 64 hex\n"
    "digits and a newline to SECRET_KEY_FILE (created with mode 0600; an\n"
    "existing file is never overwritten) and prints the public key (64 hex\n"
    "digits), the 'key' of the issuer in a trust file. With --type eth, an\n"
    "Ethereum account instead: the secp256k1 secret key as 0x and 64 hex\n"
    "digits, and prints the address, the issuer's 'address' in a trust\n"
    "file; attest sign then writes EIP-712 attestations (v 2).\n"
    "\n"
    "  --type ed25519|eth            the kind of key (default ed25519)\n"
    "  -o, --output SECRET_KEY_FILE  the secret key file to create\n"
    "  -h, --help                    this help\n";

static const char sign_help[] =
    "usage: govtally attest sign -k SECRET_KEY_FILE --scope S --issued-at T\n"
    "                            [--expires-at T] [--weight W] [-o FILE]\n"
    "                            SUBJECTS.csv\n"
    "       govtally attest sign -k SECRET_KEY_FILE --scope S --issued-at T\n"
    "                            --list passport|poh|worldid [--map M]\n"
    "                            [--min-score X] [--action A]\n"
    "                            [--skipped FILE] [-o FILE] LIST.csv\n"
    "\n"
    "Signs one attestation per line of SUBJECTS.csv ('address,nullifier':\n"
    "a 0x address of 40 or 64 hex digits, a 64-hex nullifier; an optional\n"
    "header line 'address,nullifier'; blank lines skipped) and writes them\n"
    "as JSON Lines, each with its id, in input order. An Ethereum key (0x\n"
    "and 64 hex digits) signs EIP-712 typed data (records of v 2).\n"
    "\n"
    "With --list, signs a verified list exported from a personhood system\n"
    "(you vouch for the export): passport (columns address, score; rows\n"
    "scoring at least --min-score), poh (address, humanity_id as\n"
    "nullifier), worldid (address, nullifier_hash of one action). Every\n"
    "row is signed or skipped under a reason; the counts go to standard\n"
    "error as JSON. See docs/identity.md#verified-lists.\n"
    "\n"
    "  -k, --key SECRET_KEY_FILE  the issuer's secret key (attest keygen)\n"
    "  --scope S                  '*' (any space) or a space id: 1 to 128\n"
    "                             characters of A-Z a-z 0-9 . _ : -\n"
    "  --issued-at T              unix seconds or ISO 8601\n"
    "                             (2023-11-14T22:13:20Z; no zone: UTC)\n"
    "  --expires-at T             likewise; 0 = never (the default)\n"
    "  --weight W                 a decimal in [0, 1] with at most 6 fraction\n"
    "                             digits (1, 0.5, 0.50, 0.25; default 1),\n"
    "                             signed in its canonical form (0.5)\n"
    "\n"
    "How to derive a nullifier per person and per scope: docs/identity.md.\n"
    "  -o, --output FILE          write there, atomically (default: standard\n"
    "                             output)\n"
    "  --list KIND                passport, poh or worldid: LIST.csv is such\n"
    "                             an export (a header, then one row each)\n"
    "  --map M                    the columns: ROLE=COLUMN,... with ROLE\n"
    "                             address, score, nullifier or action\n"
    "                             (default: address,score; address,\n"
    "                             humanity_id; address,nullifier_hash,action)\n"
    "  --min-score X              passport: the least score signed, a decimal\n"
    "                             (default 20, Gitcoin Passport's threshold)\n"
    "  --action A                 worldid: sign only the rows of action A\n"
    "  --skipped FILE             write 'LINE,REASON' per skipped row there\n"
    "  -h, --help                 this help\n";

static const char verify_help[] =
    "usage: govtally attest verify -i ISSUERS [--scope S] [--at T]\n"
    "                              [--threads N] ATTESTATIONS...\n"
    "\n"
    "Checks every attestation of ATTESTATIONS (JSON Lines or a JSON array;\n"
    "several files are judged as one set)\n"
    "against the trust file, without a proposal: the outcomes of\n"
    "docs/formats.md#attestation-outcomes except 'unused'; the scope only\n"
    "with --scope, the time rules only with --at. Prints\n"
    "{\"read\": n, \"valid\": n, \"rejected\": {REASON: n, ...}} and exits 0\n"
    "when every attestation is valid, 1 otherwise.\n"
    "\n"
    "  -i, --issuers FILE  the issuer trust file\n"
    "  --scope S           judge scopes against this space id\n"
    "  --at T              judge issue and expiry times at T (unix seconds\n"
    "                      or ISO 8601)\n"
    "  --threads N         check signatures on N threads (0, the default:\n"
    "                      one per core); the outcome is the same for every N\n"
    "  -h, --help          this help\n";

static const char import_help[] =
    "usage: govtally import KIND [options] FILE\n"
    "\n"
    "Turns a CSV vote table (FILE, or '-' for standard input) into Snapshot\n"
    "exports, one per distinct proposal id in order of first appearance: a\n"
    "single JSON document, or JSON Lines for several. A summary of every row\n"
    "(imported, or skipped under a named reason) goes to standard error.\n"
    "\n"
    "KIND:\n"
    "  snapshot-csv  Snapshot's vote report: address, choice (or choice.1 ..\n"
    "                choice.N), voting_power, timestamp, author_ipfs_hash;\n"
    "                the proposal id is the file's name\n"
    "  governor-csv  on-chain vote events (the events' field names, Dune's\n"
    "                and explorers'): voter|voter_address,\n"
    "                proposalId|proposal_id|id|voteId|vote_id,\n"
    "                support|supports (0 1 2, True False, For Against\n"
    "                Abstain), votes|weight|votingPower|voting_power|stake,\n"
    "                timestamp|block_time|evt_block_time, event_name|event,\n"
    "                txhash|transactionHash|tx_hash|evt_tx_hash,\n"
    "                log_index|logIndex|evt_index (reason and other\n"
    "                columns are not used); basic proposals (1 For,\n"
    "                2 Against, 3 Abstain)\n"
    "  csv           any per-vote table, columns named by --map\n"
    "\n"
    "Commas separate fields, or semicolons or tabs when the header line has\n"
    "no comma; a UTF-16 file is refused with a hint (convert it to UTF-8).\n"
    "\n"
    "  --map M            csv only, needed: KEY=COLUMN pairs separated by\n"
    "                     commas, KEY one of voter, choice, vp (needed),\n"
    "                     proposal, created, id, label, space; COLUMN a\n"
    "                     header name (any case), e.g.\n"
    "                     'voter=Member,choice=Choice #,vp=VP,"
    "proposal=Proposal ID'\n"
    "  --type T           snapshot-csv and csv: the proposals' type,\n"
    "                     single-choice (default), basic, approval,\n"
    "                     ranked-choice, copeland, quadratic, weighted, or\n"
    "                     (csv) auto: by the ballots (integers single-choice,\n"
    "                     arrays approval, objects weighted)\n"
    "  --decimals D       governor-csv only: weights are in units of 10^-D\n"
    "                     tokens, D from 0 to 36 (default 18)\n"
    "  --proposals P      csv only: a CSV table of proposals (proposal_id|id|\n"
    "                     proposal, type, space_id|space, choices) whose "
    "type,\n"
    "                     space and choice labels win over --type and the\n"
    "                     columns\n"
    "  --choice-labels L  csv only: the labels of choices 1..n, 'Yes,No' or\n"
    "                     a JSON array; a choice cell holding one (any case)\n"
    "                     is its number, and they name the choices\n"
    "  -o, --output OUT   write there, atomically (default: standard output)\n"
    "  -h, --help         this help\n"
    "\n"
    "Columns and examples: docs/formats.md#csv-inputs.\n";

static const char replay_help[] =
    "usage: govtally replay INPUT... [options]\n"
    "\n"
    "Tallies many proposals (snapshot, token, address and quadratic schemes,\n"
    "and the personhood schemes with -a and -i) and writes one summary row\n"
    "per proposal, in input order whatever the number of threads. INPUT is\n"
    "a JSON export, JSON Lines of exports, or a folder of them (*.json,\n"
    "*.jsonl, *.ndjson; with --from also *.csv), read in name order. A\n"
    "proposal that fails gets a row with its error; the others go on and\n"
    "the exit status is then 65.\n"
    "\n"
    "  --from KIND           import CSV inputs first: snapshot-csv,\n"
    "                        governor-csv or csv (see govtally import --help)\n"
    "  --map M               with --from csv: the column map, as for import\n"
    "  --type T              with --from: the proposals' type, as for import\n"
    "  --decimals D          with --from governor-csv, as for import\n"
    "  --proposals P         with --from csv: the proposal table, as for\n"
    "                        import\n"
    "  --choice-labels L     with --from csv: text choices, as for import\n"
    "  -a, --attestations FILE\n"
    "                        attestations for the personhood schemes; needs "
    "-i\n"
    "  -i, --issuers FILE    the issuer trust file; needs -a\n"
    "  --cap F               the cap of capped-personhood, in [0, 1]\n"
    "                        (default 0.1)\n"
    "  --rule R, --quorum Q, --support S, --supply N\n"
    "                        the decision rule for every proposal, as for\n"
    "                        run (default: each export's own)\n"
    "  --threads N           tally on N threads, 0 to 1024 (0, the default:\n"
    "                        one per core); the output is the same for every "
    "N\n"
    "  --format FORMAT       csv (default) or json (gvt-replay/1)\n"
    "  -o, --output FILE     write there, atomically (default: standard\n"
    "                        output)\n"
    "  -h, --help            this help\n"
    "\n"
    "Columns and keys: docs/formats.md#replay-summary.\n";

#define FETCH_EAS_HELP                                                         \
    "usage: govtally fetch eas --rpc URL --contract EAS --schema UID "         \
    "[options]\n"                                                              \
    "\n"                                                                       \
    "Reads one schema's on-chain attestations from an EAS contract (its\n"     \
    "Attested and Revoked events, then each record by getAttestation at\n"     \
    "the last block) and writes them as gvt-eas-onchain/1 lines with the\n"    \
    "chain id, block, transaction and log index, for `govtally run`. They\n"   \
    "are as trustworthy as the node that answered. See docs/fetch.md.\n"       \
    "\n"                                                                       \
    "  --rpc URL             the node's JSON-RPC URL (default: ETH_RPC_URL)\n" \
    "  --contract EAS        the EAS contract\n"                               \
    "  --schema UID          the schema uid (0x and 64 hex digits)\n"          \
    "  --attester ADDRESS    only this attester's attestations\n"              \
    "  --from-block N        first block (default 0)\n"                        \
    "  --to-block N          last block, or latest (the default); records\n"   \
    "                        are read as they stand at this block\n"           \
    "  -o, --output FILE     write there, atomically (default: standard\n"     \
    "                        output)\n"                                        \
    "  --rate R              at most R requests a second (default 10)\n"       \
    "  --retries N           retries of a failed request (default 6)\n"        \
    "  --backoff MS          first retry delay in ms (default 1000)\n"         \
    "  --timeout S           one request's time limit (default 120)\n"

static const char fetch_eas_help[] = FETCH_EAS_HELP;

static const char fetch_help[] =
    "usage: govtally fetch snapshot PROPOSAL_ID [options]\n"
    "       govtally fetch snapshot --space SPACE [options]\n"
    "\n"
    "Fetches a proposal and every vote from the Snapshot hub's GraphQL API\n"
    "and writes one export ({\"proposal\": ..., \"votes\": [...]}, numbers\n"
    "as the hub wrote them), or with --space one export per proposal of the\n"
    "space (JSON Lines, oldest first). Votes are paged by a cursor on\n"
    "created; their number must equal the proposal's vote count.\n"
    "\n"
    "  -o, --output FILE     write there (default: standard output); one\n"
    "                        proposal atomically, a space through\n"
    "                        FILE.partial renamed at the end\n"
    "  --space SPACE         every proposal of the space (e.g. ens.eth)\n"
    "  --since DATE          with --space: created at or after DATE (Unix\n"
    "                        seconds or ISO 8601: YYYY-MM-DD,\n"
    "                        YYYY-MM-DDTHH:MM:SSZ, ...; UTC without a zone)\n"
    "  --until DATE          with --space: created before DATE\n"
    "  --state S             with --space: closed, active or pending\n"
    "  --resume              with --space and -o: keep the whole proposals\n"
    "                        of FILE.partial (or FILE) and fetch the rest\n"
    "  --hub URL             the GraphQL endpoint (default\n"
    "                        https://hub.snapshot.org/graphql)\n"
    "  --rate R              at most R requests a second (default 1.5; 0:\n"
    "                        no limit)\n"
    "  --retries N           retries of a failed request (default 6)\n"
    "  --backoff MS          first retry delay in ms, doubled each time\n"
    "                        (default 1000)\n"
    "  --timeout S           one request's time limit (default 120)\n"
    "  -h, --help            this help\n"
    "\n"
    "SNAPSHOT_API_KEY, when set, is sent as the x-api-key header. Exit 66:\n"
    "the hub cannot be reached within the retries; 65: it answered\n"
    "something malformed. See docs/fetch.md.\n"
    "\n"
    "usage: govtally fetch governor --rpc URL --address GOVERNOR [options]\n"
    "\n"
    "Reads a governor's proposals and votes from an Ethereum node's event\n"
    "logs (eth_getLogs, ranges split when the node refuses them) and writes\n"
    "one export per proposal (JSON Lines), weights exact.\n"
    "\n"
    "  --rpc URL             the node's JSON-RPC URL (default: ETH_RPC_URL)\n"
    "  --address GOVERNOR    the governor (or Aragon Voting) contract\n"
    "  --from-block N        first block (default 0)\n"
    "  --to-block N          last block, or latest (the default)\n"
    "  --kind K              oz (default), bravo, alpha or aragon\n"
    "  --decimals D          the token's decimals, 0 to 36 (default 18)\n"
    "  -o, --output FILE, --rate R (default 10), --retries N, --backoff MS,\n"
    "  --timeout S           as above\n"
    "\n" FETCH_EAS_HELP;

static const char audit_help[] =
    "usage: govtally verify RESULT.json [--inputs DIR] [--threads N]\n"
    "\n"
    "Checks a JSON result (gvt-result/1) or replay summary (gvt-replay/1)\n"
    "against its audit record: finds each recorded input,\n"
    "checks its size and SHA-256, runs the tally or the replay again with\n"
    "the recorded options and compares the new document with RESULT.json\n"
    "member by member. Prints a line per input ('ok', 'changed', 'missing'),\n"
    "the first differing members ('differs at PATH: ...'), then 'identical'\n"
    "or 'differs'. An input recorded as '-' is read from standard input.\n"
    "\n"
    "  --inputs DIR    look for the inputs in DIR (DIR/NAME, then DIR/ and\n"
    "                  the name's last part) rather than at their names\n"
    "  --threads N     tally on at most N threads (0, the default: one per\n"
    "                  core); the result is the same for every N\n"
    "  -h, --help      this help\n"
    "\n"
    "Exit status: 0 identical, 1 an input changed or the document differs,\n"
    "65 not a result or summary with an audit record, 66 an input or the\n"
    "document cannot be found or read.\n";

static const struct {
    const char *name;
    const char *text;
} helps[] = {
    {"run", run_help},       {"check", check_help},
    {"attest", attest_help}, {"keygen", keygen_help},
    {"sign", sign_help},     {"attest-verify", verify_help},
    {"import", import_help}, {"replay", replay_help},
    {"fetch", fetch_help},   {"fetch-eas", fetch_eas_help},
    {"verify", audit_help},
};

int cli_flush_stdout(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "govtally: cannot write standard output\n");
    return GVT_ERR_CANTCREAT;
}

void cli_help_usage(FILE *f)
{
    fputs(usage_text, f);
}

/* True when one of argv[1..] before "--" asks for help. */
static bool asks_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    }
    return false;
}

bool cli_help(int argc, char **argv)
{
    if (!asks_help(argc, argv))
        return false;
    const char *name = argv[0];
    /* `attest SUB --help` describes SUB; `attest --help` all three */
    if (strcmp(name, "fetch") == 0 && argc > 1 && strcmp(argv[1], "eas") == 0)
        name = "fetch-eas";
    if (strcmp(name, "attest") == 0 && argc > 1 &&
        (strcmp(argv[1], "keygen") == 0 || strcmp(argv[1], "sign") == 0))
        name = argv[1];
    if (strcmp(name, "attest") == 0 && argc > 1 &&
        strcmp(argv[1], "verify") == 0)
        name = "attest-verify";
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++)
        if (strcmp(name, helps[i].name) == 0) {
            fputs(helps[i].text, stdout);
            return true;
        }
    return false;
}
