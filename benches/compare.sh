#!/usr/bin/env bash
# Benchmarks versus against the sqlite3 shell and sqlite-utils, side by side
# in one run on this machine, and prints a Markdown table of medians and
# ratios (versus / baseline) with the targets from docs/BENCHMARK.md.
#
#   bash benches/compare.sh           # full: 20,000 and 50,000 documents (several minutes)
#   bash benches/compare.sh --quick   # small corpus, under a minute (CI runs this)
#   bash benches/compare.sh --large   # 200,000 documents (about 1 GB of text): growth
#                                     # per 10,000, file size, queries at that size
#
# It installs what it needs (Debian's hyperfine, sqlite3 and time; sqlite-utils
# from PyPI in a virtual environment under target/), builds versus in release
# mode, generates the corpus with `cargo run --release --example corpus`, and
# leaves everything under target/bench-<mode>/. It reports; it never fails
# because a target was missed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mode=full
case "${1:-}" in
    --quick) mode=quick ;;
    --large) mode=large ;;
    "") ;;
    *) echo "usage: $0 [--quick | --large]" >&2; exit 2 ;;
esac
if [ "$mode" = quick ]; then
    docs=500; more=1250; runs=10; slow_runs=3; hits=20000
elif [ "$mode" = large ]; then
    docs=200000; runs=10
else
    docs=20000; more=50000; runs=30; slow_runs=3; hits=80000
fi
work=${VERSUS_BENCH_DIR:-$root/target/bench-$mode}
mkdir -p "$work"
# versus is measured as built, whatever the caller exported: a VERSUS_QUERIES
# of one's own would replace the built-in queries measured here, and the
# other VERSUS_* variables change what a command does. VERSUS_BENCH_DIR,
# read above, is the script's own.
while read -r name; do
    case $name in VERSUS_BENCH_DIR) ;; VERSUS_*) unset "$name" ;; esac
done < <(compgen -e)

# --- tools ---------------------------------------------------------------
need=()
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -x "$work/venv/bin/sqlite-utils" ]; then
    echo "installing sqlite-utils in $work/venv" >&2
    python3 -m venv "$work/venv" 2>/dev/null || {
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$work/venv"
    }
    "$work/venv/bin/pip" install -q sqlite-utils
fi
sqlite_utils=$work/venv/bin/sqlite-utils

echo "building versus (release)" >&2
cargo build --release --quiet --bin versus --example corpus
# The build's last writes settle before the first measurement: row 1, a
# 3 ms query measured first, read 1.50x in one run right after the build
# and 1.11x in the next.
sync
sleep 3
versus=$root/target/release/versus
corpus_bin=$root/target/release/examples/corpus

# --- data ----------------------------------------------------------------
# A database kept from an earlier run (VERSUS_BENCH_DIR) that an older versus
# made is removed, to be made again: status refuses one that needs a
# migration, and a migrated copy would not be what this versus makes.
drop_stale() { # drop_stale DB
    if [ -f "$1" ] && ! "$versus" --db "$1" status >/dev/null 2>&1; then
        rm -f "$1"
    fi
}
corpus() { # corpus N -> folder
    local dir=$work/corpus-$1
    if [ ! -f "$dir/rows.ndjson" ]; then
        rm -rf "$dir"
        "$corpus_bin" --documents "$1" --seed 1 --out "$dir" 2>/dev/null
    fi
    echo "$dir"
}
# slug_at DB K: the slug of a document with the topic "foreign policy" (an
# unknown topic is refused), the first past the K-th part of the database.
slug_at() {
    "$versus" --db "$1" sql "SELECT d.slug FROM documents AS d JOIN attributes AS a ON a.document_id = d.id WHERE a.topic = 'foreign policy' ORDER BY d.id LIMIT 1 OFFSET (SELECT count(*) / $2 FROM documents)" --format csv | tail -n 1 | tr -d '\r'
}

# --- every command at scale ----------------------------------------------
# scale_rows BIG_DB SMALL_DB BIG_N SMALL_N: each command a person runs, on a
# database of BIG_N documents against one of SMALL_N (ten times fewer):
# medians of 5 runs with their range (min-max), the ratio of the medians and
# its target. Both databases get one more document first, whose word
# "xylophonist" no other document has: the rare search. Prints Markdown rows.
scale_rows() {
    local big=$1 small=$2 nbig=$3 nsmall=$4
    local json=$work/scale.json rare=$work/rare-word.txt
    cat >"$rare" <<'DOC'
vs.

Zebediah Quill vs. Orla Fenwright

What's the Difference?

Zebediah Quill and Orla Fenwright were rival composers; Quill was also a xylophonist.

Comparison

AttributeZebediah QuillOrla Fenwright
InstrumentXylophoneOrgan

Further Detail

Music

Quill played the xylophone in every hall of the city.

Comparisons may contain inaccurate information about people, places, or facts. Please report any issues.
DOC
    "$versus" --db "$big" import "$rare" >/dev/null
    "$versus" --db "$small" import "$rare" >/dev/null
    local slug_big slug_small
    slug_big=$(slug_at "$big" 2)
    slug_small=$(slug_at "$small" 2)
    stats() { python3 -c 'import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
def f(v): return "%.1f ms" % (v * 1000) if v < 1 else "%.2f s" % v
def m(x): return "%s (%s-%s)" % (f(x["median"]), f(x["min"]), f(x["max"]))
(s, b) = r
ratio = b["median"] / s["median"]
limit = float(sys.argv[3])
result = "met" if ratio <= limit else "MISSED"
print("| %s | %s | %s | %.2f | <= %g | %s |" % (sys.argv[2], m(b), m(s), ratio, limit, result))' "$json" "$1" "$2"; }
    # one LABEL LIMIT RUNS SMALL_CMD BIG_CMD [hyperfine options]
    one() {
        local label=$1 limit=$2 n=$3 scmd=$4 bcmd=$5
        shift 5
        echo "measuring: $label" >&2
        hyperfine --style none --warmup 1 --runs "$n" --export-json "$json" "$@" -n small "$scmd" -n big "$bcmd" >/dev/null
        stats "$label" "$limit"
    }
    echo "| command ($nbig documents against $nsmall) | $nbig: median (range) | $nsmall: median (range) | ratio | target | result |"
    echo "|---|---|---|---|---|---|"
    one "status (its record and the quick check)" 1.3 5 "$versus --db $small status" "$versus --db $big status" -N
    one "versus queries (the common topics)" 1.3 5 "$versus --db $small queries" "$versus --db $big queries" -N
    one "the shell started on an empty script" 1.3 5 "$versus --db $small shell < /dev/null" "$versus --db $big shell < /dev/null"
    one "named query on one document, JSON" 1.3 5 \
        "$versus --db $small query 'foreign policy differences' --param document=$slug_small --format json" \
        "$versus --db $big query 'foreign policy differences' --param document=$slug_big --format json" -N
    one "foreign policy differences, all documents, CSV" 11 5 \
        "$versus --db $small query 'foreign policy differences' --format csv" \
        "$versus --db $big query 'foreign policy differences' --format csv" -N
    one "search for a word one document has (xylophonist)" 1.3 5 \
        "$versus --db $small search xylophonist --format csv" "$versus --db $big search xylophonist --format csv" -N
    one "search for a common word (policy), ranked" 11 5 \
        "$versus --db $small search policy --format csv" "$versus --db $big search policy --format csv" -N
    one "show one document" 1.3 5 "$versus --db $small show $slug_small" "$versus --db $big show $slug_big" -N
    one "export --all as JSON Lines" 11 3 "$versus --db $small export --all --format jsonl" "$versus --db $big export --all --format jsonl" -N
    local ps pb
    ps=$( { /usr/bin/time -f %M "$versus" --db "$small" export --all --format jsonl >/dev/null; } 2>&1 | tail -n 1)
    pb=$( { /usr/bin/time -f %M "$versus" --db "$big" export --all --format jsonl >/dev/null; } 2>&1 | tail -n 1)
    echo "| peak memory of export --all (JSON Lines) | $((pb / 1024)) MiB | $((ps / 1024)) MiB | $(python3 -c "print(f'{$pb/$ps:.2f}')") | <= 1.10 | $(python3 -c "print('met' if $pb / $ps <= 1.10 else 'MISSED')") |"
    # The ranked search for a common word against sqlite3 running the same
    # SQL on the large database: that cost is ranking's, not versus's.
    "$versus" --db "$big" query search --param q=policy --show-sql >"$work/q-policy.sql"
    echo "measuring: search for a common word against sqlite3" >&2
    hyperfine --style none --warmup 1 --runs 5 --export-json "$json" -N \
        -n sqlite3 "sqlite3 -csv -header $big '.read $work/q-policy.sql'" \
        -n versus "$versus --db $big search policy --format csv" >/dev/null
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"]
def f(v): return "%.1f ms" % (v * 1000) if v < 1 else "%.2f s" % v
def m(x): return "%s (%s-%s)" % (f(x["median"]), f(x["min"]), f(x["max"]))
(s, v) = r
ratio = v["median"] / s["median"]
result = "met" if ratio <= 1.0 else "MISSED"
print("| search for a common word, versus against sqlite3 on the same SQL (%s documents) | %s | sqlite3 %s | %.2f | <= 1.0 | %s |" % (sys.argv[2], m(v), m(s), ratio, result))' "$json" "$nbig"
}

# readers_during_import DB FOLDER: a one-document query every 100 ms while
# FOLDER is imported into DB; prints "reads median max" (milliseconds).
readers_during_import() {
    local db=$1 folder=$2 slug
    slug=$("$versus" --db "$db" sql "SELECT slug FROM documents ORDER BY id LIMIT 1 OFFSET 5000" --format csv | tail -n 1 | tr -d '\r')
    "$versus" --db "$db" import "$folder" >/dev/null 2>&1 &
    local import=$! lat=() s e
    sleep 0.3
    while kill -0 "$import" 2>/dev/null; do
        s=$(date +%s%N)
        "$versus" --db "$db" --busy-timeout 600 query 'foreign policy differences' --param document="$slug" --format json >/dev/null 2>&1 || true
        e=$(date +%s%N)
        lat+=($(( (e - s) / 1000000 )))
        sleep 0.1
    done
    wait "$import"
    printf '%s\n' "${lat[@]}" | sort -n | awk '{a[NR]=$1} END {print NR, a[int((NR+1)/2)], a[NR]}'
}

if [ "$mode" = large ]; then
    # Import 200,000 documents in slices of 10,000 into one database, and
    # time each slice: linear growth means the last slice costs what the
    # first did. Then the file's size against the text's, and queries at
    # that size against the same queries on the seed database.
    big=$(corpus "$docs")
    slices=$work/slices
    if [ ! -d "$slices/20" ]; then
        rm -rf "$slices" "$slices.tmp"
        python3 -c 'import os, sys
src, dst = sys.argv[1], sys.argv[2]
for n, name in enumerate(sorted(os.listdir(src))):
    folder = os.path.join(dst, "%02d" % (n // 10000 + 1))
    os.makedirs(folder, exist_ok=True)
    os.symlink(os.path.join(src, name), os.path.join(folder, name))' "$big/docs" "$slices.tmp"
        mv "$slices.tmp" "$slices"
    fi
    db=$work/large.db
    rm -f "$db"
    "$versus" --db "$db" init >/dev/null
    results=$work/results.md
    {
        echo "Benchmark (large): $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB; versus $("$versus" --version | cut -d' ' -f2-)."
        echo
        echo "| documents stored before | import of the next 10,000 | peak memory |"
        echo "|---|---|---|"
        n=0
        times=()
        for dir in "$slices"/*; do
            /usr/bin/time -f "%e %M" -o "$work/time.txt" "$versus" --db "$db" import "$dir" >/dev/null
            read -r secs kib <"$work/time.txt"
            times+=("$secs")
            echo "| $n | ${secs} s | $((kib / 1024)) MiB |"
            n=$((n + 10000))
            # The database at 20,000 documents, for every command at scale.
            [ "$n" -ne 20000 ] || cp "$db" "$work/db-20000.db"
        done
        # One figure for the growth: the median of the last five slices
        # against the median of the first five (one slice varies with the
        # FTS5 merges that fall in it).
        echo
        python3 -c 'import statistics, sys
t = [float(x) for x in sys.argv[1:]]
first, last = statistics.median(t[:5]), statistics.median(t[-5:])
print(f"Growth: the last five slices took {last:.2f} s each (median), the first five {first:.2f} s: {last / first:.2f}x; the {len(t) * 10000:,} documents took {sum(t):.1f} s in all, {sum(t) / (len(t) * t[0]):.2f}x {len(t)} slices at the first one\x27s time.")' "${times[@]}"
        text=$(du -sbL "$big/docs" | cut -f1)
        size=$(stat -c %s "$db")
        echo
        echo "Text of the documents: $((text / 1048576)) MiB; database file: $((size / 1048576)) MiB ($(python3 -c "print(round($size/$text, 2))")x the text)."
        echo
        seed_db=$work/seed.db
        drop_stale "$seed_db"
        [ -f "$seed_db" ] || "$versus" --db "$seed_db" init >/dev/null
        one=$(slug_at "$db" 2)
        hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/hyperfine.json" -N \
            -n large "$versus --db $db query 'foreign policy differences' --param document=$one --format json" \
            -n seed "$versus --db $seed_db query 'foreign policy differences' --param document=stalin-vs-trotsky --format json" >/dev/null
        read -r a b < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join(str(x["median"]) for x in r))' "$work/hyperfine.json")
        echo "| query | 200,000 documents | seed | ratio |"
        echo "|---|---|---|---|"
        echo "| cold one-document query (JSON) | $(python3 -c "print(f'{$a*1000:.1f} ms')") | $(python3 -c "print(f'{$b*1000:.1f} ms')") | $(python3 -c "print(round($a/$b, 2))") |"
        hyperfine --style none --warmup 1 --runs 3 --export-json "$work/hyperfine.json" -N \
            -n large "$versus --db $db query differences --param 'topic=foreign policy' --format csv" \
            -n seed "$versus --db $seed_db query differences --param 'topic=foreign policy' --format csv" >/dev/null
        read -r a b < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join(str(x["median"]) for x in r))' "$work/hyperfine.json")
        echo "| differences topic=foreign policy, whole corpus (CSV) | $(python3 -c "print(f'{$a:.2f} s')") | $(python3 -c "print(f'{$b*1000:.1f} ms')") | $(python3 -c "print(round($a/$b))") |"
        echo
        scale_rows "$db" "$work/db-20000.db" 200000 20000
        # Readers while an import runs: 5,000 new documents into the large
        # database, in the rollback journal versus uses, then in WAL mode.
        extra=$work/corpus-extra
        if [ ! -d "$extra/a" ]; then
            rm -rf "$extra"
            "$corpus_bin" --documents 10000 --seed 2 --out "$extra/all" 2>/dev/null
            python3 -c 'import os, sys
src = sys.argv[1]
for n, name in enumerate(sorted(os.listdir(src))):
    folder = os.path.join(sys.argv[2], "a" if n < 5000 else "b")
    os.makedirs(folder, exist_ok=True)
    os.symlink(os.path.join(src, name), os.path.join(folder, name))' "$extra/all/docs" "$extra"
        fi
        read -r nd md xd < <(readers_during_import "$db" "$extra/a")
        sqlite3 "$db" "PRAGMA journal_mode=WAL" >/dev/null
        read -r nw mw xw < <(readers_during_import "$db" "$extra/b")
        sqlite3 "$db" "PRAGMA journal_mode=DELETE" >/dev/null
        echo
        echo "| a one-document query every 100 ms while 5,000 documents are imported into the 200,000 | reads | median | longest |"
        echo "|---|---|---|---|"
        echo "| rollback journal (versus's default) | $nd | $md ms | $xd ms |"
        echo "| WAL mode | $nw | $mw ms | $xw ms |"
    } | tee "$results"
    echo "(saved to $results)" >&2
    exit 0
fi

small=$(corpus "$docs")
large=$(corpus "$more")
tiny=$(corpus "$((more / 10))")

database() { # database NAME CORPUS -> path of a versus database with the corpus
    local db=$work/$1.db
    drop_stale "$db"
    if [ ! -f "$db" ]; then
        "$versus" --db "$db.tmp" init >/dev/null 2>&1 || { rm -f "$db.tmp"; "$versus" --db "$db.tmp" init >/dev/null; }
        [ -z "$2" ] || "$versus" --db "$db.tmp" import "$2/docs" >/dev/null
        mv "$db.tmp" "$db"
    fi
    echo "$db"
}
rm -f "$work"/*.db.tmp
seed_db=$(database seed "")
small_db=$(database "docs-$docs" "$small")
large_db=$(database "docs-$more" "$large")
# A document in the middle of the corpus that has the topic (an unknown
# topic is refused), by its slug as stored.
one_slug=$(slug_at "$small_db" 4)

"$versus" --db "$seed_db" query "foreign policy differences" --show-sql >"$work/q-foreign.sql"
"$versus" --db "$small_db" query differences --param topic="foreign policy" --show-sql >"$work/q-differences.sql"
"$versus" --db "$small_db" query search --param q="foreign policy" --show-sql >"$work/q-search.sql"

# The seed with one paragraph that holds one word $hits times: FTS5's
# snippet() takes time that grows with the square of the hits in one text.
long_db=$work/long-paragraph-$hits.db
drop_stale "$long_db"
if [ ! -f "$long_db" ]; then
    python3 -c 'import sys
seed = open(sys.argv[1], encoding="utf-8").read()
start = "Joseph Stalin and Leon Trotsky were two prominent figures"
old = next(l for l in seed.splitlines() if l.startswith(start))
sys.stdout.write(seed.replace(old, "Stalin wrote" + " revolution" * int(sys.argv[2]) + "."))' \
        "$root/seeds/stalin-vs-trotsky.txt" "$hits" >"$work/long-paragraph.txt"
    rm -f "$long_db.tmp"
    "$versus" --db "$long_db.tmp" init >/dev/null
    "$versus" --db "$long_db.tmp" import "$work/long-paragraph.txt" >/dev/null
    mv "$long_db.tmp" "$long_db"
fi
"$versus" --db "$long_db" query search --param q=revolution --show-sql >"$work/q-long.sql"

# --- measuring -----------------------------------------------------------
results=$work/results.md
rows=()
median() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join(str(x["median"]) for x in r))' "$1"; }
fmt() { python3 -c 'import sys; v=float(sys.argv[1]); print(f"{v*1000:.1f} ms" if v < 1 else f"{v:.2f} s")' "$1"; }
judge() { # judge RATIO OP LIMIT -> met / MISSED
    python3 -c 'import sys; r,op,l=float(sys.argv[1]),sys.argv[2],float(sys.argv[3]); print("met" if (r<=l if op=="<=" else r>=l) else "MISSED")' "$1" "$2" "$3"
}
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1])/float(sys.argv[2]):.2f}")' "$1" "$2"; }

# compare LABEL TARGET_OP TARGET RUNS VERSUS_CMD BASELINE_NAME BASELINE_CMD [hyperfine options...]
compare() {
    local label=$1 op=$2 limit=$3 n=$4 vcmd=$5 bname=$6 bcmd=$7
    shift 7
    local json=$work/hyperfine.json
    echo "measuring: $label" >&2
    hyperfine --style none --warmup 1 --runs "$n" --export-json "$json" "$@" -n versus "$vcmd" -n "$bname" "$bcmd" >/dev/null
    read -r v b < <(median "$json")
    local r
    r=$(ratio "$v" "$b")
    rows+=("| $label | $(fmt "$v") | $bname $(fmt "$b") | $r | $op $limit | $(judge "$r" "$op" "$limit") |")
}

compare "1. cold named query, JSON (seed database)" "<=" 1.25 "$runs" \
    "$versus --db $seed_db query 'foreign policy differences' --format json" \
    "sqlite3 -json" "sqlite3 -json $seed_db '.read $work/q-foreign.sql'" -N

compare "2a. import $docs documents into a new database" "<=" 1.5 "$slow_runs" \
    "$versus --db $work/import.db import $small/docs" \
    "sqlite3 flat script" "sqlite3 $work/flat.db < $small/flat.sql" \
    --prepare "rm -f $work/import.db $work/flat.db && $versus --db $work/import.db init >/dev/null"

# sqlite-utils is the baseline here; the target is the other way round.
echo "measuring: import vs sqlite-utils" >&2
hyperfine --style none --warmup 0 --runs "$slow_runs" --export-json "$work/hyperfine.json" \
    --prepare "rm -f $work/import.db $work/su.db && $versus --db $work/import.db init >/dev/null" \
    -n versus "$versus --db $work/import.db import $small/docs" \
    -n sqlite-utils "$sqlite_utils insert $work/su.db rows $small/rows.ndjson --nl" >/dev/null
read -r v b < <(median "$work/hyperfine.json")
speedup=$(ratio "$b" "$v")
rows+=("| 2b. import $docs documents, speed-up over sqlite-utils insert --nl | $(fmt "$v") | sqlite-utils $(fmt "$b") | ${speedup}x faster | >= 2.5x | $(judge "$speedup" ">=" 2.5) |")

echo "measuring: import linearity" >&2
hyperfine --style none --warmup 0 --runs "$slow_runs" --export-json "$work/hyperfine.json" \
    --prepare "rm -f $work/import.db && $versus --db $work/import.db init >/dev/null" \
    -n "$docs" "$versus --db $work/import.db import $small/docs" \
    -n "$more" "$versus --db $work/import.db import $large/docs" >/dev/null
read -r a b < <(median "$work/hyperfine.json")
growth=$(ratio "$b" "$a")
rows+=("| 2c. import $more vs $docs documents (linear growth) | $(fmt "$b") | versus $(fmt "$a") | $growth | <= $(python3 -c "print(round(2.7*$more/50000*20000/$docs, 2))") | $(judge "$growth" "<=" "$(python3 -c "print(2.7*$more/50000*20000/$docs)")") |")

# Import into a database that holds the corpus already: all unchanged, and
# with one document in ten changed. Against the flat script, as 2a.
echo "measuring: re-import" >&2
reimport_db=$work/reimport.db
rm -f "$reimport_db"
cp "$small_db" "$reimport_db"
changed=$work/changed-$docs
if [ ! -d "$changed" ]; then
    rm -rf "$changed.tmp" && cp -r "$small/docs" "$changed.tmp"
    # One file in ten gets one more sentence in its summary.
    python3 -c 'import os, sys
folder = sys.argv[1]
for name in sorted(os.listdir(folder))[9::10]:
    p = os.path.join(folder, name)
    t = open(p, encoding="utf-8").read().split("\n")
    i = next(n for n, l in enumerate(t) if l.startswith("What") and "Difference" in l) + 2
    t[i] = t[i] + " Changed for the benchmark."
    open(p, "w", encoding="utf-8").write("\n".join(t))' "$changed.tmp"
    mv "$changed.tmp" "$changed"
fi
hyperfine --style none --warmup 0 --runs "$slow_runs" --export-json "$work/hyperfine.json" \
    --prepare "cp $small_db $reimport_db" \
    -n unchanged "$versus --db $reimport_db import $small/docs" \
    -n changed "$versus --db $reimport_db import $changed" \
    -n flat "rm -f $work/flat.db && sqlite3 $work/flat.db < $small/flat.sql" >/dev/null
read -r u c f < <(median "$work/hyperfine.json")
r=$(ratio "$u" "$f")
rows+=("| 2d. import $docs documents into a database holding them (all unchanged) | $(fmt "$u") | sqlite3 flat script $(fmt "$f") | $r | <= 1.5 | $(judge "$r" "<=" 1.5) |")
r=$(ratio "$c" "$f")
rows+=("| 2e. the same with one document in ten changed (replaced) | $(fmt "$c") | sqlite3 flat script $(fmt "$f") | $r | <= 1.5 | $(judge "$r" "<=" 1.5) |")

# Peak memory of an import does not grow with the corpus.
echo "measuring: import memory" >&2
import_peak() { rm -f "$work/mem.db"; "$versus" --db "$work/mem.db" init >/dev/null; /usr/bin/time -f %M -o "$work/time.txt" "$versus" --db "$work/mem.db" import "$1/docs" >/dev/null; tail -n 1 "$work/time.txt"; }
p1=$(import_peak "$tiny")
p2=$(import_peak "$large")
r=$(ratio "$p2" "$p1")
rows+=("| 2f. peak memory of an import, $more vs $((more / 10)) documents | $p2 KiB | versus $p1 KiB | $r | <= 1.10 and < 128 MiB | $(python3 -c "print('met' if $p2 / $p1 <= 1.10 and $p2 < 131072 else 'MISSED')") |")

compare "3a. one-document query on $docs documents vs on the seed" "<=" 1.5 "$runs" \
    "$versus --db $small_db query 'foreign policy differences' --param document=$one_slug --format json" \
    "versus on seed" "$versus --db $seed_db query 'foreign policy differences' --param document=stalin-vs-trotsky --format json" -N

compare "3b. differences topic=foreign policy, all $docs documents, CSV" "<=" 1.5 "$runs" \
    "$versus --db $small_db query differences --param 'topic=foreign policy' --format csv" \
    "sqlite3 -csv" "sqlite3 -csv -header $small_db '.read $work/q-differences.sql'" -N

compare "4a. SELECT * FROM section_paragraphs, $docs documents, CSV" "<=" 1.3 "$runs" \
    "$versus --db $small_db sql 'SELECT * FROM section_paragraphs' --format csv" \
    "sqlite3 -csv" "sqlite3 -csv -header $small_db 'SELECT * FROM section_paragraphs'" -N

compare "4b. SELECT * FROM section_paragraphs, $docs documents, JSON Lines" "<=" 1.3 "$runs" \
    "$versus --db $small_db sql 'SELECT * FROM section_paragraphs' --format jsonl" \
    "sqlite3 -json" "sqlite3 -json $small_db 'SELECT * FROM section_paragraphs'" -N

compare "5. ranked full-text search, $docs documents, CSV" "<=" 1.5 "$runs" \
    "$versus --db $small_db search foreign policy --format csv" \
    "sqlite3 -csv" "sqlite3 -csv -header $small_db '.read $work/q-search.sql'" -N

compare "6. full-text search, one paragraph holding the word $hits times, CSV" "<=" 1.5 "$runs" \
    "$versus --db $long_db search revolution --format csv" \
    "sqlite3 -csv" "sqlite3 -csv -header $long_db '.read $work/q-long.sql'" -N

peak() { /usr/bin/time -f %M "$@" >/dev/null 2>"$work/time.txt"; tail -n 1 "$work/time.txt"; }
for format in csv jsonl; do
    p1=$(peak "$versus" --db "$small_db" sql "SELECT * FROM section_paragraphs" --format "$format")
    p2=$(peak "$versus" --db "$large_db" sql "SELECT * FROM section_paragraphs" --format "$format")
    r=$(ratio "$p2" "$p1")
    rows+=("| 4c. peak memory, $format, $more vs $docs documents | $p2 KiB | versus $p1 KiB | $r | <= 1.10 | $(judge "$r" "<=" 1.10) |")
done

# Every command at scale: the corpus of $more documents against one of a
# tenth of it (the large mode does 200,000 against 20,000).
tiny_db=$(database "docs-$((more / 10))" "$tiny")
scale=$(scale_rows "$large_db" "$tiny_db" "$more" "$((more / 10))")

# --- report --------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)
{
    echo "Benchmark ($mode): $(date -u +%Y-%m-%d), $(nproc) cores, ${cpu}, $(free -g | awk '/Mem:/ {print $2}') GiB;"
    echo "versus $("$versus" --version | cut -d' ' -f2) (bundled SQLite $("$versus" --db "$seed_db" sql 'SELECT sqlite_version()' --format csv | tail -n 1 | tr -d '\r')),"
    echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1), sqlite-utils $("$sqlite_utils" --version | awk '{print $NF}'), $(hyperfine --version)."
    echo "Medians of $runs runs (imports: $slow_runs); ratio = versus / baseline."
    echo
    echo "| measurement | versus | baseline | ratio | target | result |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "$scale"
} | tee "$results"
echo >&2
echo "(saved to $results)" >&2
